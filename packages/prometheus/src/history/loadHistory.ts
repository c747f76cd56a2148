/**
 * The history a forecaster needs, from Prometheus: `(query, from, to, step)` → core's
 * `BinnedSeries`, one value per step-aligned bin, `null` where Prometheus has no value
 * (a gap, never 0). The query must give one series (aggregate it, e.g.
 * `sum(increase(vllm:request_success_total[10m]))`).
 *
 * Bins and instants: a PromQL value at instant t looks back from t (`increase(x[10m])`
 * at 10:10 counts 10:00–10:10), so by default the value at t fills the bin that *ends*
 * at t (`stamp: 'end'`). A gauge recorded at bin starts (as a backfilled count trace) is
 * read with `stamp: 'start'`. Only whole bins inside [from, to) are asked for; bins are
 * aligned to multiples of the step in the series' local time (`utcOffsetMinutes`), so
 * daily bins start at local midnight.
 *
 * Nothing partial passes as complete: a failed chunk fails the load, and so do
 * server warnings (Thanos and Mimir warn when stores were missing) unless
 * `allowWarnings` is set.
 *
 * Values outside the plausible range of demand (`@prescale/core`'s plausibleDemand:
 * NaN, ±Inf, negative, or above a billion requests per second, over the bin for
 * counts) become gaps and are counted in `implausible`, by the same rule the forecaster
 * and the blend apply. The query's values are read as requests per bin (`increase`),
 * or per second with `unit: 'perSecond'` (`rate`).
 * @module
 */
import { type BinnedSeries, type DemandUnit, isPlausibleDemand, maxPlausibleDemand } from '@prescale/core';
import { PrometheusError } from '../errors.js';
import type { Labels } from '../exposition/types.js';
import { formatLabels } from '../http/apiResponse.js';
import type { PrometheusClient } from '../http/client.js';
import { alignDown, alignUp } from '../http/rangePlan.js';

export interface HistoryRequest {
  /** PromQL giving one series. */
  query: string;
  fromMs: number;
  toMs: number;
  stepMs: number;
  /** Local time of the series (−240 for EDT). Default 0 (UTC). */
  utcOffsetMinutes?: number;
  /** Which end of its bin a value's instant is. Default `end`. */
  stamp?: 'start' | 'end';
  /** Accept answers that carry warnings (they are returned). Default false. */
  allowWarnings?: boolean;
  /**
   * What the query's values are, for the plausible range of demand: requests per bin
   * (`perBin`, e.g. `sum(increase(x[10m]))` at a 10-minute step; the default) or per
   * second (`perSecond`, e.g. `sum(rate(x[5m]))`).
   */
  unit?: DemandUnit;
  signal?: AbortSignal;
  onChunk?: (done: number, total: number) => void;
}

export interface LoadedHistory {
  series: BinnedSeries;
  /** The series' labels. */
  labels: Labels;
  /** Bins without a value. */
  gaps: number;
  /** Of those, bins whose value was not plausible demand: NaN, ±Inf, negative or above the ceiling. */
  implausible: number;
  /** Of those, bins whose value was NaN or ±Inf. */
  nonFinite: number;
  warnings: string[];
  /** Range requests made. */
  chunks: number;
}

/**
 * Loads one series of history.
 * @throws PrometheusError `InvalidArgument` (no whole bin in the range), `NoData`,
 *   `MultipleSeries`, `Warnings`, or any error of the query.
 */
export async function loadHistory(client: Pick<PrometheusClient, 'queryRange'>, request: HistoryRequest): Promise<LoadedHistory> {
  const { stepMs } = request;
  const utcOffsetMinutes = request.utcOffsetMinutes ?? 0;
  if (!(Number.isInteger(stepMs) && stepMs > 0)) throw new PrometheusError('InvalidArgument', `step must be a positive whole number of milliseconds (got ${stepMs})`);
  if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 18 * 60) throw new PrometheusError('InvalidArgument', `utcOffsetMinutes must be whole minutes within ±18 h (got ${utcOffsetMinutes})`);
  const offsetMs = utcOffsetMinutes * 60_000;
  const startMs = alignUp(request.fromMs, stepMs, offsetMs);
  const endMs = alignDown(request.toMs, stepMs, offsetMs);
  const bins = Math.floor((endMs - startMs) / stepMs);
  if (!(bins >= 1)) {
    throw new PrometheusError('InvalidArgument', `no whole ${stepMs / 1000} s bin between ${new Date(request.fromMs).toISOString()} and ${new Date(request.toMs).toISOString()}`);
  }
  const firstInstant = request.stamp === 'start' ? startMs : startMs + stepMs;
  const result = await client.queryRange(request.query, {
    startMs: firstInstant,
    endMs: firstInstant + (bins - 1) * stepMs,
    stepMs,
    align: false,
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.onChunk ? { onChunk: request.onChunk } : {}),
  });
  if (result.warnings.length > 0 && request.allowWarnings !== true) {
    throw new PrometheusError('Warnings', `the server warned, so the data may be partial: ${result.warnings.join('; ')}`, { warnings: result.warnings });
  }
  if (result.series.length === 0) throw new PrometheusError('NoData', `"${request.query}" matched no series between ${new Date(startMs).toISOString()} and ${new Date(endMs).toISOString()}`);
  if (result.series.length > 1) {
    const names = result.series.slice(0, 3).map((s) => formatLabels(s.labels));
    throw new PrometheusError('MultipleSeries', `"${request.query}" gave ${result.series.length} series (${names.join(', ')}${result.series.length > 3 ? ', …' : ''}); aggregate it to one, e.g. sum(...)`);
  }
  const only = result.series[0]!;
  const values: Array<number | null> = new Array<number | null>(bins).fill(null);
  const max = maxPlausibleDemand(request.unit ?? 'perBin', stepMs);
  let implausible = 0;
  let nonFinite = 0;
  for (let k = 0; k < only.timestampsMs.length; k++) {
    const v = only.values[k]!;
    if (!isPlausibleDemand(v, max)) {
      implausible++;
      if (!Number.isFinite(v)) nonFinite++;
      continue;
    }
    values[(only.timestampsMs[k]! - firstInstant) / stepMs] = v;
  }
  let gaps = 0;
  for (const v of values) if (v === null) gaps++;
  return {
    series: { startMs, binMs: stepMs, values, utcOffsetMinutes },
    labels: only.labels,
    gaps,
    implausible,
    nonFinite,
    warnings: result.warnings,
    chunks: result.plan.chunks.length,
  };
}
