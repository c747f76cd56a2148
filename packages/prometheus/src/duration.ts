/**
 * Times as the CLI writes them for Prometheus history: `now`, a duration back from now
 * in core's one duration grammar (`28d`, `1h30m`; `parseDuration` of `@prescale/core`),
 * or an ISO-8601 time.
 * @module
 */
import { parseDuration } from '@prescale/core';
import { PrometheusError } from './errors.js';

const ISO = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A point in time given as `now`, a duration back from now (`28d`), or an ISO-8601
 * date or time with an offset (`2026-11-01`, `2026-11-01T09:00:00+01:00`; a bare date is
 * UTC midnight).
 * @throws PrometheusError `InvalidArgument` for anything else.
 */
export function parseTimeSpec(text: string, nowMs: number): number {
  const t = text.trim();
  if (t === 'now') return nowMs;
  if (ISO.test(t)) {
    const ms = Date.parse(t.length === 10 ? `${t}T00:00:00Z` : t);
    if (Number.isFinite(ms)) return ms;
  }
  let back: number;
  try {
    back = parseDuration(t);
  } catch (cause) {
    throw new PrometheusError('InvalidArgument', `"${text}" is not a time: give "now", a duration back from now (28d) or an ISO-8601 time with an offset`, { cause });
  }
  return nowMs - back;
}
