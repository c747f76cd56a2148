/** Test helpers of the simulator (not exported from the package). */

/** fast-check runs per property: at least 1,000; `PRESCALE_FC_RUNS` raises it. */
export const RUNS = Math.max(1000, Number(process.env.PRESCALE_FC_RUNS ?? 0));
