/**
 * One forecast: from the history of a series up to an issue time, the p50 and the
 * upper quantile of each bin up to a horizon, with the model (and its parameters)
 * that made it and the history state. Runs the same walk-forward as the backtest over
 * the evaluation window just before the issue time, so parameters, model choice and
 * quantiles come from the series' own recent out-of-sample errors. Pure.
 * @module
 */
import { PrescaleError } from '../errors.js';
import type { BinnedSeries } from '../series/binnedSeries.js';
import { timestamp } from '../validate.js';
import { describeHistory, type HistoryState } from './historyState.js';
import {
  DAY_MS,
  evaluationSampling,
  type ForecastSettings,
  type ForecastSettingsInput,
  forecastSettings,
  type ModelChoice,
  modelChoice,
  type ModelName,
  WEEK_MS,
} from './models.js';
import { type OutageWindow, prepareSeries } from './preparedSeries.js';
import { walkForward } from './walkForward.js';

export interface ForecastRequest {
  series: BinnedSeries;
  /** Default `auto`. */
  model?: ModelChoice;
  /** Issue time, ms since the epoch; default the end of the series. Only bins that end by then are used. */
  atMs?: number;
  /** Forecast every bin up to this far ahead, ms, a whole number of bins; default one bin. */
  horizonMs?: number;
  /** Declared outages: left out of every pattern and error. */
  outages?: readonly OutageWindow[];
  settings?: ForecastSettingsInput;
  /** The model `auto` chose last time; kept unless a challenger is clearly better (hysteresis). */
  previousModel?: ModelName;
}

export interface ForecastPoint {
  /** Start of the target bin, ms. */
  targetMs: number;
  /** How far past the issue time the target bin ends, ms. */
  horizonMs: number;
  /** The model that made this point (auto's choice for this horizon). */
  model: ModelName;
  /** Its chosen parameter candidate, e.g. `weekly k=4 mul λ=1 level=30m`. */
  parameters: string;
  point: number;
  p50: number;
  /** The `quantile` (default p90) forecast. */
  upper: number;
  /** Scored out-of-sample errors behind the choice and the quantiles. */
  samples: number;
  /** Mean absolute relative error of those errors (|y − ŷ| / max(ŷ, 1)). */
  recentError: number;
}

export type ForecastStatus =
  | { status: 'ok' }
  | { status: 'NotEnoughHistory'; haveMs: number; needMs: number }
  | { status: 'NoForecast'; message: string };

export type ForecastResult = ForecastStatus & {
  model: ModelChoice;
  issuedMs: number;
  binMs: number;
  quantile: number;
  history: HistoryState;
  /** One point per bin up to the horizon (empty unless `status` is `ok`). */
  points: ForecastPoint[];
};

/** Horizon in bins, a whole number ≥ 1. */
export function horizonBins(field: string, horizonMs: number, binMs: number): number {
  const h = horizonMs / binMs;
  if (!Number.isInteger(h) || h < 1) {
    throw new PrescaleError('InvalidConfig', field, horizonMs, `must be a whole number (≥ 1) of ${binMs / 60_000}-minute bins`);
  }
  return h;
}

/** Holt-Winters' warm-up before a single forecast: it learns from this much history. */
const SEQUENTIAL_HISTORY_MS = 2 * WEEK_MS;

/**
 * Forecasts the bins after `atMs`.
 * @throws PrescaleError for bad settings, a bad series, or a horizon that is not a whole number of bins.
 */
