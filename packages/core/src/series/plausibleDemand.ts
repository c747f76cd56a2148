/**
 * The plausible range of demand, the one rule every entry point of demand history
 * applies (the blend's observed rates and seeded history, the forecaster's and the
 * backtest's series, the Prometheus history loader): a demand value is plausible when
 * it is a finite number, not negative, and at most {@link MAX_PLAUSIBLE_REQUESTS_PER_SECOND}
 * requests per second (for a count per bin: that rate times the bin's seconds). No LLM
 * deployment serves a billion requests per second; a value above it is a broken
 * exporter, a counter reset read as a huge increase, or a hostile input, and one such
 * value in the history would otherwise make the forecast ask for `maxReplicas`.
 *
 * A value outside the range is treated as a gap (no data), exactly like a missing
 * value, and counted, so the caller can report how many there were. Values that are
 * not numbers at all (a string in a series) are malformed input, not implausible
 * demand: those are still errors.
 * @module
 */
import type { BinnedSeries } from './binnedSeries.js';

/** The highest plausible demand, requests per second: one billion. */
export const MAX_PLAUSIBLE_REQUESTS_PER_SECOND = 1e9;

/** How a demand series holds its values: requests per second, or requests per bin (a count). */
export type DemandUnit = 'perSecond' | 'perBin';

/** The highest plausible value for `unit`: the rate ceiling, or that rate over one bin of `binMs`. */
export function maxPlausibleDemand(unit: DemandUnit, binMs: number): number {
  return unit === 'perSecond' ? MAX_PLAUSIBLE_REQUESTS_PER_SECOND : (MAX_PLAUSIBLE_REQUESTS_PER_SECOND * binMs) / 1000;
}

/** True for a finite demand value in [0, `max`] (NaN, ±Infinity and negatives are not). */
export function isPlausibleDemand(value: number, max: number): boolean {
  return value >= 0 && value <= max;
}

/** A demand series with its implausible values turned into gaps. */
export interface PlausibleSeries {
  series: BinnedSeries;
  /** How many values were outside the plausible range (now gaps). */
  implausible: number;
}

/**
 * Turns every value outside the plausible range into a gap (`null`) and counts them.
 * Gaps (`null`, or a hole in the array) stay gaps and are not counted. Returns the
 * series itself when every value is plausible.
 */
export function plausibleDemand(series: BinnedSeries, unit: DemandUnit): PlausibleSeries {
  const max = maxPlausibleDemand(unit, series.binMs);
  let implausible = 0;
  for (const v of series.values) if (v !== null && v !== undefined && !isPlausibleDemand(v, max)) implausible++;
  if (implausible === 0) return { series, implausible };
  const values = series.values.map((v) => (v === null || v === undefined || !isPlausibleDemand(v, max) ? null : v));
  return { series: { startMs: series.startMs, binMs: series.binMs, values, utcOffsetMinutes: series.utcOffsetMinutes }, implausible };
}
