/**
 * Numbers as the CRD's status schema types them (crd.ts: every integer is
 * `format: int32`, replica counts and generations have `minimum: 0`; forecast values are
 * JSON numbers), so that a status patch is never rejected by the API server, whatever a
 * decision holds: a forecaster's 1e308 req/s makes `predictedReplicas` 1.5e303, which no
 * int32 holds. Kubernetes' API conventions on integer fields:
 * https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md#primitive-types
 * @module
 */

/** The largest value of an int32 field (2^31 − 1). */
export const INT32_MAX = 2_147_483_647;

/**
 * `n` as a non-negative int32 status field: rounded, clamped into [0, 2^31 − 1]
 * (+Infinity to the top, −Infinity and negatives to 0); null for NaN, which leaves the
 * field out rather than writing a number that means nothing.
 */
export function statusInt(n: number): number | null {
  if (Number.isNaN(n)) return null;
  return Math.min(INT32_MAX, Math.max(0, Math.round(n)));
}

/** A forecast value as JSON can carry it: finite (±Infinity to ±Number.MAX_VALUE); null for NaN. */
export function statusNumber(n: number): number | null {
  if (Number.isNaN(n)) return null;
  return Math.min(Number.MAX_VALUE, Math.max(-Number.MAX_VALUE, n));
}
