/**
 * The count-trace CSV of shared/data (`t_start_iso,requests`; reference
 * shared/data/README.md): one row per bin, contiguous, ISO-8601 times with an offset,
 * an empty count for a gap. Parsing is pure: the caller reads (and gunzips) the file.
 * @module
 */
import { PrescaleError } from '../errors.js';
import type { BinnedSeries } from './binnedSeries.js';
import { isPlausibleDemand, maxPlausibleDemand } from './plausibleDemand.js';

export const COUNT_TRACE_HEADER = 't_start_iso,requests';

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an ISO-8601 time with an explicit offset; returns ms and the offset in minutes, or null. */
export function parseIsoWithOffset(text: string): { ms: number; utcOffsetMinutes: number } | null {
  const m = ISO.exec(text);
  if (m === null) return null;
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) return null;
  const zone = m[8]!;
  const utcOffsetMinutes = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return { ms, utcOffsetMinutes };
}

/** Formats ms as ISO-8601 in the given UTC offset, e.g. `1995-07-01T00:00:00-04:00`. */
export function formatIsoWithOffset(ms: number, utcOffsetMinutes: number): string {
  const local = new Date(ms + utcOffsetMinutes * 60_000).toISOString().slice(0, 19);
  if (utcOffsetMinutes === 0) return `${local}+00:00`;
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(utcOffsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function bad(source: string, line: number, value: unknown, message: string): PrescaleError {
  return new PrescaleError('InvalidTrace', `${source} line ${line}`, value, message);
}

/** A parsed count trace and the counts it read as gaps because they were not plausible demand. */
export interface CountTrace {
  series: BinnedSeries;
  /** Rows whose count was a number outside the plausible range of demand (series/plausibleDemand.ts), now gaps. */
  implausible: number;
  /** The 1-based line of the first such row; null when there is none. */
  firstImplausibleLine: number | null;
}

/**
 * Parses a count trace. Malformed text is an error; a count that is a number but not
 * plausible demand (negative, or above a billion requests per second over the bin) is
 * a gap, as an empty count is, and is counted ({@link parseCountTraceDetailed} reports
 * how many).
 * @param source file name (or other label) used in errors
 * @throws PrescaleError `InvalidTrace` naming the source and line: wrong header, bad time,
 *   a count that is not a decimal number, unsorted or duplicate times, mixed bin widths,
 *   no rows, or no data at all.
 */
export function parseCountTrace(text: string, source: string): BinnedSeries {
  return parseCountTraceDetailed(text, source).series;
}

/**
 * {@link parseCountTrace}, also saying how many counts it read as gaps because they
 * were not plausible demand.
 * @throws PrescaleError as {@link parseCountTrace}.
 */
export function parseCountTraceDetailed(text: string, source: string): CountTrace {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== COUNT_TRACE_HEADER) throw bad(source, 1, lines[0], `must be the header "${COUNT_TRACE_HEADER}"`);
  const values: Array<number | null> = [];
  let startMs = 0;
  let binMs = 0;
  let previous = 0;
  let utcOffsetMinutes = 0;
  let observed = 0;
  // The line of each row, to name the first implausible count once the bin width is known.
  const rowLines: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const row = lines[i]!;
    if (row.trim() === '') continue;
    const line = i + 1;
    const comma = row.indexOf(',');
    if (comma < 0 || row.indexOf(',', comma + 1) >= 0) throw bad(source, line, row, 'must have two fields: t_start_iso,requests');
    const time = parseIsoWithOffset(row.slice(0, comma).trim());
    if (time === null) throw bad(source, line, row.slice(0, comma), 'is not an ISO-8601 time with an offset');
    const field = row.slice(comma + 1).trim();
    let value: number | null = null;
    if (field !== '') {
      value = Number(field);
      if (!Number.isFinite(value)) throw bad(source, line, field, 'requests must be a number or empty (a gap)');
    }
    if (values.length === 0) {
      startMs = time.ms;
      utcOffsetMinutes = time.utcOffsetMinutes;
    } else {
      if (time.ms === previous) throw bad(source, line, row.slice(0, comma), 'repeats the previous row\'s time');
      if (time.ms < previous) throw bad(source, line, row.slice(0, comma), 'is earlier than the previous row: rows must be sorted');
      const width = time.ms - previous;
      if (values.length === 1) binMs = width;
      else if (width !== binMs) throw bad(source, line, row.slice(0, comma), `is ${width / 1000} s after the previous row; the bins so far are ${binMs / 1000} s (mixed bin widths)`);
    }
    previous = time.ms;
    values.push(value);
    rowLines.push(line);
  }
  if (values.length === 0) throw bad(source, 2, '', 'the trace has no rows');
  if (values.length === 1) throw bad(source, 3, '', 'one row is not enough to know the bin width');
  const max = maxPlausibleDemand('perBin', binMs);
  let implausible = 0;
  let firstImplausibleLine: number | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === null) continue;
    if (isPlausibleDemand(v, max)) {
      observed++;
    } else {
      values[i] = null;
      implausible++;
      firstImplausibleLine ??= rowLines[i]!;
    }
  }
  if (observed === 0) throw bad(source, 2, '', `every bin is a gap${implausible > 0 ? ` (${implausible} with counts that are not plausible demand)` : ''}: the trace holds no data`);
  return { series: { startMs, binMs, values, utcOffsetMinutes }, implausible, firstImplausibleLine };
}

/** Writes a series as a count trace (gaps as empty fields), in the series' UTC offset. */
export function formatCountTrace(series: BinnedSeries): string {
  const rows = [COUNT_TRACE_HEADER];
  for (let i = 0; i < series.values.length; i++) {
    const v = series.values[i];
    rows.push(`${formatIsoWithOffset(series.startMs + i * series.binMs, series.utcOffsetMinutes)},${v === null || v === undefined ? '' : String(v)}`);
  }
  return `${rows.join('\n')}\n`;
}
