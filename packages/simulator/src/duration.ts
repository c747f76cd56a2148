/**
 * Durations as flags and config files write them: `90`, `90s`, `250ms`, `5m`, `1.5h`,
 * `14d`, `2w` (a bare number is seconds).
 * @module
 */
import { SimulatorError } from './errors.js';

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Seconds in a duration. @throws SimulatorError naming the flag. */
export function parseDuration(text: string | number, field: string): number {
  if (typeof text === 'number' && Number.isFinite(text) && text >= 0) return text;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/.exec(String(text));
  if (m === null) throw new SimulatorError('InvalidConfig', field, text, 'must be a duration such as 250ms, 90s, 5m, 2h, 14d or 2w');
  return Number(m[1]) * UNITS[m[2] ?? 's']!;
}
