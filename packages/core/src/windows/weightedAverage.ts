/**
 * Knative's `weighted-exponential` window average (`WeightedFloat64Buckets`,
 * reference/knative-hpa.md A.7.2): an exponentially weighted sum of the buckets,
 * newest first, with smoothing `m = max(1 − 0.0001^(1/n), 0.2)` for n buckets.
 * Not normalised and not rounded, as upstream.
 * @module
 */
import { type BucketWindow, isBucketWindowEmpty, timeToIndex, truncate } from './bucketWindow.js';

const WEIGHT_PRECISION = 0.9999;
const MIN_EXPONENT = 0.2;

/** The smoothing coefficient for a window of `buckets` buckets. */
export function smoothingCoefficient(buckets: number): number {
  return Math.max(1 - Math.pow(1 - WEIGHT_PRECISION, 1 / buckets), MIN_EXPONENT);
}

export function weightedAverage(w: BucketWindow, now: number): number {
  if (w.lastWrite === null || isBucketWindowEmpty(w, now)) return 0;
  const n = w.buckets.length;
  const m = smoothingCoefficient(n);
  const at = truncate(w, now);
  let multiplier = m;
  let count = n;
  if (at > w.lastWrite) {
    const skipped = Math.round((at - w.lastWrite) / (w.granularitySeconds * 1000));
    multiplier *= Math.pow(1 - m, skipped);
    count -= skipped;
  }
  const lastIdx = timeToIndex(w, w.lastWrite);
  let total = 0;
  for (let i = 0; i < count; i++) {
    total += w.buckets[(((lastIdx - i) % n) + n) % n]! * multiplier;
    multiplier *= 1 - m;
  }
  return total;
}
