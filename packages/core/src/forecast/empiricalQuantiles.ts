/**
 * Forecast quantiles from a model's own recent out-of-sample errors (empirical, no
 * normality assumption; reference predictive.md §9.1 pinball loss and coverage). The
 * errors are relative to the point forecast, e = (y − ŷ) / s with s = max(ŷ, floor),
 * because the spread of request counts grows with their level; the floor (a tenth of
 * the recent mean level, at least one request) keeps a forecast of zero after an
 * outage from turning one error into a huge relative one. The τ-quantile forecast is
 * ŷ + s · Q_τ(e), with Q_τ the linear-interpolation quantile of the window (R type 7,
 * numpy's default; the same arithmetic as simple-statistics' `quantileSorted`).
 * @module
 */

/** The scale an error is divided by: the forecast, at least `floor` (and at least one request). */
export function errorScale(forecast: number, floor: number): number {
  const f = floor > 1 ? floor : 1;
  return forecast > f ? forecast : f;
}

/** The floor of the error scale for a recent mean level: a tenth of it. */
export function scaleFloor(recentMean: number): number {
  return recentMean === recentMean ? recentMean / 10 : 1;
}

/** A window of values kept sorted, for quantiles of the recent errors. */
export interface SortedWindow {
  values: Float64Array;
  size: number;
}

export function createSortedWindow(capacity: number): SortedWindow {
  return { values: new Float64Array(capacity), size: 0 };
}

function lowerBound(w: SortedWindow, v: number): number {
  let lo = 0;
  let hi = w.size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (w.values[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function sortedInsert(w: SortedWindow, v: number): void {
  const at = lowerBound(w, v);
  w.values.copyWithin(at + 1, at, w.size);
  w.values[at] = v;
  w.size++;
}

export function sortedRemove(w: SortedWindow, v: number): void {
  const at = lowerBound(w, v);
  if (at >= w.size || w.values[at] !== v) return;
  w.values.copyWithin(at, at + 1, w.size);
  w.size--;
}

/**
 * Replaces `old` by `v`: the same window as removing `old` and inserting `v`, but only
 * the values between the two move (a window of a thousand errors slides by one at every
 * scored sample). Inserts `v` when `old` is not in the window.
 */
export function sortedReplace(w: SortedWindow, old: number, v: number): void {
  const i = lowerBound(w, old);
  if (i >= w.size || w.values[i] !== old) {
    sortedInsert(w, v);
    return;
  }
  const j = lowerBound(w, v);
  // v above old: the values in between move down a place; otherwise they move up.
  if (j > i) {
    w.values.copyWithin(i, i + 1, j);
    w.values[j - 1] = v;
  } else {
    w.values.copyWithin(j + 1, j, i);
    w.values[j] = v;
  }
}

export function sortedClear(w: SortedWindow): void {
  w.size = 0;
}

/**
 * The p-quantile of the window (0 ≤ p ≤ 1): the order statistic at (size − 1)·p,
 * interpolated linearly between its neighbours; NaN when the window is empty.
 */
export function windowQuantile(w: SortedWindow, p: number): number {
  const n = w.size;
  if (n === 0) return Number.NaN;
  const x = w.values;
  if (p === 1) return x[n - 1]!;
  if (p === 0) return x[0]!;
  const idx = (n - 1) * p;
  const lower = Math.floor(idx);
  if (lower === idx) return x[idx]!;
  const upper = Math.ceil(idx);
  return x[lower]! + (idx - lower) * (x[upper]! - x[lower]!);
}

/** The τ-quantile forecast for point forecast `forecast` from the errors in `w`. */
export function quantileForecast(w: SortedWindow, forecast: number, floor: number, p: number): number {
  return forecastAtError(forecast, floor, windowQuantile(w, p));
}

/**
 * The forecast shifted by a relative error `q` (a quantile of the recent errors, kept by
 * a fit): ŷ + s · q, at least 0.
 */
export function forecastAtError(forecast: number, floor: number, q: number): number {
  const v = forecast + errorScale(forecast, floor) * q;
  return v > 0 ? v : 0;
}
