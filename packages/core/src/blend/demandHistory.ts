/**
 * The demand history a predictive scaler keeps in its state: request counts per bin,
 * bins aligned to the epoch, gaps as null, at most `maxBins` (e.g. 12 weeks at the
 * forecast bin). Fed one observed request rate per step (the bin's value is the mean
 * rate of its samples × the bin width) and seedable in one call with a longer history
 * (the warm-up part of a trace, a range loaded from Prometheus). While the blend learns
 * bursts (a burst window is given), it also keeps each bin's peak rate (blend/binPeak.ts)
 * beside its value. Plain JSON.
 *
 * Rates outside the plausible range of demand (series/plausibleDemand.ts: negative,
 * not finite, above a billion requests per second) are never recorded; they are
 * counted in `implausible`, as the seed's are (blend.ts).
 * @module
 */
import { PrescaleError } from '../errors.js';
import type { BinnedSeries } from '../series/binnedSeries.js';
import { isPlausibleDemand, MAX_PLAUSIBLE_REQUESTS_PER_SECOND } from '../series/plausibleDemand.js';
import { addPeakSample, closePeak, type OpenPeak, peakOfSteps, startPeak } from './binPeak.js';

export interface DemandHistory {
  binMs: number;
  maxBins: number;
  /** Bin number since the epoch of `values[0]`. */
  firstBin: number;
  /** Requests per complete bin; null: no sample (a gap). */
  values: Array<number | null>;
  /**
   * Per complete bin, aligned with `values`: the highest mean rate over a burst window
   * within the bin, req/s; null: unknown. Kept only while bursts are learned; a list of
   * another length than `values` (a state whose values were left out) counts as unknown.
   */
  peaks?: Array<number | null>;
  /** The bin still filling: its number, the sum of its rate samples (req/s) and their count, and its burst windows. */
  open: { bin: number; rateSum: number; samples: number; burst?: OpenPeak } | null;
  /**
   * Demand values left out as implausible since the history was created: observed
   * rates and seeded values. Absent in states saved by older versions (read as 0).
   */
  implausible?: number;
}

export function emptyDemandHistory(binMs: number, maxBins: number): DemandHistory {
  return { binMs, maxBins, firstBin: 0, values: [], open: null, implausible: 0 };
}

/** The count of implausible demand values a history has seen. */
export function implausibleDemand(h: DemandHistory): number {
  return h.implausible ?? 0;
}

/** The peaks aligned with the values: the kept ones, or all unknown. */
export function alignedPeaks(h: DemandHistory): Array<number | null> {
  return h.peaks !== undefined && h.peaks.length === h.values.length ? h.peaks : new Array<number | null>(h.values.length).fill(null);
}

type Bins = Pick<DemandHistory, 'firstBin' | 'values' | 'peaks'>;

/**
 * Appends a closed bin (after null gaps up to it) and keeps the newest `maxBins`; its
 * peak too when `peak` is given (bursts are learned).
 */
function appendBin(h: DemandHistory, bin: number, value: number | null, peak: number | null | undefined): Bins {
  const end = h.firstBin + h.values.length;
  if (h.values.length === 0 || bin - end >= h.maxBins) return peak === undefined ? { values: [value], firstBin: bin } : { values: [value], firstBin: bin, peaks: [peak] };
  const gap = new Array<number | null>(Math.max(0, bin - end)).fill(null);
  let values = h.values.concat(gap, [value]);
  let peaks = peak === undefined ? undefined : alignedPeaks(h).concat(gap, [peak]);
  let firstBin = h.firstBin;
  if (values.length > h.maxBins) {
    firstBin += values.length - h.maxBins;
    values = values.slice(values.length - h.maxBins);
    peaks = peaks?.slice(peaks.length - h.maxBins);
  }
  return peaks === undefined ? { values, firstBin } : { values, firstBin, peaks };
}

/**
 * Records one observed request rate (req/s) at `now`. A null rate is not recorded (its
 * bin may end up a gap); nor is an implausible one (negative, not finite, above a
 * billion per second), which is counted in `implausible`. A sample older than the open
 * bin is ignored. With `burstWindowMs` > 0 the bin's peak is tracked too, and kept
 * with the bin when it closes.
 */
