/**
 * The predictive blend, itself a {@link Scaler}: any reactive scaler from core (kpa,
 * hpa, apa) plus a forecast of demand, so a simulator or an operator drives it exactly
 * like the reactive ones (reference predictive.md §10.1 and §10.4; DESIGN.md "blend"):
 *
 *     predicted = ceil(max over [now, now + leadTime] of the forecast quantile
 *                      / (capacityPerReplica × targetUtilization))
 *     desired   = clamp(max(reactive, predicted), minReplicas, maxReplicas)
 *
 * Prediction only ever adds capacity; scale-in stays with the reactive scaler and its
 * stabilisation. Options: a predictive floor on scale-down (do not scale below what
 * the forecast needs over the next `scaleDownFloorSeconds`, Netflix-style) and
 * confidence gating (use prediction only while the model's recent error is at most
 * `maxRecentError`). Modes: `off`, `preview` (decide reactively, report the predicted
 * and would-be replicas), `auto`. A forecaster that throws or returns a non-finite
 * value, too little history, or a low-confidence model: the decision is the reactive
 * one and says why.
 *
 * Forecasting is split in two (reference predictive.md §10.2): the built-in forecaster
 * is fitted now and then ({@link fitForecast}: the walk-forward that chooses model and
 * parameters and calibrates the quantiles, milliseconds), every `refitSeconds` (6 h by
 * default) and at once when there is no fit, the history state changes or the fit
 * cannot forecast; at every new bin the kept fit forecasts from the latest history
 * ({@link predictFromFit}, well under a millisecond). A custom forecaster is called
 * afresh at every new bin.
 *
 * The state is plain JSON and bounded: the reactive scaler's state, the demand history
 * (at most `maxWeeks` at the forecast bin, fed from `observation.requestRate` and
 * seedable with {@link BlendScaler.seed}), auto's last model, the fit (about 1 KB at
 * the default bin and lead time), and the forecast of the current bin (made once per
 * bin).
 * @module
 */
import { clampToBounds, type ReasonCode, type StepResult, makeDecision } from '../decision.js';
import type { BinnedSeries } from '../series/binnedSeries.js';
import { createScaler, type Scaler, type ScalerDecision, type ScalerSpec, type ScalerState } from '../scaler/scaler.js';
import { PrescaleError } from '../errors.js';
import { nonNegativeInt, timestamp } from '../validate.js';
import { type PredictiveConfig, type PredictiveConfigInput, type PredictiveMode, predictiveConfig } from './predictiveConfig.js';
import { type DemandHistory, demandSeries, emptyDemandHistory, recordRate, seedDemandHistory } from './demandHistory.js';
import { fitForecast, predictFromFit } from '../forecast/forecast.js';
import type { ForecastRequest, ForecastResult } from '../forecast/forecastResult.js';
import type { ForecastFit } from '../forecast/fit.js';
import type { HistoryState } from '../forecast/historyState.js';
import type { ModelName } from '../forecast/forecastSettings.js';
import { replicasForLoad } from './replicasForLoad.js';

/** A forecast point as the blend keeps it (requests per bin). */
export interface BlendForecastPoint {
  targetMs: number;
  p50: number;
  upper: number;
  model: ModelName;
  parameters: string;
  recentError: number;
}

export type BlendForecast =
  | { ok: true; history: HistoryState; points: BlendForecastPoint[] }
  | { ok: false; history: HistoryState | null; reason: 'NotEnoughHistory' | 'ForecastFailed'; message: string };

export interface BlendState {
  reactive: ScalerState;
  history: DemandHistory;
  /** The model `auto` chose last, kept unless a challenger is clearly better. */
  model: ModelName | null;
  /** The forecast made at the start of the current bin. */
  cache: { issuedMs: number; horizonBins: number; forecast: BlendForecast } | null;
  /** The built-in forecaster's fit, refitted on the `refitSeconds` cadence; absent or null: none yet. */
  fit?: ForecastFit | null;
}

