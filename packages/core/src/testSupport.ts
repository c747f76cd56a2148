/**
 * Test helpers shared by the core's tests (not exported from the package).
 */
import { fc } from '@fast-check/vitest';

/** fast-check runs per property: at least 1,000; `PRESCALE_FC_RUNS` raises it. */
export const RUNS = Math.max(1000, Number(process.env.PRESCALE_FC_RUNS ?? 0));

/**
 * The timeout of every property test and of the other tests of fixed but sizeable work:
 * 1,000 runs take up to a few seconds on a 2-core machine kept busy by other work (the
 * blend's fitted forecaster took 4.4 s), so vitest's default 5 s made the suite depend
 * on the machine's speed. With the machine six times oversubscribed (load 12 on 2 cores)
 * that 4.4 s property took 70 s, past the minute this once was; three minutes bound a
 * hang without depending on how busy the machine is.
 */
export const LONG_TEST_TIMEOUT_MS = 180_000;

/** The extremes of the double range, finite and not. */
export const EXTREMES = [Number.NaN, Infinity, -Infinity, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE, 0, -0, 1e308, -1, -0.5] as const;

/** Any double: the whole finite range of both signs, ±0, NaN and ±Infinity. */
export const anyDouble = fc.oneof({ weight: 3, arbitrary: fc.double() }, { weight: 1, arbitrary: fc.constantFrom(...EXTREMES) });

/** A load as large as a double holds: any finite value ≥ 0, extremes included. */
export const anyLoad = fc.oneof(
  { weight: 3, arbitrary: fc.double({ min: 0, max: 10_000, noNaN: true }) },
  { weight: 2, arbitrary: fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, Number.MIN_VALUE, 1e308, Number.MAX_VALUE) },
);

/** A positive setting: usually in `[min, max]`, sometimes anywhere up to the largest double, or the smallest. */
export function anyPositive(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.double({ min, max, noNaN: true }) },
    { weight: 1, arbitrary: fc.double({ min, max: Number.MAX_VALUE, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(min, Number.MAX_VALUE) },
  );
}

/**
 * A metric reading as it might arrive: often sane, often missing or hostile: any double
 * (the whole finite range, negatives, NaN, ±Infinity), the extremes, or null.
 */
export const hostileMetric = fc.oneof(
  { weight: 5, arbitrary: fc.double({ min: 0, max: 10_000, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: anyDouble },
);

/** Milliseconds between steps: mostly forward (repeats of the same instant included), sometimes backwards. */
export const stepGap = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 30_000 }) }, { weight: 2, arbitrary: fc.integer({ min: -60_000, max: -1 }) });

/** Round-trips through JSON, as an operator persisting state would. */
export function viaJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Start of the test clock: an ordinary epoch-ms time aligned to a minute. */
export const T0 = 1_699_999_980_000;
