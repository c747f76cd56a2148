/**
 * What to do with a count trace's empty bins in the simulated part. An empty field is
 * missing data (a collection outage), not zero traffic (shared/data/README.md), so by
 * default its bins are filled by linear interpolation between the nearest observed bins
 * (a gap at an end takes the nearest observed value), rounded to whole requests. `zero`
 * replays them as no traffic, as earlier versions did. The warm-up part is left as it is:
 * a forecaster treats its gaps as gaps.
 * @module
 */
import type { BinnedSeries } from '@prescale/core';

export type GapPolicy = 'interpolate' | 'zero';
export const GAP_POLICIES: readonly GapPolicy[] = ['interpolate', 'zero'];

/**
 * The series with its empty bins in [`from`, `to`) filled, and how many were filled. A
 * series without any observed bin is returned as it is.
 */
export function interpolateGaps(series: BinnedSeries, from = 0, to = series.values.length): { series: BinnedSeries; filled: number } {
  const values = series.values.slice();
  let filled = 0;
  let before = -1;
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== null) {
      before = i;
      continue;
    }
    let after = i + 1;
    while (after < values.length && values[after] === null) after++;
    const a = before >= 0 ? values[before]! : null;
    const b = after < values.length ? values[after]! : null;
    if (a === null && b === null) return { series, filled: 0 };
    for (let k = i; k < after; k++) {
      if (k < from || k >= to) continue;
      const v = a === null ? b! : b === null ? a : a + ((b - a) * (k - before)) / (after - before);
      values[k] = Math.round(v);
      filled++;
    }
    i = after - 1;
  }
  return { series: { ...series, values }, filled };
}
