/**
 * The robust, recency-weighted average of one slot's past values that the Scryer-style
 * forecaster uses (reference predictive.md §1: "same time slot on the same weekday in
 * past weeks are grouped, outliers are removed"; §10.2: robust, recency-weighted).
 * The values are winsorised (the `c` lowest are raised to the c-th lowest and the `c`
 * highest lowered to the c-th highest, `c = max(1, ⌊n × fraction⌋)` once n ≥ 3), then
 * averaged with weights that halve every `halfLife` of age. A single holiday or outage
 * spike moves the result by at most the spread of the ordinary values.
 * @module
 */

/**
 * Winsorised weighted mean of `values[0..n)` with `weights[0..n)`; sorts both in place
 * by value. NaN when n is 0.
 */
export function winsorizedWeightedMean(values: Float64Array, weights: Float64Array, n: number, fraction: number): number {
  for (let i = 1; i < n; i++) insert(values, weights, i, values[i]!, weights[i]!);
  return sortedMean(values, weights, n, clipCount(n, fraction));
}

/** How many values are clipped at each end of n: max(1, ⌊n × fraction⌋) once n ≥ 3, less than half. */
export function clipCount(n: number, fraction: number): number {
  return fraction > 0 && n >= 3 ? Math.min(Math.floor((n - 1) / 2), Math.max(1, Math.floor(n * fraction))) : 0;
}

/** {@link clipCount} for every n up to `maxN`, for {@link nestedWinsorizedMeans}. */
export function clipCounts(maxN: number, fraction: number): Int32Array {
  return Int32Array.from({ length: maxN + 1 }, (_, n) => clipCount(n, fraction));
}

let sortedValues = new Float64Array(16);
let sortedWeights = new Float64Array(16);

/**
 * The winsorised weighted means of nested sets of copies, newest first: for each k of
 * `counts` (ascending), the mean of the observed values among `copies[1..k]` (NaN:
 * missing) with `weights[1..k]`, into `out[at + i]`; a k beyond `copies` (`n` of them)
 * gets the mean of all. `clip` is {@link clipCounts} for at least n. One pass serves all k (the last 2, 4, 8 and 12 weeks): each
 * copy is inserted into the ones sorted so far, which is exactly how
 * {@link winsorizedWeightedMean} sorts them, so each mean equals that function's for
 * its first k copies.
 */
export function nestedWinsorizedMeans(copies: Float64Array, weights: Float64Array, n: number, counts: Int32Array, clip: Int32Array, out: Float64Array, at: number): void {
  if (sortedValues.length < n) {
    sortedValues = new Float64Array(n);
    sortedWeights = new Float64Array(n);
  }
  const values = sortedValues;
  const w = sortedWeights;
  let size = 0;
  let next = 0;
  const last = counts.length;
  for (let j = 1; j <= n && next < last; j++) {
    const v = copies[j]!;
    if (v === v) insert(values, w, size++, v, weights[j]!);
    if (j === counts[next]!) out[at + next++] = sortedMean(values, w, size, clip[size]!);
  }
  while (next < last) out[at + next++] = sortedMean(values, w, size, clip[size]!);
}

/** Inserts `v` (weight `w`) into the sorted `values[0..n)`, after the values equal to it. */
function insert(values: Float64Array, weights: Float64Array, n: number, v: number, w: number): void {
  let j = n - 1;
  while (j >= 0 && values[j]! > v) {
    values[j + 1] = values[j]!;
    weights[j + 1] = weights[j]!;
    j--;
  }
  values[j + 1] = v;
  weights[j + 1] = w;
}

/** The weighted mean of the sorted `values[0..n)` with the `c` lowest and highest clipped. */
function sortedMean(values: Float64Array, weights: Float64Array, n: number, c: number): number {
  if (n === 0) return Number.NaN;
  const lo = values[c]!;
  const hi = values[n - 1 - c]!;
  let total = 0;
  let weight = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const clipped = v < lo ? lo : v > hi ? hi : v;
    total += clipped * weights[i]!;
    weight += weights[i]!;
  }
  return total / weight;
}
