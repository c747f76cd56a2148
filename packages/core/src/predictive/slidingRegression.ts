/**
 * Least squares over a sliding window of samples, with a small ridge penalty: the
 * weights Scryer-style level correction puts on the recent residuals (Scryer's
 * production predictor was an "augmented linear regression", reference predictive.md
 * §1). Samples enter when their target becomes known and leave after `capacity`
 * newer ones, so the weights always come from recent out-of-sample behaviour.
 * Four features (fixed), solved by Gaussian elimination; plain typed arrays, no allocation.
 * @module
 */

export const FEATURES = 4;

export interface SlidingRegression {
  capacity: number;
  /** Ring of samples: the features, then z. */
  ring: Float64Array;
  size: number;
  position: number;
  /** XᵀX (row-major) and Xᵀz. */
  xx: Float64Array;
  xz: Float64Array;
  added: number;
}

export function createSlidingRegression(capacity: number): SlidingRegression {
  return { capacity, ring: new Float64Array(capacity * (FEATURES + 1)), size: 0, position: 0, xx: new Float64Array(FEATURES * FEATURES), xz: new Float64Array(FEATURES), added: 0 };
}

function accumulate(r: SlidingRegression, at: number, sign: number): void {
  const b = at * (FEATURES + 1);
  const z = r.ring[b + FEATURES]!;
  for (let i = 0; i < FEATURES; i++) {
    const xi = r.ring[b + i]!;
    r.xz[i] = r.xz[i]! + sign * xi * z;
    for (let j = 0; j < FEATURES; j++) r.xx[i * FEATURES + j] = r.xx[i * FEATURES + j]! + sign * xi * r.ring[b + j]!;
  }
}

/** Adds a sample (x: three features at `x[offset..]`, z: the response), dropping the oldest when full. */
export function addSample(r: SlidingRegression, x: Float64Array, offset: number, z: number): void {
  if (r.size === r.capacity) accumulate(r, r.position, -1);
  else r.size++;
  const b = r.position * (FEATURES + 1);
  for (let i = 0; i < FEATURES; i++) r.ring[b + i] = x[offset + i]!;
  r.ring[b + FEATURES] = z;
  accumulate(r, r.position, 1);
  r.position = (r.position + 1) % r.capacity;
  // Sliding sums drift by rounding; rebuild them once per window.
  if (++r.added % r.capacity === 0) {
    r.xx.fill(0);
    r.xz.fill(0);
    for (let k = 0; k < r.size; k++) accumulate(r, k, 1);
  }
}

const work = new Float64Array(FEATURES * (FEATURES + 1));

/**
 * The ridge solution β of (XᵀX + ρI) β = Xᵀz, ρ = `ridge` × mean diagonal of XᵀX, into
 * `beta`; zeros with fewer than `minSamples` samples or a singular system.
 */
export function solve(r: SlidingRegression, minSamples: number, ridge: number, beta: Float64Array): void {
  beta.fill(0);
  if (r.size < minSamples) return;
  const n = FEATURES;
  const w = n + 1;
  let trace = 0;
  for (let i = 0; i < n; i++) trace += r.xx[i * n + i]!;
  const rho = (ridge * trace) / n + 1e-12;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) work[i * w + j] = r.xx[i * n + j]! + (i === j ? rho : 0);
    work[i * w + n] = r.xz[i]!;
  }
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let i = col + 1; i < n; i++) if (Math.abs(work[i * w + col]!) > Math.abs(work[pivot * w + col]!)) pivot = i;
    const p = work[pivot * w + col]!;
    if (!(Math.abs(p) > 0) || !Number.isFinite(p)) return;
    if (pivot !== col) {
      for (let j = 0; j < w; j++) {
        const tmp = work[col * w + j]!;
        work[col * w + j] = work[pivot * w + j]!;
        work[pivot * w + j] = tmp;
      }
    }
    for (let i = col + 1; i < n; i++) {
      const f = work[i * w + col]! / p;
      if (f !== 0) for (let j = col; j < w; j++) work[i * w + j] = work[i * w + j]! - f * work[col * w + j]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let v = work[i * w + n]!;
    for (let j = i + 1; j < n; j++) v -= work[i * w + j]! * beta[j]!;
    beta[i] = v / work[i * w + i]!;
  }
  if (!beta.every(Number.isFinite)) beta.fill(0);
}
