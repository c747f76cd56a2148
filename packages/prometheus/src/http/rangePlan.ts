/**
 * How a range query is split. Prometheus refuses a range query that would return more
 * than 11,000 points per series ("exceeded maximum resolution of 11,000 points per
 * timeseries", web/api/v1/api.go: `end − start) / step > 11000`), so a long range is
 * asked for in chunks of at most `maxPoints` evaluation instants each. The chunks tile
 * one grid `start + k·step` without overlap, so stitching them back needs no
 * de-duplication and leaves no hole.
 *
 * Step alignment (on by default in the client): the grid starts at a multiple of the
 * step (shifted by `alignOffsetMs`, e.g. a time zone's offset so that daily steps fall
 * on local midnight), and the end is moved back onto the grid. Aligned queries return
 * the same instants whenever they run, which is what makes results comparable and
 * cacheable (Grafana and Thanos' query-frontend align the same way).
 * @module
 */
import { PrometheusError } from '../errors.js';

/** Prometheus' limit of points per series in one range query. */
export const PROMETHEUS_MAX_POINTS = 11_000;

export interface RangeRequest {
  /** First instant, ms since the epoch. */
  startMs: number;
  /** Last instant (inclusive), ms. */
  endMs: number;
  /** Resolution, ms. */
  stepMs: number;
  /** Snap start and end onto multiples of the step. Default true. */
  align?: boolean;
  /** Shift of the aligned grid, ms: instants are at `k·step − alignOffsetMs`. Default 0. */
  alignOffsetMs?: number;
}

export interface RangePlan {
  startMs: number;
  /** The last instant evaluated (≤ the requested end). */
  endMs: number;
  stepMs: number;
  points: number;
  chunks: Array<{ startMs: number; endMs: number }>;
}

/** `ms` moved down onto the grid `k·step − offset`. */
export function alignDown(ms: number, stepMs: number, offsetMs = 0): number {
  return Math.floor((ms + offsetMs) / stepMs) * stepMs - offsetMs;
}

/** `ms` moved up onto the grid `k·step − offset`. */
export function alignUp(ms: number, stepMs: number, offsetMs = 0): number {
  return Math.ceil((ms + offsetMs) / stepMs) * stepMs - offsetMs;
}

/**
 * Plans the chunks of a range query.
 * @throws PrometheusError `InvalidArgument` for a non-positive or fractional-ms step, an
 *   end before the start, non-finite times, or `maxPoints` below 2.
 */
export function planRange(request: RangeRequest, maxPoints = PROMETHEUS_MAX_POINTS): RangePlan {
  const { stepMs } = request;
  const bad = (message: string): never => {
    throw new PrometheusError('InvalidArgument', message);
  };
  if (!(Number.isInteger(stepMs) && stepMs > 0)) bad(`step must be a positive whole number of milliseconds (got ${stepMs})`);
  if (!Number.isFinite(request.startMs) || !Number.isFinite(request.endMs)) bad(`start and end must be finite times (got ${request.startMs}, ${request.endMs})`);
  if (request.endMs < request.startMs) bad(`end (${new Date(request.endMs).toISOString()}) is before start (${new Date(request.startMs).toISOString()})`);
  if (!(Number.isInteger(maxPoints) && maxPoints >= 2)) bad(`maxPoints must be a whole number ≥ 2 (got ${maxPoints})`);
  const offset = request.alignOffsetMs ?? 0;
  const align = request.align !== false;
  const startMs = align ? alignDown(request.startMs, stepMs, offset) : request.startMs;
  const points = Math.floor((request.endMs - startMs) / stepMs) + 1;
  const endMs = startMs + (points - 1) * stepMs;
  const chunks: RangePlan['chunks'] = [];
  for (let first = 0; first < points; first += maxPoints) {
    const last = Math.min(points, first + maxPoints) - 1;
    chunks.push({ startMs: startMs + first * stepMs, endMs: startMs + last * stepMs });
  }
  return { startMs, endMs, stepMs, points, chunks };
}
