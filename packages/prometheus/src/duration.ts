/**
 * Durations and times as Prometheus and the CLI write them. Duration syntax is
 * Prometheus' (prometheus.io/docs/prometheus/latest/querying/basics, "Time durations"):
 * integers with units `y` (365 d), `w`, `d`, `h`, `m`, `s`, `ms`, largest first, e.g.
 * `1h30m`, `28d`, `10m`.
 * @module
 */
import { PrometheusError } from './errors.js';

const UNITS: ReadonlyArray<[string, number]> = [
  ['y', 365 * 86_400_000],
  ['w', 7 * 86_400_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const ISO = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Milliseconds in a Prometheus duration.
 * @throws PrometheusError `InvalidArgument` for anything else (`""`, `1.5h`, `10min`).
 */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  const m = text === '' ? null : DURATION.exec(text);
  if (m === null) throw new PrometheusError('InvalidArgument', `"${text}" is not a duration such as 90s, 10m, 1h30m, 28d`);
  let ms = 0;
  for (let i = 0; i < UNITS.length; i++) {
    const n = m[i + 1];
    if (n !== undefined) ms += Number(n) * UNITS[i]![1];
  }
  return ms;
}

/** The shortest Prometheus duration for `ms` (whole milliseconds), e.g. `1h30m`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of UNITS) {
    if (unit === 'y') continue; // years are 365 d; weeks and days read better
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

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
  if (t !== '' && DURATION.test(t)) return nowMs - parseDuration(t);
  throw new PrometheusError('InvalidArgument', `"${text}" is not a time: give "now", a duration back from now (28d) or an ISO-8601 time with an offset`);
}
