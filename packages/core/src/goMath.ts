/**
 * Go's numeric conversions, reproduced so that ports of Knative, Kubernetes and AIBrix
 * round exactly as the originals do (reference/knative-hpa.md C.1).
 * @module
 */

export const MAX_INT32 = 2_147_483_647;
export const MIN_INT32 = -2_147_483_648;
/** `math.MaxInt64` as the nearest double; JSON numbers of that size parse to it too. */
export const MAX_INT64 = 9_223_372_036_854_775_807;

/**
 * Go's `int32(x)` for a float: truncation toward zero. Go leaves out-of-range
 * conversions undefined; upstream saturates where it guards, so this saturates.
 */
export function int32(x: number): number {
  if (Number.isNaN(x)) return 0;
  if (x >= MAX_INT32) return MAX_INT32;
  if (x <= MIN_INT32) return MIN_INT32;
  return Math.trunc(x);
}

/** Go's `int64(x)` for a float, saturating at `math.MaxInt64` / `math.MinInt64`. */
export function int64(x: number): number {
  if (Number.isNaN(x)) return 0;
  if (x >= MAX_INT64) return MAX_INT64;
  if (x <= -MAX_INT64) return -MAX_INT64;
  return Math.trunc(x);
}

/** Go's `math.Round`: half away from zero (JavaScript's `Math.round` rounds half up). */
export function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

const TWO_POW_52 = 2 ** 52;

/**
 * Go integer division `a / b` for int64 values: truncates toward zero. Exact for safe
 * integers: below 2^52 the float quotient cannot round across an integer (the gap to
 * the next integer, 1/b, exceeds half an ulp), above it BigInt does the division.
 */
export function intDiv(a: number, b: number): number {
  if (Math.abs(a) < TWO_POW_52 && Number.isInteger(a) && Number.isSafeInteger(b)) return Math.trunc(a / b);
  if (Number.isSafeInteger(a) && Number.isSafeInteger(b)) return Number(BigInt(a) / BigInt(b));
  return Math.trunc(a / b);
}

/** Adds int64 values the way Kubernetes' external-metric sum does: saturating at MaxInt64. */
export function saturatingSum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) {
    total += v;
    if (total >= MAX_INT64) return MAX_INT64;
  }
  return total;
}
