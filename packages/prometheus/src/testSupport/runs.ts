/** fast-check runs per property: at least 1,000; `PRESCALE_FC_RUNS` raises it (as in core). */
export const RUNS = Math.max(1000, Number(process.env.PRESCALE_FC_RUNS ?? 0));
