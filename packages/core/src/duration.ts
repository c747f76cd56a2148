/**
 * The one duration grammar of prescale's flags and config files, in milliseconds: whole
 * or decimal numbers with a unit, largest unit first, each unit at most once: `250ms`,
 * `90s`, `5m`, `1.5h`, `1h30m`, `14d`, `2w`, `1y` (365 days). `0` alone needs no unit.
 * It reads Prometheus' own duration syntax (prometheus.io/docs/prometheus/latest/
 * querying/basics, "Time durations") and more (decimals). AIBrix's Go durations in
 * manifest annotations are read by the kubernetes package's own reader.
 * @module
 */
import { PrescaleError } from './errors.js';

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['y', 365 * 86_400_000],
  ['w', 7 * 86_400_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];
const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const GRAMMAR = new RegExp(`^${UNITS.map(([unit]) => `(?:${NUMBER}${unit})?`).join('')}$`);

/**
 * Milliseconds in a duration.
 * @param field names the flag or setting in the error, e.g. `--warmup`.
 * @throws PrescaleError `InvalidConfig` for anything else (`""`, `10`, `10min`, `5m1h`).
 */
export function parseDuration(text: string, field = 'duration'): number {
  const t = typeof text === 'string' ? text.trim() : '';
  if (t === '0') return 0;
  const m = t === '' ? null : GRAMMAR.exec(t);
  if (m === null) throw new PrescaleError('InvalidConfig', field, text, 'must be a duration such as 250ms, 90s, 5m, 1h30m, 14d or 2w');
  let ms = 0;
  for (let i = 0; i < UNITS.length; i++) {
    const n = m[i + 1];
    if (n !== undefined) ms += Number(n) * UNITS[i]![1];
  }
  return ms;
}

/** The shortest duration for `ms` in whole units down to milliseconds, e.g. `1h30m`; weeks and days rather than years. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.round(ms);
  let out = '';
  for (const [unit, size] of UNITS) {
    if (unit === 'y') continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
