/**
 * A regularly binned time series: what forecasters, backtests and the simulator's
 * count workloads take. A gap (no data) is `null`, never 0.
 * @module
 */
import { PrescaleError } from '../errors.js';

export interface BinnedSeries {
  /** Start of the first bin, ms since the epoch. */
  startMs: number;
  /** Bin width, ms. */
  binMs: number;
  /** One value per bin; null marks a gap. */
  values: Array<number | null>;
  /**
   * UTC offset of the source's local time, in minutes (−240 for EDT). Weekdays and
   * times of day are read in this local time.
   */
  utcOffsetMinutes: number;
}

/** Start of bin `i`, ms. */
export function binStart(series: Pick<BinnedSeries, 'startMs' | 'binMs'>, i: number): number {
  return series.startMs + i * series.binMs;
}

/** End of the series (exclusive), ms. */
export function seriesEnd(series: BinnedSeries): number {
  return series.startMs + series.values.length * series.binMs;
}

/** Number of bins that hold data. */
export function observedBins(series: BinnedSeries): number {
  let n = 0;
  for (const v of series.values) if (v !== null) n++;
  return n;
}

/**
 * Re-bins to a wider bin that is a whole multiple of the current one, summing counts.
 * A new bin that covers any gap is a gap: a partial sum would read as a dip.
 * @throws PrescaleError `InvalidTrace` when `binMs` is not a multiple of the current width.
 */
export function rebin(series: BinnedSeries, binMs: number): BinnedSeries {
  if (binMs === series.binMs) return series;
  const factor = binMs / series.binMs;
  if (!Number.isInteger(factor) || factor < 1) {
    throw new PrescaleError('InvalidTrace', 'binMs', binMs, `must be a whole multiple of the series' ${series.binMs / 1000} s bins`);
  }
  const values: Array<number | null> = [];
  for (let i = 0; i + factor <= series.values.length; i += factor) {
    let total: number | null = 0;
    for (let k = i; k < i + factor; k++) {
      const v = series.values[k]!;
      if (v === null) {
        total = null;
        break;
      }
      total += v;
    }
    values.push(total);
  }
  return { startMs: series.startMs, binMs, values, utcOffsetMinutes: series.utcOffsetMinutes };
}

/** The bins in [fromMs, toMs), aligned to the series' bins. */
export function sliceSeries(series: BinnedSeries, fromMs: number, toMs: number): BinnedSeries {
  const first = Math.max(0, Math.ceil((fromMs - series.startMs) / series.binMs));
  const last = Math.min(series.values.length, Math.ceil((toMs - series.startMs) / series.binMs));
  return {
    startMs: binStart(series, first),
    binMs: series.binMs,
    values: series.values.slice(first, Math.max(first, last)),
    utcOffsetMinutes: series.utcOffsetMinutes,
  };
}
