/**
 * A {@link BinnedSeries} moved onto a zone's local axis (series/timeZone.ts), so that
 * the forecasters, which read weeks and days as whole numbers of bins, find last
 * week's Monday 09:00 at Monday 09:00 local time across a daylight-saving change.
 * Each bin goes to the local bin of its start; the hour skipped in spring is a gap
 * (no data, never a zero) and the hour repeated in autumn is the mean of its two
 * bins (a count per bin of the same width, so the mean keeps its level).
 * @module
 */
import { PrescaleError } from '../errors.js';
import type { BinnedSeries } from './binnedSeries.js';
import { toLocalAxis, type ZoneAxis } from './timeZone.js';

/**
 * The series on the local axis; its `utcOffsetMinutes` is the axis' anchor offset.
 * @throws PrescaleError `InvalidTrace` when the series' bin is not the axis' bin.
 */
export function toZoneAxis(series: BinnedSeries, axis: ZoneAxis): BinnedSeries {
  const { binMs } = series;
  if (binMs !== axis.binMs) throw new PrescaleError('InvalidTrace', 'series.binMs', binMs, `must be the zone axis' bin (${axis.binMs} ms)`);
  const n = series.values.length;
  if (n === 0) return { startMs: toLocalAxis(axis, series.startMs), binMs, values: [], utcOffsetMinutes: axis.baseOffsetMinutes };
  const local = new Float64Array(n);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const l = toLocalAxis(axis, series.startMs + i * binMs);
    local[i] = l;
    if (l < lo) lo = l;
    if (l > hi) hi = l;
  }
  const length = Math.round((hi - lo) / binMs) + 1;
  const sum = new Float64Array(length);
  const count = new Int32Array(length);
  for (let i = 0; i < n; i++) {
    const v = series.values[i];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number') throw new PrescaleError('InvalidTrace', `series.values[${i}]`, v, 'must be a count (a number) or null (a gap)');
    const j = Math.round((local[i]! - lo) / binMs);
    sum[j] = sum[j]! + v;
    count[j] = count[j]! + 1;
  }
  const values: Array<number | null> = new Array(length);
  for (let j = 0; j < length; j++) values[j] = count[j]! > 0 ? sum[j]! / count[j]! : null;
  return { startMs: lo, binMs, values, utcOffsetMinutes: axis.baseOffsetMinutes };
}
