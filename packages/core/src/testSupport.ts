/**
 * Test helpers shared by the core's tests (not exported from the package).
 */
import { fc } from '@fast-check/vitest';

/** fast-check runs per property: at least 1,000; `PRESCALE_FC_RUNS` raises it. */
export const RUNS = Math.max(1000, Number(process.env.PRESCALE_FC_RUNS ?? 0));

/** A metric reading as it might arrive: usually sane, sometimes missing or hostile. */
export const hostileMetric = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: 0, max: 10_000, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, -1, -0.5) },
);

/** Milliseconds between steps, including repeats of the same instant. */
export const stepGap = fc.integer({ min: 0, max: 30_000 });

/** Round-trips through JSON, as an operator persisting state would. */
export function viaJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Start of the test clock: an ordinary epoch-ms time aligned to a minute. */
export const T0 = 1_699_999_980_000;
