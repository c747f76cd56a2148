/**
 * The φ-quantile of a classic histogram's buckets, computed the way PromQL's
 * `histogram_quantile` does (prometheus/prometheus promql/quantile.go, `bucketQuantile`):
 * buckets sorted by upper bound and merged when bounds repeat; counts within 1e-12
 * relative of the previous one treated as equal; decreases removed (the running
 * maximum); linear interpolation inside the bucket holding rank `φ × total`, from 0 for
 * the lowest bucket when its bound is positive; the second-highest bound when the rank
 * falls in the +Inf bucket. NaN when there is no +Inf bucket, fewer than two buckets, or
 * no observations; −Inf for φ < 0 and +Inf for φ > 1.
 * @module
 */

export interface Bucket {
  /** The `le` bound. */
  upperBound: number;
  /** Cumulative count of observations ≤ the bound. */
  count: number;
}

export function bucketQuantile(q: number, input: readonly Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  if (input.length === 0) return Number.NaN;
  const sorted = [...input].sort((a, b) => a.upperBound - b.upperBound);
  if (sorted[sorted.length - 1]!.upperBound !== Infinity) return Number.NaN;
  const buckets: Bucket[] = [];
  for (const b of sorted) {
    const last = buckets[buckets.length - 1];
    if (last !== undefined && last.upperBound === b.upperBound) last.count += b.count;
    else buckets.push({ upperBound: b.upperBound, count: b.count });
  }
  // Float noise first, then forced monotonicity.
  let previous = buckets[0]!.count;
  for (let i = 1; i < buckets.length; i++) {
    const current = buckets[i]!.count;
    const delta = Math.abs(current - previous);
    if (delta === 0) continue;
    if (delta / current <= 1e-12) buckets[i]!.count = previous;
    else previous = current;
  }
  let max = buckets[0]!.count;
  for (let i = 1; i < buckets.length; i++) {
    if (buckets[i]!.count > max) max = buckets[i]!.count;
    else buckets[i]!.count = max;
  }
  if (buckets.length < 2) return Number.NaN;
  const observations = buckets[buckets.length - 1]!.count;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  let b = 0;
  while (b < buckets.length - 1 && buckets[b]!.count < rank) b++;
  if (b === buckets.length - 1) return buckets[buckets.length - 2]!.upperBound;
  if (b === 0 && buckets[0]!.upperBound <= 0) return buckets[0]!.upperBound;
  let start = 0;
  const end = buckets[b]!.upperBound;
  let count = buckets[b]!.count;
  if (b > 0) {
    start = buckets[b - 1]!.upperBound;
    count -= buckets[b - 1]!.count;
    rank -= buckets[b - 1]!.count;
  }
  return start + (end - start) * (rank / count);
}
