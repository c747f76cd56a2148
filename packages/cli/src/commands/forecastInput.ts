/**
 * What `prescale forecast` and `prescale backtest` share: reading a count-trace CSV
 * (optionally gzipped) and re-binning it, and progress on a TTY.
 */
import { type BinnedSeries, formatDuration, isTimeZone, MAX_PLAUSIBLE_REQUESTS_PER_SECOND, parseCountTraceDetailed, rebin } from '@prescale/core';
import { readTextFile } from '@prescale/simulator';
import { UsageError } from '../usageError.js';

/**
 * Reads a `t_start_iso,requests` trace and re-bins it to `binMs`; errors name the file
 * and row. Counts that are not plausible demand are gaps, with a warning on stderr.
 */
export function readTrace(path: string, binMs: number): BinnedSeries {
  const { series, implausible, firstImplausibleLine } = parseCountTraceDetailed(readTextFile(path), path);
  if (implausible > 0) {
    console.error(`warning: ${path}: ${implausible} count(s) are not plausible demand (negative, or above ${MAX_PLAUSIBLE_REQUESTS_PER_SECOND} requests per second) and are read as gaps; the first on line ${firstImplausibleLine}`);
  }
  if (binMs < series.binMs || binMs % series.binMs !== 0) {
    throw new UsageError('--bin', `${formatDuration(binMs)} is not a whole multiple of the ${formatDuration(series.binMs)} bins of ${path}`);
  }
  return rebin(series, binMs);
}

/** `--time-zone` as a request field: absent when not given; a name the runtime does not know is a usage error. */
export function timeZoneFlag(value: string | undefined): { timeZone?: string } {
  if (value === undefined) return {};
  if (!isTimeZone(value)) throw new UsageError('--time-zone', `"${value}" is not an IANA time zone name such as Europe/Berlin or America/New_York`);
  return { timeZone: value };
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
