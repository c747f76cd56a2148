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
  const added = new Float64Array(count);
  /** Per regression, XᵀX (row-major, kept symmetric) and Xᵀz. */
  const xx = new Float64Array(count * XX);
  const xz = new Float64Array(count * FEATURES);
  const work = new Float64Array(FEATURES * W);
  const beta = new Float64Array(FEATURES);

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
      if (size[k] === capacity) accumulate(k, at, -1);
      else size[k]!++;
      const b = (k * capacity + at) * W;
      for (let i = 0; i < FEATURES; i++) ring[b + i] = x[offset + i]!;
      ring[b + FEATURES] = z;
      accumulate(k, at, 1);
      position[k] = (at + 1) % capacity;
      // Sliding sums drift by rounding; rebuild them once per window.
      if (++added[k]! % capacity === 0) {
        xx.fill(0, k * XX, (k + 1) * XX);
        xz.fill(0, k * FEATURES, (k + 1) * FEATURES);
        for (let s = 0; s < size[k]!; s++) accumulate(k, s, 1);
      }
    },
    solve(k, minSamples, ridge, out, at) {
      out.fill(0, at, at + FEATURES);
      if (size[k]! < minSamples) return;
      const n = FEATURES;
      const m = k * XX;
      let trace = 0;
      for (let i = 0; i < n; i++) trace += xx[m + i * n + i]!;
      const rho = (ridge * trace) / n + 1e-12;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) work[i * W + j] = xx[m + i * n + j]! + (i === j ? rho : 0);
        work[i * W + n] = xz[k * n + i]!;
      }
      for (let col = 0; col < n; col++) {
        let pivot = col;
        for (let i = col + 1; i < n; i++) if (Math.abs(work[i * W + col]!) > Math.abs(work[pivot * W + col]!)) pivot = i;
        const p = work[pivot * W + col]!;
        if (!(Math.abs(p) > 0) || !Number.isFinite(p)) return;
        if (pivot !== col) {
          for (let j = 0; j < W; j++) {
            const tmp = work[col * W + j]!;
            work[col * W + j] = work[pivot * W + j]!;
            work[pivot * W + j] = tmp;
          }
        }
        for (let i = col + 1; i < n; i++) {
          const f = work[i * W + col]! / p;
          if (f !== 0) for (let j = col; j < W; j++) work[i * W + j] = work[i * W + j]! - f * work[col * W + j]!;
        }
      }
      for (let i = n - 1; i >= 0; i--) {
        let v = work[i * W + n]!;
        for (let j = i + 1; j < n; j++) v -= work[i * W + j]! * beta[j]!;
        beta[i] = v / work[i * W + i]!;
      }
      for (let i = 0; i < n; i++) if (!Number.isFinite(beta[i]!)) return;
      out.set(beta, at);
    },
  };
}
