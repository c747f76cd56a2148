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

const W = FEATURES + 1;
/** Per regression: the upper triangle of XᵀX (row by row: 00 01 02 03 11 12 13 22 23 33), then Xᵀz. */
const SUMS = 14;

/**
 * `count` regressions over windows of `capacity` samples, numbered 0..count − 1. (A
 * class, so that the hot calls have one target to inline.)
 */
export class SlidingRegressions {
  /** Per regression, a ring of samples: the features, then z. */
  private readonly ring: Float64Array;
  private readonly size: Int32Array;
  private readonly position: Int32Array;
  private readonly sums: Float64Array;

  constructor(count: number, private readonly capacity: number) {
    this.ring = new Float64Array(count * capacity * W);
    this.size = new Int32Array(count);
    this.position = new Int32Array(count);
    this.sums = new Float64Array(count * SUMS);
  }

  /** Adds a sample to regression `k` (x: the features at `x[offset..]`, z: the response), dropping its oldest when full. */
  add(k: number, x: Float64Array, offset: number, z: number): void {
    const { ring, capacity } = this;
    const at = this.position[k]!;
    const full = this.size[k] === capacity;
    if (full) this.accumulate(k, at, -1);
    else this.size[k]!++;
    const b = (k * capacity + at) * W;
    const x0 = x[offset]!;
    const x1 = x[offset + 1]!;
    const x2 = x[offset + 2]!;
    const x3 = x[offset + 3]!;
    ring[b] = x0;
    ring[b + 1] = x1;
    ring[b + 2] = x2;
    ring[b + 3] = x3;
    ring[b + 4] = z;
    products(this.sums, k * SUMS, x0, x1, x2, x3, x0, x1, x2, x3, z);
    const next = at + 1 === capacity ? 0 : at + 1;
    this.position[k] = next;
    // Sliding sums drift by rounding; rebuild them once per window, when the ring
    // wraps. (Not when it has just filled for the first time: nothing has left it yet,
    // and the rebuild would repeat the same additions in the same order.)
    if (next === 0 && full) {
      this.sums.fill(0, k * SUMS, (k + 1) * SUMS);
      for (let s = 0; s < capacity; s++) this.accumulate(k, s, 1);
    }
  }

  /**
   * Regression `k`'s ridge solution β of (XᵀX + ρI) β = Xᵀz, ρ = `ridge` × the mean
   * diagonal of XᵀX, into `beta[at..at + FEATURES)`; zeros with fewer than
   * `minSamples` samples or a singular system.
   */
  solve(k: number, minSamples: number, ridge: number, beta: Float64Array, at: number): void {
    beta.fill(0, at, at + FEATURES);
    if (this.size[k]! < minSamples) return;
    solve4(this.sums, k * SUMS, ridge, beta, at);
  }

  /** Adds (sign 1) or removes (sign −1) the sample at ring slot `at` of regression `k`. */
  private accumulate(k: number, at: number, sign: number): void {
    const { ring } = this;
    const b = (k * this.capacity + at) * W;
    const x0 = ring[b]!;
    const x1 = ring[b + 1]!;
    const x2 = ring[b + 2]!;
    const x3 = ring[b + 3]!;
    products(this.sums, k * SUMS, sign * x0, sign * x1, sign * x2, sign * x3, x0, x1, x2, x3, ring[b + 4]!);
  }
}

/**
 * Adds the products of a sample (x, z) to the sums at `sums[m..]`, each scaled by the
 * sign folded into s = ±x: 1 adds the sample, −1 removes it. XᵀX is symmetric and
 * (±xᵢ)·xⱼ = (±xⱼ)·xᵢ exactly, so only its upper triangle is kept.
 */
function products(sums: Float64Array, m: number, s0: number, s1: number, s2: number, s3: number, x0: number, x1: number, x2: number, x3: number, z: number): void {
  sums[m] = sums[m]! + s0 * x0;
  sums[m + 1] = sums[m + 1]! + s0 * x1;
  sums[m + 2] = sums[m + 2]! + s0 * x2;
  sums[m + 3] = sums[m + 3]! + s0 * x3;
  sums[m + 4] = sums[m + 4]! + s1 * x1;
  sums[m + 5] = sums[m + 5]! + s1 * x2;
  sums[m + 6] = sums[m + 6]! + s1 * x3;
  sums[m + 7] = sums[m + 7]! + s2 * x2;
  sums[m + 8] = sums[m + 8]! + s2 * x3;
  sums[m + 9] = sums[m + 9]! + s3 * x3;
  sums[m + 10] = sums[m + 10]! + s0 * z;
  sums[m + 11] = sums[m + 11]! + s1 * z;
  sums[m + 12] = sums[m + 12]! + s2 * z;
  sums[m + 13] = sums[m + 13]! + s3 * z;
}

/**
 * Gaussian elimination with partial pivoting of (A + ρI) β = b for the symmetric 4 × 4
 * A (its upper triangle at `a[m..]`, b after it), ρ = `ridge` × the mean diagonal of A, written out for
 * four unknowns (the same operations in the same order as the textbook loops: the
 * pivot is the first largest |entry| of the column, rows are swapped, the rows below
 * are reduced unless their factor is 0, then back substitution). Leaves `out` as it is
 * when a pivot is 0 or not finite, or β is not finite.
 */
function solve4(a: Float64Array, m: number, ridge: number, out: Float64Array, at: number): void {
  // The trace summed from 0, as the loops do.
  const rho = (ridge * (0 + a[m]! + a[m + 4]! + a[m + 7]! + a[m + 9]!)) / 4 + 1e-12;
  // `+ 0` as the loops add the ridge (0 off the diagonal): it turns −0 into 0.
  let a00 = a[m]! + rho;
  let a01 = a[m + 1]! + 0;
  let a02 = a[m + 2]! + 0;
  let a03 = a[m + 3]! + 0;
  let a04 = a[m + 10]!;
  let a10 = a01;
  let a11 = a[m + 4]! + rho;
  let a12 = a[m + 5]! + 0;
  let a13 = a[m + 6]! + 0;
  let a14 = a[m + 11]!;
  let a20 = a02;
  let a21 = a12;
  let a22 = a[m + 7]! + rho;
  let a23 = a[m + 8]! + 0;
  let a24 = a[m + 12]!;
  let a30 = a03;
  let a31 = a13;
  let a32 = a23;
  let a33 = a[m + 9]! + rho;
  let a34 = a[m + 13]!;
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
