/**
 * AIBrix's metric window (HEAD `metrics/client.go` TimeWindow; reference/aibrix.md 2.4):
 * one value per whole second, the last write in a second wins, the window keeps the
 * seconds in [t − W, t] of the newest record, and its value is the plain mean of what
 * it holds. Unlike Knative's buckets, seconds without a sample are not counted as 0,
 * which is what a scaler sampling every 10 s needs.
 * @module
 */
import { positive } from '../validate.js';
import { saturatingAdd } from './bucketWindow.js';

export interface SampleWindow {
  windowSeconds: number;
  /** `[second, value]`, ascending by second. */
  samples: Array<[second: number, value: number]>;
}

export function createSampleWindow(windowSeconds: number): SampleWindow {
  positive('windowSeconds', windowSeconds);
  return { windowSeconds, samples: [] };
}

/**
 * Records `value` at time `t` (ms) and evicts seconds older than `t − window`. A −0 is
 * stored as 0: JSON has no −0, and a state must decide the same after a round trip.
 */
export function recordSample(w: SampleWindow, t: number, value: number): SampleWindow {
  const second = Math.floor(t / 1000);
  const oldest = Math.floor((t - w.windowSeconds * 1000) / 1000);
  const samples = w.samples.filter(([s]) => s >= oldest && s !== second);
  let at = samples.length;
  while (at > 0 && samples[at - 1]![0] > second) at--;
  samples.splice(at, 0, [second, value + 0]);
  return { windowSeconds: w.windowSeconds, samples };
}

/**
 * Plain mean of the samples within [now − window, now], and how many there were.
 * AIBrix reads whatever the window still holds, however old; prescale ignores samples
 * that fell out of the window since, so a stalled metric source reads as "no data"
 * rather than as the last load seen. The sum saturates at ±Number.MAX_VALUE, so extreme
 * finite samples give a finite mean.
 */
export function sampleMean(w: SampleWindow, now: number): { mean: number; count: number } {
  const oldest = Math.floor((now - w.windowSeconds * 1000) / 1000);
  const newest = Math.floor(now / 1000);
  let total = 0;
  let count = 0;
  for (const [s, v] of w.samples) {
    if (s < oldest || s > newest) continue;
    total += v;
    count++;
  }
  // Only a sum that overflowed is added again, saturating.
  if (!(total <= Number.MAX_VALUE && total >= -Number.MAX_VALUE)) {
    total = 0;
    for (const [s, v] of w.samples) if (s >= oldest && s <= newest) total = saturatingAdd(total, v);
  }
  return { mean: count === 0 ? 0 : total / count, count };
}
