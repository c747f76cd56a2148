/**
 * Stitches the chunks of a range query back into whole series. Each chunk's answer is
 * checked before it is used: every series once per chunk, every instant on the plan's
 * grid and inside its chunk, instants strictly increasing, every value a number. A
 * series missing from a chunk simply has no points there (a gap), never zeros.
 * @module
 */
import { PrometheusError } from '../errors.js';
import type { Labels } from '../exposition/types.js';
import { type ApiData, formatLabels, sampleValue } from './apiResponse.js';
import type { RangePlan } from './rangePlan.js';

/** One series of a range query: parallel arrays of instants (ms) and values. */
export interface RangeSeries {
  labels: Labels;
  timestampsMs: number[];
  values: number[];
}

type Matrix = Extract<ApiData, { resultType: 'matrix' }>['result'];

/**
 * Appends one chunk's matrix to `into` (keyed by label set), in chunk order.
 * @throws PrometheusError `DuplicateSeries`, `InvalidSample`, or `InvalidResponse` for
 *   native histograms, which this client does not read.
 */
export function appendChunk(into: Map<string, RangeSeries>, matrix: Matrix, plan: RangePlan, chunk: { startMs: number; endMs: number }, url: string): void {
  const inChunk = new Set<string>();
  for (const entry of matrix) {
    const key = formatLabels(entry.metric);
    if (inChunk.has(key)) throw new PrometheusError('DuplicateSeries', `series ${key} appears twice in one answer`, { url });
    inChunk.add(key);
    if (entry.histograms !== undefined && entry.histograms.length > 0) {
      throw new PrometheusError('InvalidResponse', `series ${key} holds native histograms, which are not supported: query histogram_quantile() or histogram_count() instead`, { url });
    }
    let series = into.get(key);
    if (series === undefined) {
      series = { labels: entry.metric, timestampsMs: [], values: [] };
      into.set(key, series);
    }
    const ts = series.timestampsMs;
    const vs = series.values;
    let previous = ts.length > 0 ? ts[ts.length - 1]! : -Infinity;
    for (const [seconds, text] of entry.values ?? []) {
      const ms = Math.round(seconds * 1000);
      if (ms < chunk.startMs || ms > chunk.endMs || (ms - plan.startMs) % plan.stepMs !== 0) {
        throw new PrometheusError('InvalidSample', `series ${key} has a point at ${seconds}, off the query's grid (${chunk.startMs / 1000}..${chunk.endMs / 1000} every ${plan.stepMs / 1000} s)`, { url });
      }
      if (ms <= previous) throw new PrometheusError('InvalidSample', `series ${key} repeats or goes back in time at ${seconds}`, { url });
      previous = ms;
      ts.push(ms);
      vs.push(sampleValue(text, entry.metric, seconds, url));
    }
  }
}
