/**
 * The peak of demand within a forecast bin: the highest mean request rate over one
 * burst window (epoch-aligned windows of `burstWindowMs` that divide the bin), in
 * requests per second. A forecast of the bin's mean cannot see a burst inside the bin;
 * the ratio of this peak to the bin's mean is what the blend learns to plan for it
 * (blend/burstFactor.ts; docs/forecasting.md, "Bursts inside a bin").
 *
 * Two sources, one definition: the rate samples of the control loop (every 10 s or so,
 * {@link addPeakSample}) and a seeded history at a step finer than the window
 * ({@link peakOfSteps}). A bin's peak is unknown (null) when fewer than nine tenths of
 * its windows had a sample, or when the seed's step is coarser than the window: such a
 * bin is a gap of the ratio, never a ratio of 1.
 * @module
 */

/** The burst windows of the bin still filling. Plain JSON. */
export interface OpenPeak {
  /** Number since the epoch of the window filling now. */
  window: number;
  /** Sum and count of its rate samples (req/s). */
  rateSum: number;
  samples: number;
  /** Highest mean rate of the bin's closed windows, req/s (0 before the first). */
  peak: number;
  /** How many of the bin's windows had a sample, the one filling now excluded. */
  windows: number;
}

/** The windows of a new bin, from its first valid sample (or none yet). */
export function startPeak(now: number, burstWindowMs: number, rate: number | null): OpenPeak {
  const window = Math.floor(now / burstWindowMs);
  return rate === null ? { window, rateSum: 0, samples: 0, peak: 0, windows: 0 } : { window, rateSum: rate, samples: 1, peak: 0, windows: 0 };
}

/** The window filling now closed into the peak. */
function closeWindow(p: OpenPeak): { peak: number; windows: number } {
  if (p.samples === 0) return { peak: p.peak, windows: p.windows };
  const mean = p.rateSum / p.samples;
  return { peak: mean > p.peak ? mean : p.peak, windows: p.windows + 1 };
}

/**
 * Adds one valid rate sample (finite, ≥ 0) of the same bin at `now`. A sample of an
 * earlier window than the one filling is left out of the peak (its bin's mean still
 * counts it).
 */
export function addPeakSample(p: OpenPeak, now: number, burstWindowMs: number, rate: number): OpenPeak {
  const window = Math.floor(now / burstWindowMs);
  if (window === p.window) return { window, rateSum: p.rateSum + rate, samples: p.samples + 1, peak: p.peak, windows: p.windows };
  if (window < p.window) return p;
  return { window, rateSum: rate, samples: 1, ...closeWindow(p) };
}

/** The bin's peak when it closes: null when fewer than nine tenths of its `binMs / burstWindowMs` windows had a sample. */
export function closePeak(p: OpenPeak, binMs: number, burstWindowMs: number): number | null {
  const { peak, windows } = closeWindow(p);
  const needed = Math.ceil(0.9 * (binMs / burstWindowMs) - 1e-9);
  return windows >= needed && windows > 0 ? peak : null;
}

/**
 * The peak of one bin from a seeded history: `counts` holds the bin's requests per step
 * of `stepMs` (all known), from the bin's start. Null when the step does not divide the
 * burst window (the seed is too coarse to see a window's rate).
 */
export function peakOfSteps(counts: readonly number[], stepMs: number, burstWindowMs: number): number | null {
  if (stepMs > burstWindowMs || burstWindowMs % stepMs !== 0) return null;
  const per = burstWindowMs / stepMs;
  let peak = 0;
  for (let i = 0; i + per <= counts.length; i += per) {
    let sum = 0;
    for (let k = i; k < i + per; k++) sum += counts[k]!;
    if (sum > peak) peak = sum;
  }
  return peak / (burstWindowMs / 1000);
}
