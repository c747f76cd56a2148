/**
 * A {@link BinnedSeries} made ready for forecasting: gaps, values outside the plausible
 * range of demand (series/plausibleDemand.ts: negative, not finite, or above a billion
 * requests per second; counted in `implausible`) and declared outage windows become
 * `NaN` (so no pattern, level or error ever uses them), and prefix sums give the
 * mean of any window of bins in O(1). Day types (weekday or weekend) are read in the
 * series' own UTC offset. Reference predictive.md §10.5 (exclude outage windows).
 * @module
 */
import { PrescaleError } from '../errors.js';
import type { BinnedSeries } from '../series/binnedSeries.js';
import { isPlausibleDemand, maxPlausibleDemand } from '../series/plausibleDemand.js';
import { DAY_MS, WEEK_MS } from './forecastSettings.js';

/** A declared outage or incident: its bins are left out of every pattern. */
export interface OutageWindow {
  /** Start, ms since the epoch (inclusive). */
  startMs: number;
  /** End, ms since the epoch (exclusive). */
  endMs: number;
}

export interface PreparedSeries {
  startMs: number;
  binMs: number;
  utcOffsetMinutes: number;
  /** Number of bins. */
  n: number;
  /** Values; NaN where the bin is a gap or inside an outage. */
  values: Float64Array;
  /** sum[i] = sum of the observed values of bins < i. */
  sum: Float64Array;
  /** count[i] = number of observed bins < i. */
  count: Int32Array;
  dayBins: number;
  weekBins: number;
  /** Bin number since the epoch of bin 0 (bins are counted from the epoch in `binMs` steps). */
  epochBin: number;
  /** Bins whose value was a number outside the plausible range of demand, now gaps. */
  implausible: number;
}

/**
 * Prepares a series for the forecasters.
 * @param length number of bins to keep (default: all); bins beyond the series are gaps.
 * @throws PrescaleError `InvalidConfig` when the bin width does not divide a day;
 *   `InvalidTrace` for a value that is neither a number nor null (malformed, not implausible).
 */
export function prepareSeries(series: BinnedSeries, outages: readonly OutageWindow[] = [], length = series.values.length): PreparedSeries {
  const { startMs, binMs } = series;
  if (!Number.isInteger(binMs) || binMs <= 0 || DAY_MS % binMs !== 0) {
    throw new PrescaleError('InvalidConfig', 'series.binMs', binMs, 'must be a whole number of ms that divides a day (1 min, 5 min, 10 min, 1 h…)');
  }
  const n = Math.max(0, length);
  const values = new Float64Array(n);
  const sum = new Float64Array(n + 1);
  const count = new Int32Array(n + 1);
  // One pass: check, copy and sum (a prediction prepares the whole history every time).
  const raw = series.values;
  const known = Math.min(n, raw.length);
  const max = maxPlausibleDemand('perBin', binMs);
  let total = 0;
  let observed = 0;
  let implausible = 0;
  let i = 0;
  for (; i < known; i++) {
    const v = raw[i];
    if (typeof v === 'number') {
      if (isPlausibleDemand(v, max)) {
        values[i] = v;
        total += v;
        observed++;
      } else {
        values[i] = Number.NaN;
        implausible++;
      }
    } else if (v === null || v === undefined) {
      values[i] = Number.NaN;
    } else {
      throw new PrescaleError('InvalidTrace', `series.values[${i}]`, v, 'must be a count (a number) or null (a gap)');
    }
    sum[i + 1] = total;
    count[i + 1] = observed;
  }
  // Bins beyond the series are gaps.
  for (; i < n; i++) {
    values[i] = Number.NaN;
    sum[i + 1] = total;
    count[i + 1] = observed;
  }
  if (outages.length > 0) {
    outages.forEach((o, k) => {
      if (!Number.isFinite(o.startMs) || !Number.isFinite(o.endMs) || o.endMs < o.startMs) {
        throw new PrescaleError('InvalidConfig', `outages[${k}]`, o, 'must have finite startMs ≤ endMs');
      }
      const from = Math.max(0, Math.floor((o.startMs - startMs) / binMs));
      const to = Math.min(n, Math.ceil((o.endMs - startMs) / binMs));
      for (let i = from; i < to; i++) values[i] = Number.NaN;
    });
    total = 0;
    observed = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (v === v) {
        total += v;
        observed++;
      }
      sum[i + 1] = total;
      count[i + 1] = observed;
    }
  }
  return {
    startMs,
    binMs,
    utcOffsetMinutes: series.utcOffsetMinutes,
    n,
    values,
    sum,
    count,
    dayBins: DAY_MS / binMs,
    weekBins: WEEK_MS / binMs,
    epochBin: Math.floor(startMs / binMs),
    implausible,
  };
}

/** Mean of the observed values of bins [a, b) (indices clipped to the series), NaN if none. */
export function windowMean(p: PreparedSeries, a: number, b: number): number {
  const lo = a < 0 ? 0 : a > p.n ? p.n : a;
  const hi = b < 0 ? 0 : b > p.n ? p.n : b;
  const c = p.count[hi]! - p.count[lo]!;
  return c > 0 ? (p.sum[hi]! - p.sum[lo]!) / c : Number.NaN;
}

/** Observed bins in [a, b). */
export function observedCount(p: PreparedSeries, a: number, b: number): number {
  const lo = Math.max(0, Math.min(p.n, a));
  const hi = Math.max(0, Math.min(p.n, b));
  return p.count[hi]! - p.count[lo]!;
}

/** Value of bin i, NaN outside the series or in a gap. */
export function valueAt(p: PreparedSeries, i: number): number {
  return i >= 0 && i < p.n ? p.values[i]! : Number.NaN;
}

/** True for a Saturday or Sunday in the series' local time. */
export function isWeekend(p: PreparedSeries, i: number): boolean {
  const localDay = Math.floor((p.startMs + i * p.binMs + p.utcOffsetMinutes * 60_000) / DAY_MS);
  const weekday = (((localDay + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  return weekday === 0 || weekday === 6;
}