/** The fit a decision's forecast came from. */
export interface BlendFitDetail {
  /** Issue time of the fit, ms: it learnt from the demand up to then. */
  fittedMs: number;
  /** When the cadence refits next, ms (sooner if the history state changes or the fit cannot forecast). */
  nextFitMs: number;
  /** Why this step made the fit; null: it forecast from the kept fit. */
  refit: string | null;
  /** Per forecast bin ahead: the model and parameters the fit holds. */
  horizons: Array<{ horizonMs: number; model: ModelName; parameters: string }>;
}

export interface BlendDetail {
  mode: PredictiveMode;
  reactiveReplicas: number;
  /** Replicas the forecast needs over [now, now + leadTime]; null when there is no usable forecast. */
  predictedReplicas: number | null;
  /** What `auto` decides (in `preview`: what it would have decided). */
  wouldBeReplicas: number;
  /** The scale-down floor, when it applied. */
  floorReplicas: number | null;
  winner: 'reactive' | 'predicted' | 'floor';
  /** The forecast behind `predictedReplicas`: the bin with the highest upper quantile in the lead window. */
  forecast: {
    model: ModelName;
    parameters: string;
    leadTimeSeconds: number;
    targetMs: number;
    quantile: number;
    /** Forecast load at that quantile, requests per second. */
    value: number;
    /** Median forecast, requests per second. */
    p50: number;
    recentError: number;
  } | null;
  history: HistoryState | null;
  /** The fit behind the forecast (built-in forecaster); null with a custom forecaster or no fit. */
  fit: BlendFitDetail | null;
  /** Why prediction was not used, if it was not. */
  fallback: string | null;
  reactive: ScalerDecision;
}

/** A forecaster the blend calls afresh at every new bin, instead of fitting the built-in one now and then. */
export type BlendForecaster = (request: ForecastRequest) => ForecastResult;

export interface BlendScaler extends Scaler {
  readonly config: PredictiveConfig;
  /** Merges a longer demand history (a trace's warm-up, a Prometheus range) into the state. */
  seed(state: ScalerState, history: BinnedSeries): ScalerState;
}

function blendOf(state: ScalerState): BlendState {
  if (state.algorithm !== 'blend') throw new PrescaleError('InvalidConfig', 'state.algorithm', state.algorithm, 'must be "blend" for this scaler');
  return state.blend;
}

/**
 * Builds a blend of a reactive scaler and prediction.
 * @param forecaster replaces the built-in forecaster (a custom model, or a test double);
 *   it is called at every new bin (the built-in one is fitted every `refitSeconds`).
 * @throws PrescaleError naming the first bad field.
 */