export function recordRate(h: DemandHistory, now: number, rate: number | null | undefined, burstWindowMs = 0): DemandHistory {
  const bin = Math.floor(now / h.binMs);
  const open = h.open;
  if (open !== null && bin < open.bin) return h;
  const given = typeof rate === 'number';
  const valid = given && isPlausibleDemand(rate, MAX_PLAUSIBLE_REQUESTS_PER_SECOND);
  const implausible = implausibleDemand(h) + (given && !valid ? 1 : 0);
  const peaks = h.peaks !== undefined ? { peaks: h.peaks } : {};
  if (open !== null && bin === open.bin) {
    if (!valid) return given ? { binMs: h.binMs, maxBins: h.maxBins, firstBin: h.firstBin, values: h.values, ...peaks, open, implausible } : h;
    if (burstWindowMs === 0) {
      return { binMs: h.binMs, maxBins: h.maxBins, firstBin: h.firstBin, values: h.values, open: { bin, rateSum: open.rateSum + rate, samples: open.samples + 1 }, implausible };
    }
    const burst = open.burst ? addPeakSample(open.burst, now, burstWindowMs, rate) : startPeak(now, burstWindowMs, rate);
    return { binMs: h.binMs, maxBins: h.maxBins, firstBin: h.firstBin, values: h.values, ...peaks, open: { bin, rateSum: open.rateSum + rate, samples: open.samples + 1, burst }, implausible };
  }
  // A new bin: close the open one.
  let bins: Bins = h;
  if (open !== null) {
    const value = open.samples > 0 ? (open.rateSum / open.samples) * (h.binMs / 1000) : null;
    const peak = burstWindowMs > 0 ? (value !== null && open.burst ? closePeak(open.burst, h.binMs, burstWindowMs) : null) : undefined;
    bins = appendBin(h, open.bin, value, peak);
  }
  const kept = bins.peaks !== undefined ? { peaks: bins.peaks } : {};
  const burst = burstWindowMs > 0 ? { burst: startPeak(now, burstWindowMs, valid ? rate : null) } : {};
  return { binMs: h.binMs, maxBins: h.maxBins, firstBin: bins.firstBin, values: bins.values, ...kept, open: { bin, rateSum: valid ? rate : 0, samples: valid ? 1 : 0, ...burst }, implausible };
}

/**
 * Merges a longer history in: its bins (requests per bin, re-binned to the history's
 * bin by summing; a bin with any gap is a gap) fill every bin the history has no value
 * for; bins the history observed itself are kept. The result is capped to the newest
 * `maxBins`. `implausible` values were already taken out of the series (as gaps) by the
 * caller and are added to the history's count. With `burstWindowMs` > 0 each filled
 * bin's peak comes from the series' steps when they are fine enough to see a burst
 * window ({@link peakOfSteps}); otherwise it is unknown.
 * @throws PrescaleError `InvalidTrace` when the series' bin does not divide the history's.
 */
export function seedDemandHistory(h: DemandHistory, series: BinnedSeries, implausible = 0, burstWindowMs = 0): DemandHistory {
  if (h.binMs % series.binMs !== 0) {
    throw new PrescaleError('InvalidTrace', 'series.binMs', series.binMs, `must divide the forecast bin (${h.binMs / 1000} s)`);
  }
  const factor = h.binMs / series.binMs;
  const burst = burstWindowMs > 0;
  const merged = new Map<number, { value: number | null; peak: number | null }>();
  const counts: number[] = [];
  for (let i = 0; i < series.values.length; i++) {
    const ms = series.startMs + i * series.binMs;
    if (ms % h.binMs !== 0 || i + factor > series.values.length) continue;
    let total: number | null = 0;
    counts.length = 0;
    for (let k = i; k < i + factor; k++) {
      const v = series.values[k];
      if (v === null || v === undefined || !Number.isFinite(v) || v < 0) {
        total = null;
        break;
      }
      total += v;
      counts.push(v);
    }
    const peak = burst && total !== null ? peakOfSteps(counts, series.binMs, burstWindowMs) : null;
    merged.set(ms / h.binMs, { value: total, peak });
  }
  const peaks = alignedPeaks(h);
  h.values.forEach((value, i) => {
    if (value !== null || !merged.has(h.firstBin + i)) merged.set(h.firstBin + i, { value, peak: peaks[i]! });
  });
  const count = implausibleDemand(h) + implausible;
  if (merged.size === 0) return count === implausibleDemand(h) ? h : { ...h, implausible: count };
  const bins = [...merged.keys()];
  let last = Math.max(...bins);
  if (h.open !== null) last = Math.max(last, h.open.bin - 1);
  const first = Math.max(Math.min(...bins), last - h.maxBins + 1);
  const values: Array<number | null> = [];
  const seededPeaks: Array<number | null> = [];
  for (let b = first; b <= last; b++) {
    const bin = merged.get(b);
    values.push(bin?.value ?? null);
    seededPeaks.push(bin?.peak ?? null);
  }
  return { binMs: h.binMs, maxBins: h.maxBins, firstBin: first, values, ...(burst ? { peaks: seededPeaks } : {}), open: h.open, implausible: count };
}

/** The complete bins as a series (empty values when none). */
export function demandSeries(h: DemandHistory, utcOffsetMinutes: number): BinnedSeries {
  return { startMs: h.firstBin * h.binMs, binMs: h.binMs, values: h.values, utcOffsetMinutes };
}
