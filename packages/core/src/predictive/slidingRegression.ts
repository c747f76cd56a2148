/**
 * Least squares over a sliding window of samples, with a small ridge penalty: the
 * weights Scryer-style level correction puts on the recent residuals (Scryer's
 * production predictor was an "augmented linear regression", reference predictive.md
 * §1). Samples enter when their target becomes known and leave after `capacity`
 * newer ones, so the weights always come from recent out-of-sample behaviour.
 * Four features (fixed), solved by Gaussian elimination. One set holds many
 * regressions (each Scryer pattern variant and form has its own) in flat typed
 * arrays; nothing is allocated per sample.
 * @module
 */

export const FEATURES = 4;

/** `count` regressions over windows of `capacity` samples, numbered 0..count − 1. */
export interface SlidingRegressions {
  /** Adds a sample to regression `k` (x: the features at `x[offset..]`, z: the response), dropping its oldest when full. */
  add(k: number, x: Float64Array, offset: number, z: number): void;
  /**
   * Regression `k`'s ridge solution β of (XᵀX + ρI) β = Xᵀz, ρ = `ridge` × the mean
   * diagonal of XᵀX, into `beta[at..at + FEATURES)`; zeros with fewer than
   * `minSamples` samples or a singular system.
   */
  solve(k: number, minSamples: number, ridge: number, beta: Float64Array, at: number): void;
}

const W = FEATURES + 1;
const XX = FEATURES * FEATURES;

export function createSlidingRegressions(count: number, capacity: number): SlidingRegressions {
  /** Per regression, a ring of samples: the features, then z. */
  const ring = new Float64Array(count * capacity * W);
  const size = new Int32Array(count);
  const position = new Int32Array(count);
  /** Per regression, XᵀX (row-major, kept symmetric) and Xᵀz. */
  const xx = new Float64Array(count * XX);
  const xz = new Float64Array(count * FEATURES);

  /**
   * Adds (sign 1) or removes (sign −1) the sample at ring slot `at` of regression `k`.
   * XᵀX is symmetric and (±xᵢ)·xⱼ = (±xⱼ)·xᵢ exactly, so each product is formed once
   * and stored at both places.
   */
  function accumulate(k: number, at: number, sign: number): void {
    const b = (k * capacity + at) * W;
    const x0 = ring[b]!;
    const x1 = ring[b + 1]!;
    const x2 = ring[b + 2]!;
    const x3 = ring[b + 3]!;
    const z = ring[b + 4]!;
    const s0 = sign * x0;
    const s1 = sign * x1;
    const s2 = sign * x2;
    const s3 = sign * x3;
    const v = k * FEATURES;
    xz[v] = xz[v]! + s0 * z;
    xz[v + 1] = xz[v + 1]! + s1 * z;
    xz[v + 2] = xz[v + 2]! + s2 * z;
    xz[v + 3] = xz[v + 3]! + s3 * z;
    const m = k * XX;
    xx[m] = xx[m]! + s0 * x0;
    xx[m + 1] = xx[m + 4] = xx[m + 1]! + s0 * x1;
    xx[m + 2] = xx[m + 8] = xx[m + 2]! + s0 * x2;
    xx[m + 3] = xx[m + 12] = xx[m + 3]! + s0 * x3;
    xx[m + 5] = xx[m + 5]! + s1 * x1;
    xx[m + 6] = xx[m + 9] = xx[m + 6]! + s1 * x2;
    xx[m + 7] = xx[m + 13] = xx[m + 7]! + s1 * x3;
    xx[m + 10] = xx[m + 10]! + s2 * x2;
    xx[m + 11] = xx[m + 14] = xx[m + 11]! + s2 * x3;
    xx[m + 15] = xx[m + 15]! + s3 * x3;
  }

  return {
    add(k, x, offset, z) {
      const at = position[k]!;
      const full = size[k] === capacity;
      if (full) accumulate(k, at, -1);
      else size[k]!++;
      const b = (k * capacity + at) * W;
      for (let i = 0; i < FEATURES; i++) ring[b + i] = x[offset + i]!;
      ring[b + FEATURES] = z;
      accumulate(k, at, 1);
      const next = at + 1 === capacity ? 0 : at + 1;
      position[k] = next;
      // Sliding sums drift by rounding; rebuild them once per window, when the ring
      // wraps. (Not when it has just filled for the first time: nothing has left it yet,
      // and the rebuild would repeat the same additions in the same order.)
      if (next === 0 && full) {
        xx.fill(0, k * XX, (k + 1) * XX);
        xz.fill(0, k * FEATURES, (k + 1) * FEATURES);
        for (let s = 0; s < capacity; s++) accumulate(k, s, 1);
      }
    },
    solve(k, minSamples, ridge, out, at) {
      out.fill(0, at, at + FEATURES);
      if (size[k]! < minSamples) return;
      solve4(xx, k * XX, xz, k * FEATURES, ridge, out, at);
    },
  };
}

/**
 * Gaussian elimination with partial pivoting of (A + ρI) β = b for the symmetric 4 × 4
 * A at `a[m..]` and b at `b[v..]`, ρ = `ridge` × the mean diagonal of A, written out for
 * four unknowns (the same operations in the same order as the textbook loops: the
 * pivot is the first largest |entry| of the column, rows are swapped, the rows below
 * are reduced unless their factor is 0, then back substitution). Leaves `out` as it is
 * when a pivot is 0 or not finite, or β is not finite.
 */
