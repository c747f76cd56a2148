/** fast-check runs per property: at least 1,000; `PRESCALE_FC_RUNS` raises it (as in core). */
export const RUNS = Math.max(1000, Number(process.env.PRESCALE_FC_RUNS ?? 0));

/**
 * The timeout of every property test: 1,000 runs take up to a few seconds on a 2-core
 * machine kept busy by other work (range stitching took 4.6 s), so vitest's default
 * 5 s made the suite depend on the machine's speed. A minute is a wide margin.
 */
export const LONG_TEST_TIMEOUT_MS = 60_000;
