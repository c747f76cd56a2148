/**
 * A compact, bounded text form of a predictive scaler's demand history (core's
 * `DemandHistory.values`: requests per bin, null for a gap), so that it can ride in
 * `status.scalerState` and a restarted operator resumes it instead of reloading weeks
 * of history and fitting again (persistedState.ts).
 *
 * Each value is rounded to a thousandth of a request; the values become the
 * differences between neighbours (zigzag, so small negative steps stay small), each
 * written as a base-128 varint with 0 for a gap and the difference + 1 otherwise;
 * the bytes are deflated and written in base64. A demand series changes slowly from
 * bin to bin, so most values take one or two bytes before deflate. When the text
 * would exceed `maxChars`, the oldest bins are dropped (halving what is kept) until it
 * fits: the newest weeks matter most to the forecaster. docs/operator.md gives the
 * sizes measured on a real trace.
 * @module
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** The scale of the stored integers: thousandths of a request. */
const SCALE = 1000;

/** The encoded history: `bins` values starting at bin `firstBin`, and their peaks when kept. */
export interface EncodedHistory {
  encoding: 'milli-delta-varint-deflate-base64';
  firstBin: number;
  bins: number;
  data: string;
  /** The bins' peak rates (core's `DemandHistory.peaks`, while bursts are learned), encoded the same way. */
  peaks?: string;
}

function zigzag(n: number): number {
  return n >= 0 ? 2 * n : -2 * n - 1;
}

function unzigzag(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

/** Base-128 varint of a non-negative integer up to 2^53, without 32-bit bitwise operators. */
function pushVarint(out: number[], n: number): void {
  let v = n;
  while (v >= 128) {
    out.push((v % 128) + 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function encodeValues(values: ReadonlyArray<number | null>): string {
  const bytes: number[] = [];
  let previous = 0;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) {
      bytes.push(0);
      continue;
    }
    const q = Math.round(v * SCALE);
    pushVarint(bytes, zigzag(q - previous) + 1);
    previous = q;
  }
  return deflateRawSync(Uint8Array.from(bytes), { level: 9 }).toString('base64');
}

/**
 * Encodes the newest values of a history, and their peaks when given (aligned with the
 * values), at most `maxChars` of data in all.
 */
export function encodeHistory(firstBin: number, values: ReadonlyArray<number | null>, maxChars: number, peaks?: ReadonlyArray<number | null>): EncodedHistory {
  let start = 0;
  for (;;) {
    const kept = values.slice(start);
    const data = encodeValues(kept);
    const peakData = peaks === undefined ? undefined : encodeValues(peaks.slice(start, values.length));
    if (data.length + (peakData?.length ?? 0) <= maxChars || kept.length === 0) {
      const e: EncodedHistory = { encoding: 'milli-delta-varint-deflate-base64', firstBin: firstBin + start, bins: kept.length, data };
      return peakData === undefined ? e : { ...e, peaks: peakData };
    }
    start += Math.max(1, Math.ceil(kept.length / 2));
  }
}

function decodeValues(data: string, bins: number): Array<number | null> | null {
  let bytes: Buffer;
  try {
    bytes = inflateRawSync(Buffer.from(data, 'base64'));
  } catch {
    return null;
  }
  const values: Array<number | null> = [];
  let previous = 0;
  let i = 0;
  while (i < bytes.length) {
    let n = 0;
    let mul = 1;
    let b: number;
    do {
      b = bytes[i++] ?? 0;
      n += (b % 128) * mul;
      mul *= 128;
    } while (b >= 128 && i < bytes.length);
    if (n === 0) values.push(null);
    else {
      previous += unzigzag(n - 1);
      values.push(previous / SCALE);
    }
  }
  return values.length === bins ? values : null;
}

function isEncoded(encoded: unknown): encoded is EncodedHistory {
  const e = encoded as Partial<EncodedHistory> | null;
  return !!e && e.encoding === 'milli-delta-varint-deflate-base64' && typeof e.data === 'string' && Number.isInteger(e.bins);
}

/** The values back, or null when the text is not a history this module wrote. */
export function decodeHistory(encoded: unknown): Array<number | null> | null {
  return isEncoded(encoded) ? decodeValues(encoded.data, encoded.bins) : null;
}

/** The peaks back: undefined when none were kept, null when they do not decode. */
export function decodePeaks(encoded: unknown): Array<number | null> | null | undefined {
  if (!isEncoded(encoded)) return null;
  if (encoded.peaks === undefined) return undefined;
  return typeof encoded.peaks === 'string' ? decodeValues(encoded.peaks, encoded.bins) : null;
}