export function forecast(request: ForecastRequest): ForecastResult {
  const settings = forecastSettings(request.settings);
  const model = modelChoice('model', request.model ?? 'auto');
  const { series } = request;
  const binMs = series.binMs;
  const H = horizonBins('horizonMs', request.horizonMs ?? binMs, binMs);
  const atMs = request.atMs === undefined ? series.startMs + series.values.length * binMs : timestamp('atMs', request.atMs);
  const t = Math.floor((atMs - series.startMs) / binMs);
  if (t < 1) throw new PrescaleError('InvalidConfig', 'atMs', atMs, 'must be at least one bin after the start of the series');
  const prep = prepareSeries(series, request.outages ?? [], t);
  const issuedMs = series.startMs + t * binMs;
  const models: readonly ModelName[] = model === 'auto' ? settings.autoModels : [model];
  const { stride, capacity } = evaluationSampling(binMs, settings);
  const points: ForecastPoint[] = [];
  let history: HistoryState = { state: 'NotEnoughHistory', haveMs: 0, needMs: settings.dailyAfterDays * DAY_MS };
  let failure: ForecastStatus | null = null;
  for (let h = 1; h <= H && failure === null; h++) {
    walkForward({
      prep,
      horizonBins: h,
      settings,
      models,
      autoModels: model === 'auto' ? models : [],
      from: Math.max(0, t - capacity * stride - h - 1),
      to: t,
      everyIssue: false,
      sequentialStart: Math.max(0, t - Math.round(SEQUENTIAL_HISTORY_MS / binMs)),
      ...(request.previousModel !== undefined ? { previousAuto: request.previousModel } : {}),
      onIssue(view, engines, windows) {
        history = view.history;
        const m = model === 'auto' ? view.auto : 0;
        if (history.state === 'NotEnoughHistory' && (model === 'auto' || model === 'scryer')) {
          failure = { status: 'NotEnoughHistory', haveMs: history.haveMs, needMs: history.needMs };
          return;
        }
        if (m < 0 || view.p50[m]! !== view.p50[m]!) {
          failure = notReady(view.haveMs, models.map((_, i) => ({ need: engines[i]!.needMs, samples: view.samples[i]! })), h * binMs, stride * binMs, settings);
          return;
        }
        const w = windows[m]!;
        let abs = 0;
        for (let i = 0; i < w.sorted.size; i++) abs += Math.abs(w.sorted.values[i]!);
        points.push({
          targetMs: issuedMs + (h - 1) * binMs,
          horizonMs: h * binMs,
          model: models[m]!,
          parameters: engines[m]!.candidates[view.candidate[m]!]!,
          point: view.point[m]!,
          p50: view.p50[m]!,
          upper: view.upper[m]!,
          samples: view.samples[m]!,
          recentError: w.sorted.size > 0 ? abs / w.sorted.size : Number.NaN,
        });
      },
    });
  }
  const base = { model, issuedMs, binMs, quantile: settings.quantile, history };
  if (failure !== null) return { ...(failure as ForecastStatus), ...base, points: [] };
  return { status: 'ok', ...base, points };
}

/** Why no model could forecast: the history it still needs (its own need plus enough scored errors). */
function notReady(
  haveMs: number,
  models: Array<{ need: number; samples: number }>,
  horizonMs: number,
  sampleMs: number,
  settings: ForecastSettings,
): ForecastStatus {
  let needMs = Number.POSITIVE_INFINITY;
  for (const m of models) {
    const warmUp = m.need + horizonMs + settings.minEvaluationSamples * sampleMs;
    const need = haveMs >= warmUp ? haveMs + Math.max(1, settings.minEvaluationSamples - m.samples) * sampleMs : warmUp;
    needMs = Math.min(needMs, need);
  }
  if (haveMs >= needMs) return { status: 'NoForecast', message: 'the target bin has no observed copies in the pattern' };
  return { status: 'NotEnoughHistory', haveMs, needMs };
}

/** One line per point, for logs and the CLI. */
export function describeForecast(r: ForecastResult): string {
  if (r.status === 'NotEnoughHistory') return `${describeHistory({ state: 'NotEnoughHistory', haveMs: r.haveMs, needMs: r.needMs })}: no forecast`;
  if (r.status === 'NoForecast') return `no forecast: ${r.message}`;
  return r.points.map((p) => `${p.model} (${p.parameters}) p50=${p.p50.toFixed(1)} p${Math.round(r.quantile * 100)}=${p.upper.toFixed(1)}`).join('\n');
}
