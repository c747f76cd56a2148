/**
 * Knative's default window average (`TimedFloat64Buckets.WindowAverage`,
 * reference/knative-hpa.md A.7.1): the sum of the buckets in the window divided by the
 * number of buckets that hold valid data, rounded to 6 decimals. A window that began
 * recently is not diluted by the time before its first write; gaps inside it count as 0.
 * Unlike Go, a mean too large to scale by 10⁶ is returned as it is, not as +Inf.
 * @module
 */
import { goRound } from '../goMath.js';
import { type BucketWindow, windowSumAt } from './bucketWindow.js';

export function linearAverage(w: BucketWindow, now: number): number {
  const { sum, count } = windowSumAt(w, now);
  if (count <= 0) return 0;
  const mean = sum / count;
  const scaled = mean * 1e6;
  // Above about 1.8e302 the scaling overflows (Go's gives +Inf, which reads as an
  // invalid value); a mean that large has no decimals to round anyway.
  return Number.isFinite(scaled) ? goRound(scaled) / 1e6 : mean;
}