export function createBlendScaler(reactiveSpec: ScalerSpec, predictive: PredictiveConfigInput, forecaster?: BlendForecaster): BlendScaler {
  if (reactiveSpec?.algorithm === 'blend') throw new PrescaleError('InvalidConfig', 'spec.reactive.algorithm', 'blend', 'must be a reactive scaler (kpa, hpa, apa, fixed)');
  const inner = createScaler(reactiveSpec);
  const config = predictiveConfig(predictive);
  const spec: ScalerSpec = { algorithm: 'blend', reactive: reactiveSpec, predictive };
  const bounds = { min: inner.minReplicas, max: inner.maxReplicas };
  const settingsKey = JSON.stringify(config.settings);
  // Horizons a fit covers: every bin the lead (or floor) window can reach from any instant of a bin.
  const fitBins = Math.ceil(Math.max(config.leadTimeMs, config.scaleDownFloorMs) / config.binMs) + 1;

  /** Why the kept fit cannot serve this issue at all; null when it can. */
  function refitReason(fit: ForecastFit | null, issuedMs: number, horizonBins: number): string | null {
    if (fit === null) return 'no fit yet';
    if (fit.model !== config.model || fit.binMs !== config.binMs || JSON.stringify(fit.settings) !== settingsKey) return 'the fit was made with other settings';
    if (issuedMs < fit.fittedMs) return 'the fit is from a later time';
    if (fit.status === 'ok' && fit.horizonBins < horizonBins) return `the lead time needs ${horizonBins} bins, the fit holds ${fit.horizonBins}`;
    if (issuedMs > fit.fittedMs && issuedMs - fit.fittedMs >= config.refitMs) return `${Math.round((issuedMs - fit.fittedMs) / 60_000)} min since the last fit`;
    return null;
  }

  /** Why the kept fit should give way to a new one after forecasting from it; null when it serves. */
  function staleReason(fit: ForecastFit, result: ForecastResult, issuedMs: number): string | null {
    if (issuedMs === fit.fittedMs) return null; // a new fit now would learn the same
    if (result.history.state !== fit.history.state) return `the history state changed (${fit.history.state} → ${result.history.state})`;
    if (fit.status === 'ok') return result.status === 'ok' ? null : `the fit could not forecast (${result.status === 'NoForecast' ? result.message : result.status})`;
    if (fit.status === 'NotEnoughHistory') return result.history.haveMs >= fit.needMs ? 'the history the last fit lacked is in' : null;
    return 'the last fit had no forecast';
  }

  /** The forecast from the kept fit, or from a new one when the kept one will not do. */
  function fitted(fit: ForecastFit | null, request: ForecastRequest, issuedMs: number, horizonBins: number): { result: ForecastResult; fit: ForecastFit; refit: string | null } {
    const predict = (f: ForecastFit): ForecastResult =>
      predictFromFit({ series: request.series, fit: f, atMs: issuedMs, horizonMs: horizonBins * config.binMs, outages: config.outages });
    let refit = refitReason(fit, issuedMs, horizonBins);
    if (refit === null) {
      try {
        const result = predict(fit!);
        refit = staleReason(fit!, result, issuedMs);
        if (refit === null) return { result, fit: fit!, refit };
      } catch (error) {
        refit = `the kept fit is unusable: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    const next = fitForecast({ ...request, horizonMs: Math.max(fitBins, horizonBins) * config.binMs });
    return { result: predict(next), fit: next, refit };
  }

  interface Forecasted {
    forecast: BlendForecast;
    model: ModelName | null;
    fit: ForecastFit | null;
    /** Why this step refitted; null: it did not. */
    refit: string | null;
  }

  function forecastFor(b: BlendState, history: DemandHistory, issuedMs: number, horizonBins: number): Forecasted {
    const kept = b.fit ?? null;
    if (b.cache !== null && b.cache.issuedMs === issuedMs && b.cache.horizonBins === horizonBins) return { forecast: b.cache.forecast, model: b.model, fit: kept, refit: null };
    const fail = (f: BlendForecast, fit: ForecastFit | null, refit: string | null): Forecasted => ({ forecast: f, model: b.model, fit, refit });
    if (history.values.length === 0) {
      return fail({ ok: false, history: null, reason: 'NotEnoughHistory', message: 'no complete bin of demand history yet' }, kept, null);
    }
    const request: ForecastRequest = {
      series: demandSeries(history, config.utcOffsetMinutes),
      model: config.model,
      atMs: issuedMs,
      horizonMs: horizonBins * config.binMs,
      outages: config.outages,
      settings: config.settings,
      ...(b.model !== null ? { previousModel: b.model } : {}),
    };
    let result: ForecastResult;
    let fit: ForecastFit | null = kept;
    let refit: string | null = null;
    try {
      if (forecaster !== undefined) result = forecaster(request);
      else ({ result, fit, refit } = fitted(kept, request, issuedMs, horizonBins));
    } catch (error) {
      // Drop the fit: the next bin fits afresh.
      return fail({ ok: false, history: null, reason: 'ForecastFailed', message: `the forecaster threw: ${error instanceof Error ? error.message : String(error)}` }, null, null);
    }
    if (result.status !== 'ok') {
      const message = result.status === 'NotEnoughHistory' ? `have ${Math.round(result.haveMs / 60_000)} min of demand history, need ${Math.round(result.needMs / 60_000)} min` : result.message;
      return fail({ ok: false, history: result.history, reason: result.status === 'NotEnoughHistory' ? 'NotEnoughHistory' : 'ForecastFailed', message }, fit, refit);
    }
    const points: BlendForecastPoint[] = [];
    for (const p of result.points) {
      if (!Number.isFinite(p.p50) || !Number.isFinite(p.upper) || p.upper < 0 || !Number.isFinite(p.targetMs)) {
        return fail({ ok: false, history: result.history, reason: 'ForecastFailed', message: `the forecaster returned a non-finite or negative value (p50 ${p.p50}, upper ${p.upper})` }, fit, refit);
      }
      points.push({ targetMs: p.targetMs, p50: p.p50, upper: p.upper, model: p.model, parameters: p.parameters, recentError: Number.isFinite(p.recentError) ? p.recentError : 0 });
    }
    if (points.length === 0) return fail({ ok: false, history: result.history, reason: 'ForecastFailed', message: 'the forecaster returned no points' }, fit, refit);
    return { forecast: { ok: true, history: result.history, points }, model: config.model === 'auto' ? points[0]!.model : b.model, fit, refit };
  }

  function fitDetail(fit: ForecastFit, refit: string | null): BlendFitDetail {
    const every = Math.max(config.binMs, Math.ceil(config.refitMs / config.binMs) * config.binMs);
    return {
      fittedMs: fit.fittedMs,
      nextFitMs: fit.fittedMs + every,
      refit,
      horizons: fit.horizons.map((h) => ({ horizonMs: h.horizonMs, model: h.model, parameters: h.parameters })),
    };
  }

  return {
    spec,
    config,
    minReplicas: inner.minReplicas,
    maxReplicas: inner.maxReplicas,
    init(at) {
      return { algorithm: 'blend', blend: { reactive: inner.init(at), history: emptyDemandHistory(config.binMs, config.maxBins), model: null, cache: null, fit: null } };
    },
    seed(state, history) {
      const b = blendOf(state);
      return { algorithm: 'blend', blend: { reactive: b.reactive, history: seedDemandHistory(b.history, history), model: b.model, cache: null, fit: null } };
    },
    step(state, obs): StepResult<ScalerState, ScalerDecision> {
      const b = blendOf(state);
      const now = timestamp('observation.now', obs.now);
      const current = nonNegativeInt('observation.currentReplicas', obs.currentReplicas, 'InvalidReplicaCount');
      const r = inner.step(b.reactive, obs);
      const reactive = r.decision;
      const history = recordRate(b.history, now, obs.requestRate);
      const detail: BlendDetail = {
        mode: config.mode,
        reactiveReplicas: reactive.desiredReplicas,
        predictedReplicas: null,
        wouldBeReplicas: reactive.desiredReplicas,
        floorReplicas: null,
        winner: 'reactive',
        forecast: null,
        history: null,
        fit: null,
        fallback: null,
        reactive,
      };
      const finish = (desired: number, reasons: ReasonCode[], valid: boolean, next: BlendState): StepResult<ScalerState, ScalerDecision> => ({
        state: { algorithm: 'blend', blend: next },
        decision: makeDecision('blend', now, current, desired, reasons, detail, valid),
      });
      if (config.mode === 'off' || reactive.reasons.includes('ScalingDisabled')) {
        detail.fallback = config.mode === 'off' ? 'mode off' : 'the reactive scaler is disabled (ScalingDisabled)';
        return finish(reactive.desiredReplicas, config.mode === 'off' ? ['PredictionOff', ...reactive.reasons] : reactive.reasons, reactive.valid, {
          reactive: r.state,
          history,
          model: b.model,
          cache: b.cache,
          fit: b.fit ?? null,
        });
      }
      // The bins overlapping [now, now + max(lead, floor)], from the start of the current bin.
      const issuedMs = Math.floor(now / config.binMs) * config.binMs;
      const span = Math.max(config.leadTimeMs, config.scaleDownFloorMs);
      const horizonBins = Math.floor((now + span - issuedMs) / config.binMs) + 1;
      const { forecast, model, fit, refit } = forecastFor(b, history, issuedMs, horizonBins);
      const next: BlendState = { reactive: r.state, history, model, cache: { issuedMs, horizonBins, forecast }, fit };
      if (fit !== null && forecaster === undefined) detail.fit = fitDetail(fit, refit);
      const preview = config.mode === 'preview';
      const lead = forecast.ok ? forecast.points.filter((p) => p.targetMs <= now + config.leadTimeMs) : [];
      let gate: ReasonCode | null = null;
      if (!forecast.ok) {
        gate = forecast.reason;
        detail.fallback = forecast.message;
        detail.history = forecast.history;
      } else {
        detail.history = forecast.history;
        let top = lead[0]!;
        for (const p of lead) if (p.upper > top.upper) top = p;
        const seconds = config.binMs / 1000;
        detail.predictedReplicas = replicasForLoad(top.upper / seconds, config.capacityPerReplica, config.targetUtilization);
        detail.forecast = {
          model: top.model,
          parameters: top.parameters,
          leadTimeSeconds: config.leadTimeMs / 1000,
          targetMs: top.targetMs,
          quantile: config.settings.quantile,
          value: top.upper / seconds,
          p50: top.p50 / seconds,
          recentError: top.recentError,
        };
        const worst = Math.max(...lead.map((p) => p.recentError));
        if (config.maxRecentError !== null && worst > config.maxRecentError) {
          gate = 'LowConfidence';
          detail.fallback = `recent error ${worst.toFixed(3)} is above maxRecentError ${config.maxRecentError}`;
        }
      }
      let reasons: ReasonCode[];
      if (gate !== null) {
        reasons = [gate, ...reactive.reasons];
      } else {
        const predicted = detail.predictedReplicas!;
        let wouldBe = Math.max(reactive.desiredReplicas, predicted);
        let winner: BlendDetail['winner'] = predicted > reactive.desiredReplicas ? 'predicted' : 'reactive';
        if (config.scaleDownFloorMs > 0 && wouldBe < current && forecast.ok) {
          const ahead = forecast.points.filter((p) => p.targetMs <= now + config.scaleDownFloorMs);
          const need = replicasForLoad(Math.max(...ahead.map((p) => p.upper)) / (config.binMs / 1000), config.capacityPerReplica, config.targetUtilization);
          const floor = Math.min(current, need);
          if (floor > wouldBe) {
            detail.floorReplicas = floor;
            wouldBe = floor;
            winner = 'floor';
          }
        }
        const { replicas, bound } = clampToBounds(wouldBe, bounds.min, bounds.max);
        detail.wouldBeReplicas = replicas;
        detail.winner = winner;
        const head: ReasonCode = winner === 'predicted' ? 'PredictedAboveReactive' : winner === 'floor' ? 'PredictiveFloor' : 'ReactiveAtLeastPredicted';
        if (!preview) {
          const tail = winner === 'reactive' ? reactive.reasons : bound ? [bound] : [];
          return finish(replicas, [head, ...tail], reactive.valid || winner !== 'reactive', next);
        }
        reasons = ['PredictionPreview', ...reactive.reasons];
      }
      if (preview && gate !== null) reasons = ['PredictionPreview', ...reasons];
      return finish(reactive.desiredReplicas, reasons, reactive.valid, next);
    },
  };
}