function solve4(a: Float64Array, m: number, b: Float64Array, v: number, ridge: number, out: Float64Array, at: number): void {
  // The trace summed from 0, as the loops do.
  const rho = (ridge * (0 + a[m]! + a[m + 5]! + a[m + 10]! + a[m + 15]!)) / 4 + 1e-12;
  // `+ 0` as the loops add the ridge (0 off the diagonal): it turns −0 into 0.
  let a00 = a[m]! + rho;
  let a01 = a[m + 1]! + 0;
  let a02 = a[m + 2]! + 0;
  let a03 = a[m + 3]! + 0;
  let a04 = b[v]!;
  let a10 = a[m + 4]! + 0;
  let a11 = a[m + 5]! + rho;
  let a12 = a[m + 6]! + 0;
  let a13 = a[m + 7]! + 0;
  let a14 = b[v + 1]!;
  let a20 = a[m + 8]! + 0;
  let a21 = a[m + 9]! + 0;
  let a22 = a[m + 10]! + rho;
  let a23 = a[m + 11]! + 0;
  let a24 = b[v + 2]!;
  let a30 = a[m + 12]! + 0;
  let a31 = a[m + 13]! + 0;
  let a32 = a[m + 14]! + 0;
  let a33 = a[m + 15]! + rho;
  let a34 = b[v + 3]!;
  let s: number;
  // Column 0.
  let pivot = 0;
  let best = Math.abs(a00);
  if (Math.abs(a10) > best) {
    pivot = 1;
    best = Math.abs(a10);
  }
  if (Math.abs(a20) > best) {
    pivot = 2;
    best = Math.abs(a20);
  }
  if (Math.abs(a30) > best) pivot = 3;
  if (pivot === 1) {
    s = a00; a00 = a10; a10 = s; s = a01; a01 = a11; a11 = s; s = a02; a02 = a12; a12 = s; s = a03; a03 = a13; a13 = s; s = a04; a04 = a14; a14 = s;
  } else if (pivot === 2) {
    s = a00; a00 = a20; a20 = s; s = a01; a01 = a21; a21 = s; s = a02; a02 = a22; a22 = s; s = a03; a03 = a23; a23 = s; s = a04; a04 = a24; a24 = s;
  } else if (pivot === 3) {
    s = a00; a00 = a30; a30 = s; s = a01; a01 = a31; a31 = s; s = a02; a02 = a32; a32 = s; s = a03; a03 = a33; a33 = s; s = a04; a04 = a34; a34 = s;
  }
  if (!(Math.abs(a00) > 0) || a00 - a00 !== 0) return;
  let f = a10 / a00;
  if (f !== 0) {
    a11 -= f * a01;
    a12 -= f * a02;
    a13 -= f * a03;
    a14 -= f * a04;
  }
  f = a20 / a00;
  if (f !== 0) {
    a21 -= f * a01;
    a22 -= f * a02;
    a23 -= f * a03;
    a24 -= f * a04;
  }
  f = a30 / a00;
  if (f !== 0) {
    a31 -= f * a01;
    a32 -= f * a02;
    a33 -= f * a03;
    a34 -= f * a04;
  }
  // Column 1.
  pivot = 1;
  best = Math.abs(a11);
  if (Math.abs(a21) > best) {
    pivot = 2;
    best = Math.abs(a21);
  }
  if (Math.abs(a31) > best) pivot = 3;
  if (pivot === 2) {
    s = a11; a11 = a21; a21 = s; s = a12; a12 = a22; a22 = s; s = a13; a13 = a23; a23 = s; s = a14; a14 = a24; a24 = s;
  } else if (pivot === 3) {
    s = a11; a11 = a31; a31 = s; s = a12; a12 = a32; a32 = s; s = a13; a13 = a33; a33 = s; s = a14; a14 = a34; a34 = s;
  }
  if (!(Math.abs(a11) > 0) || a11 - a11 !== 0) return;
  f = a21 / a11;
  if (f !== 0) {
    a22 -= f * a12;
    a23 -= f * a13;
    a24 -= f * a14;
  }
  f = a31 / a11;
  if (f !== 0) {
    a32 -= f * a12;
    a33 -= f * a13;
    a34 -= f * a14;
  }
  // Column 2.
  if (Math.abs(a32) > Math.abs(a22)) {
    s = a22; a22 = a32; a32 = s; s = a23; a23 = a33; a33 = s; s = a24; a24 = a34; a34 = s;
  }
  if (!(Math.abs(a22) > 0) || a22 - a22 !== 0) return;
  f = a32 / a22;
  if (f !== 0) {
    a33 -= f * a23;
    a34 -= f * a24;
  }
  // Column 3.
  if (!(Math.abs(a33) > 0) || a33 - a33 !== 0) return;
  const b3 = a34 / a33;
  const b2 = (a24 - a23 * b3) / a22;
  const b1 = (a14 - a12 * b2 - a13 * b3) / a11;
  const b0 = (a04 - a01 * b1 - a02 * b2 - a03 * b3) / a00;
  // x − x is 0 unless x is NaN or infinite.
  if (b0 - b0 !== 0 || b1 - b1 !== 0 || b2 - b2 !== 0 || b3 - b3 !== 0) return;
  out[at] = b0;
  out[at + 1] = b1;
  out[at + 2] = b2;
  out[at + 3] = b3;
}
