/**
 * The demand history a predictive scaler keeps in its state: request counts per bin,
 * bins aligned to the epoch, gaps as null, at most `maxBins` (e.g. 12 weeks at the
 * forecast bin). Fed one observed request rate per step (the bin's value is the mean
 * rate of its samples × the bin width) and seedable in one call with a longer history
 * (the warm-up part of a trace, a range loaded from Prometheus). Plain JSON.
 *
 * Rates outside the plausible range of demand (series/plausibleDemand.ts: negative,
 * not finite, above a billion requests per second) are never recorded; they are
 * counted in `implausible`, as the seed's are (blend.ts).
 * @module
 */
import { PrescaleError } from '../errors.js';
import type { BinnedSeries } from '../series/binnedSeries.js';
import { isPlausibleDemand, MAX_PLAUSIBLE_REQUESTS_PER_SECOND } from '../series/plausibleDemand.js';

export interface DemandHistory {
  binMs: number;
  maxBins: number;
  /** Bin number since the epoch of `values[0]`. */
  firstBin: number;
  /** Requests per complete bin; null: no sample (a gap). */
  values: Array<number | null>;
  /** The bin still filling: its number, the sum of its rate samples (req/s) and their count. */
  open: { bin: number; rateSum: number; samples: number } | null;
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

/** Appends a closed bin (after null gaps up to it) and keeps the newest `maxBins`. */
function appendBin(h: DemandHistory, bin: number, value: number | null): { values: Array<number | null>; firstBin: number } {
  const end = h.firstBin + h.values.length;
  if (h.values.length === 0 || bin - end >= h.maxBins) return { values: [value], firstBin: bin };
  let values = h.values.concat(new Array<number | null>(Math.max(0, bin - end)).fill(null), [value]);
  let firstBin = h.firstBin;
  if (values.length > h.maxBins) {
    firstBin += values.length - h.maxBins;
    values = values.slice(values.length - h.maxBins);
  }
  return { values, firstBin };
}

/**
 * Records one observed request rate (req/s) at `now`. A null rate is not recorded (its
 * bin may end up a gap); nor is an implausible one (negative, not finite, above a
 * billion per second), which is counted in `implausible`. A sample older than the open
 * bin is ignored.
 */
export function recordRate(h: DemandHistory, now: number, rate: number | null | undefined): DemandHistory {
  const bin = Math.floor(now / h.binMs);
  if (h.open !== null && bin < h.open.bin) return h;
  const given = typeof rate === 'number';
  const valid = given && isPlausibleDemand(rate, MAX_PLAUSIBLE_REQUESTS_PER_SECOND);
  const implausible = implausibleDemand(h) + (given && !valid ? 1 : 0);
  if (h.open !== null && bin === h.open.bin) {
    if (!valid) return given ? { binMs: h.binMs, maxBins: h.maxBins, firstBin: h.firstBin, values: h.values, open: h.open, implausible } : h;
    return { binMs: h.binMs, maxBins: h.maxBins, firstBin: h.firstBin, values: h.values, open: { bin, rateSum: h.open.rateSum + rate, samples: h.open.samples + 1 }, implausible };
  }
  // A new bin: close the open one.
  let values = h.values;
  let firstBin = h.firstBin;
  if (h.open !== null) {
    ({ values, firstBin } = appendBin(h, h.open.bin, h.open.samples > 0 ? (h.open.rateSum / h.open.samples) * (h.binMs / 1000) : null));
  }
  return { binMs: h.binMs, maxBins: h.maxBins, firstBin, values, open: { bin, rateSum: valid ? rate : 0, samples: valid ? 1 : 0 }, implausible };
}

/**
 * Merges a longer history in: its bins (requests per bin, re-binned to the history's
 * bin by summing; a bin with any gap is a gap) fill every bin the history has no value
 * for; bins the history observed itself are kept. The result is capped to the newest
 * `maxBins`. `implausible` values were already taken out of the series (as gaps) by the
 * caller and are added to the history's count.
 * @throws PrescaleError `InvalidTrace` when the series' bin does not divide the history's.
 */
export function seedDemandHistory(h: DemandHistory, series: BinnedSeries, implausible = 0): DemandHistory {
  if (h.binMs % series.binMs !== 0) {
    throw new PrescaleError('InvalidTrace', 'series.binMs', series.binMs, `must divide the forecast bin (${h.binMs / 1000} s)`);
  }
  const factor = h.binMs / series.binMs;
  const merged = new Map<number, number | null>();
  for (let i = 0; i < series.values.length; i++) {
    const ms = series.startMs + i * series.binMs;
    if (ms % h.binMs !== 0 || i + factor > series.values.length) continue;
    let total: number | null = 0;
    for (let k = i; k < i + factor; k++) {
      const v = series.values[k];
      if (v === null || v === undefined || !Number.isFinite(v) || v < 0) {
        total = null;
        break;
      }
      total += v;
    }
    merged.set(ms / h.binMs, total);
  }
  h.values.forEach((v, i) => {
    if (v !== null || !merged.has(h.firstBin + i)) merged.set(h.firstBin + i, v);
  });
  const count = implausibleDemand(h) + implausible;
  if (merged.size === 0) return count === implausibleDemand(h) ? h : { binMs: h.binMs, maxBins: h.maxBins, firstBin: h.firstBin, values: h.values, open: h.open, implausible: count };
  const bins = [...merged.keys()];
  let last = Math.max(...bins);
  if (h.open !== null) last = Math.max(last, h.open.bin - 1);
  const first = Math.max(Math.min(...bins), last - h.maxBins + 1);
  const values: Array<number | null> = [];
  for (let b = first; b <= last; b++) values.push(merged.get(b) ?? null);
  return { binMs: h.binMs, maxBins: h.maxBins, firstBin: first, values, open: h.open, implausible: count };
}

/** The complete bins as a series (empty values when none). */
export function demandSeries(h: DemandHistory, utcOffsetMinutes: number): BinnedSeries {
  return { startMs: h.firstBin * h.binMs, binMs: h.binMs, values: h.values, utcOffsetMinutes };
}
