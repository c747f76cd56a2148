/**
 * A forecast issued in a time zone (`timeZone` on a forecast request): the history
 * before the issue time moved onto the zone's local axis anchored at the issue time
 * (series/timeZone.ts, series/zonedSeries.ts), the forecast made there by the same
 * models, and its points brought back to the UTC bins asked for. So the weekly pattern
 * learnt before a daylight-saving change puts the Monday 09:00 local peak at 09:00
 * local after it, where a UTC pattern would put it an hour off for as many weeks as it
 * averages. A UTC bin whose local bin is before the issue (the repeated hour of autumn,
 * inside the horizon) takes the first bin's forecast.
 * @module
 */
import { PrescaleError } from '../errors.js';
import { type BinnedSeries, sliceSeries } from '../series/binnedSeries.js';
import { toLocalAxis, zoneAxis } from '../series/timeZone.js';
import { toZoneAxis } from '../series/zonedSeries.js';
import { timestamp } from '../validate.js';
import type { ForecastResult } from './forecastResult.js';
import type { OutageWindow } from './preparedSeries.js';

/** A forecast request's issue, on the zone's local axis. */
export interface ZonedIssue {
  /** The history before the issue time, on the local axis. */
  series: BinnedSeries;
  /** The issue time on the local axis (the anchor: equal to the UTC issue time). */
  atMs: number;
  /** Local bins to forecast so that every UTC bin of the horizon is covered. */
  horizonBins: number;
  outages: OutageWindow[];
  /** The UTC issue time (start of the bin the forecast starts at). */
  issuedMs: number;
  /** Per UTC bin of the horizon: its local bin, counted from the issue. */
  targets: number[];
}

/**
 * Moves an issue at `atMs` (default: the end of the series) for `horizonBins` UTC bins
 * onto the local axis of `timeZone`.
 * @throws PrescaleError for an unknown zone, or an issue time less than one bin after the series' start.
 */
export function zonedIssue(series: BinnedSeries, timeZone: string, atMs: number | undefined, horizonBins: number, outages: readonly OutageWindow[] = []): ZonedIssue {
  const { binMs } = series;
  const at = atMs === undefined ? series.startMs + series.values.length * binMs : timestamp('atMs', atMs);
  const t = Math.floor((at - series.startMs) / binMs);
  if (t < 1) throw new PrescaleError('InvalidConfig', 'atMs', at, 'must be at least one bin after the start of the series');
  const issuedMs = series.startMs + t * binMs;
  const axis = zoneAxis(timeZone, binMs, issuedMs);
  const local = toZoneAxis(sliceSeries(series, series.startMs, issuedMs), axis);
  const atLocal = toLocalAxis(axis, issuedMs);
  const targets: number[] = [];
  for (let k = 0; k < horizonBins; k++) targets.push(Math.round((toLocalAxis(axis, issuedMs + k * binMs) - atLocal) / binMs));
  const moved = outages.map((o) => {
    const startMs = toLocalAxis(axis, o.startMs);
    return { startMs, endMs: Math.max(startMs, toLocalAxis(axis, o.endMs)) };
  });
  return { series: local, atMs: atLocal, horizonBins: Math.max(1, ...targets.map((j) => j + 1)), outages: moved, issuedMs, targets };
}

/** A forecast made on the local axis, its points brought back to the UTC bins of the issue. */
export function fromZone(result: ForecastResult, issue: ZonedIssue): ForecastResult {
  const { binMs } = result;
  if (result.status !== 'ok') return { ...result, issuedMs: issue.issuedMs, points: [] };
  const last = result.points.length - 1;
  const points = issue.targets.map((j, k) => ({
    ...result.points[Math.min(last, Math.max(0, j))]!,
    targetMs: issue.issuedMs + k * binMs,
    horizonMs: (k + 1) * binMs,
  }));
  return { ...result, issuedMs: issue.issuedMs, points };
}
