/**
 * The burst factor: how far above a bin's mean the demand peaks within the bin, learned
 * from the history (docs/forecasting.md, "Bursts inside a bin"). A forecast of a bin's
 * mean cannot see a burst inside the bin, while the replicas must serve the load at the
 * reactive loop's granularity. For every past bin whose peak is known
 * (blend/binPeak.ts) the ratio peak / mean is a sample; the factor for a target bin is
 * the `burstQuantile` of the ratios at the same time of the week (the bins within an
 * hour of it, in every kept week before), at least 1. When that slot holds fewer than
 * {@link MIN_BURST_RATIOS} ratios, the ratios of the last 7 days stand in; when those
 * are too few too, the factor is 1 and says why.
 *
 * Why the weekly slot: a bin's peak-to-mean ratio falls as its level rises (at a tenth of
 * the mean level a minute's count is noisier than at the peak), and the time of the week
 * carries the level; on NASA-HTTP it covered the 1-minute peak as often as the last
 * 7 days' ratios at 6–9 % less capacity (the backtest in docs/forecasting.md).
 * @module
 */
import { windowQuantile } from '../forecast/empiricalQuantiles.js';
import { WEEK_MS } from '../forecast/forecastSettings.js';
import { alignedPeaks, type DemandHistory } from './demandHistory.js';

/** A factor needs at least this many known ratios. */
export const MIN_BURST_RATIOS = 12;
/** The weekly slot: the bins within this of the target's time of the week. */
const SLOT_HALF_WIDTH_MS = 3_600_000;
/** The stand-in: the ratios of this last span of the history. */
const RECENT_MS = 7 * 86_400_000;

export interface BurstFactor {
  /** What the forecast's upper quantile is multiplied by: max(1, the ratio quantile); 1 when off or unknown. */
  factor: number;
  /** The quantile of the ratios (`burstQuantile`; 0: off). */
  quantile: number;
  /** That quantile of the ratios, before the floor at 1; null when not computed. */
  ratioQuantile: number | null;
  /** How many ratios it came from. */
  ratios: number;
  /** Which ratios: the target's weekly slot, the last 7 days, or none (off, too few). */
  from: 'weekly-slot' | 'recent' | 'none';
  /** Why the factor is 1 without a quantile; null when it was computed. */
  note: string | null;
}

/** No factor (off, or nothing learned), saying why. */
export function noBurst(quantile: number, note: string, ratios = 0): BurstFactor {
  return { factor: 1, quantile, ratioQuantile: null, ratios, from: 'none', note };
}

/** The peak-to-mean ratio of bin `i` of the history; null when its peak or a positive mean is unknown. */
function ratioAt(h: DemandHistory, peaks: ReadonlyArray<number | null>, i: number): number | null {
  const value = h.values[i];
  const peak = peaks[i];
  if (value === null || value === undefined || !(value > 0) || peak === null || peak === undefined || !Number.isFinite(peak)) return null;
  return peak / (value / (h.binMs / 1000));
}

function quantileOf(ratios: number[], p: number): number {
  const values = Float64Array.from(ratios).sort();
  return windowQuantile({ values, size: values.length }, p);
}

/** The ratios of the bins within an hour of `targetBin`'s time of the week, one to `maxBins` weeks before. */
function slotRatios(h: DemandHistory, peaks: ReadonlyArray<number | null>, targetBin: number): number[] {
  const week = Math.round(WEEK_MS / h.binMs);
  const half = Math.floor(SLOT_HALF_WIDTH_MS / h.binMs);
  const out: number[] = [];
  for (let back = targetBin - week; back + half >= h.firstBin; back -= week) {
    for (let b = Math.max(back - half, h.firstBin); b <= back + half && b < h.firstBin + h.values.length; b++) {
      const r = ratioAt(h, peaks, b - h.firstBin);
      if (r !== null) out.push(r);
    }
  }
  return out;
}

/** The ratios of the last 7 days of the history. */
function recentRatios(h: DemandHistory, peaks: ReadonlyArray<number | null>): number[] {
  const out: number[] = [];
  for (let i = Math.max(0, h.values.length - Math.round(RECENT_MS / h.binMs)); i < h.values.length; i++) {
    const r = ratioAt(h, peaks, i);
    if (r !== null) out.push(r);
  }
  return out;
}

/**
 * The burst factor of each target bin (ms since the epoch, bin starts), from the
 * history's ratios. Pure; the recent ratios are read once for all targets.
 */
export function burstFactors(h: DemandHistory, quantile: number, targetsMs: readonly number[]): BurstFactor[] {
  if (!(quantile > 0)) return targetsMs.map(() => noBurst(0, 'off (burstQuantile 0)'));
  const peaks = alignedPeaks(h);
  let recent: number[] | null = null;
  return targetsMs.map((targetMs) => {
    const slot = slotRatios(h, peaks, Math.floor(targetMs / h.binMs));
    if (slot.length >= MIN_BURST_RATIOS) return computed(quantile, slot, 'weekly-slot');
    recent ??= recentRatios(h, peaks);
    if (recent.length >= MIN_BURST_RATIOS) return computed(quantile, recent, 'recent');
    const have = Math.max(slot.length, recent.length);
    return noBurst(quantile, `only ${have} bins with a known peak (at least ${MIN_BURST_RATIOS} needed): the bin's mean is planned for`, have);
  });
}

function computed(quantile: number, ratios: number[], from: BurstFactor['from']): BurstFactor {
  const q = quantileOf(ratios, quantile);
  return { factor: q > 1 ? q : 1, quantile, ratioQuantile: q, ratios: ratios.length, from, note: null };
}
