/**
 * What `prescale forecast` and `prescale backtest` share: durations like `10m`, `14d`,
 * reading a count-trace CSV (optionally gzipped) and re-binning it, and progress on a
 * TTY.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { type BinnedSeries, MAX_PLAUSIBLE_REQUESTS_PER_SECOND, parseCountTraceDetailed, rebin } from '@prescale/core';

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses `90s`, `10m`, `1h`, `14d`, `2w` (or a combination such as `1h30m`) into ms. */
export function parseDuration(flag: string, text: string): number {
  const parts = /^(?:\d+(?:\.\d+)?[smhdw])+$/.test(text.trim()) ? text.trim().match(/\d+(?:\.\d+)?[smhdw]/g)! : null;
  if (parts === null) throw new Error(`${flag}: "${text}" is not a duration (use e.g. 30s, 10m, 1h, 14d)`);
  return parts.reduce((ms, p) => ms + Number(p.slice(0, -1)) * UNITS[p.slice(-1)]!, 0);
}

/**
 * Reads a `t_start_iso,requests` trace and re-bins it to `binMs`; errors name the file
 * and row. Counts that are not plausible demand are gaps, with a warning on stderr.
 */
export async function readTrace(path: string, binMs: number): Promise<BinnedSeries> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(`${path}: cannot read (${error instanceof Error ? error.message : String(error)})`);
  }
  const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  const { series, implausible, firstImplausibleLine } = parseCountTraceDetailed(text, path);
  if (implausible > 0) {
    console.error(`warning: ${path}: ${implausible} count(s) are not plausible demand (negative, or above ${MAX_PLAUSIBLE_REQUESTS_PER_SECOND} requests per second) and are read as gaps; the first on line ${firstImplausibleLine}`);
  }
  if (binMs < series.binMs || binMs % series.binMs !== 0) {
    throw new Error(`--bin: ${binMs / 60_000} min is not a whole multiple of ${path}'s ${series.binMs / 60_000}-minute bins`);
  }
  return rebin(series, binMs);
}

/** A progress reporter on stderr when it is a TTY; silent otherwise. */
export function progress(label: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = -1;
  return (done, total) => {
    const pct = Math.floor((100 * done) / Math.max(1, total));
    if (pct === last) return;
    last = pct;
    process.stderr.write(`\r${label} ${pct}%${pct === 100 ? '\n' : ''}`);
  };
}
