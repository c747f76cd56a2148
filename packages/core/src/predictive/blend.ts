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
 * The state is plain JSON and bounded: the reactive scaler's state, the demand history
 * (at most `maxWeeks` at the forecast bin, fed from `observation.requestRate` and
 * seedable with {@link BlendScaler.seed}), auto's last model, and the forecast of the
 * current bin (recomputed once per bin).
 * @module
 */
import { clampToBounds, type ReasonCode, type StepResult, makeDecision } from '../decision.js';
import type { BinnedSeries } from '../series/binnedSeries.js';
import { createScaler, type Scaler, type ScalerDecision, type ScalerSpec, type ScalerState } from '../scaler.js';
import { PrescaleError } from '../errors.js';
import { nonNegativeInt, timestamp } from '../validate.js';
import { type PredictiveConfig, type PredictiveConfigInput, type PredictiveMode, predictiveConfig } from './blendConfig.js';
import { type DemandHistory, demandSeries, emptyDemandHistory, recordRate, seedDemandHistory } from './demandHistory.js';
import { forecast as defaultForecaster, type ForecastRequest, type ForecastResult } from './forecast.js';
import type { HistoryState } from './historyState.js';
import type { ModelName } from './models.js';
import { replicasForLoad } from './replicas.js';

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
  /** Why prediction was not used, if it was not. */
  fallback: string | null;
  reactive: ScalerDecision;
}

/** A forecaster the blend calls; the default is {@link defaultForecaster}. */
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
 * @param forecaster replaces the built-in forecaster (a custom model, or a test double)
 * @throws PrescaleError naming the first bad field.
 */
export function createBlendScaler(reactiveSpec: ScalerSpec, predictive: PredictiveConfigInput, forecaster: BlendForecaster = defaultForecaster): BlendScaler {
  if (reactiveSpec?.algorithm === 'blend') throw new PrescaleError('InvalidConfig', 'spec.reactive.algorithm', 'blend', 'must be a reactive scaler (kpa, hpa, apa, fixed)');
  const inner = createScaler(reactiveSpec);
  const config = predictiveConfig(predictive);
  const spec: ScalerSpec = { algorithm: 'blend', reactive: reactiveSpec, predictive };
  const bounds = { min: inner.minReplicas, max: inner.maxReplicas };

  function forecastFor(b: BlendState, history: DemandHistory, issuedMs: number, horizonBins: number): { forecast: BlendForecast; model: ModelName | null } {
    if (b.cache !== null && b.cache.issuedMs === issuedMs && b.cache.horizonBins === horizonBins) return { forecast: b.cache.forecast, model: b.model };
    if (history.values.length === 0) {
      return { forecast: { ok: false, history: null, reason: 'NotEnoughHistory', message: 'no complete bin of demand history yet' }, model: b.model };
    }
    let result: ForecastResult;
    try {
      result = forecaster({
        series: demandSeries(history, config.utcOffsetMinutes),
        model: config.model,
        atMs: issuedMs,
        horizonMs: horizonBins * config.binMs,
        outages: config.outages,
        settings: config.settings,
        ...(b.model !== null ? { previousModel: b.model } : {}),
      });
    } catch (error) {
      return { forecast: { ok: false, history: null, reason: 'ForecastFailed', message: `the forecaster threw: ${error instanceof Error ? error.message : String(error)}` }, model: b.model };
    }
    if (result.status !== 'ok') {
      const message = result.status === 'NotEnoughHistory' ? `have ${Math.round(result.haveMs / 60_000)} min of demand history, need ${Math.round(result.needMs / 60_000)} min` : result.message;
      return { forecast: { ok: false, history: result.history, reason: result.status === 'NotEnoughHistory' ? 'NotEnoughHistory' : 'ForecastFailed', message }, model: b.model };
    }
    const points: BlendForecastPoint[] = [];
    for (const p of result.points) {
      if (!Number.isFinite(p.p50) || !Number.isFinite(p.upper) || p.upper < 0 || !Number.isFinite(p.targetMs)) {
        return { forecast: { ok: false, history: result.history, reason: 'ForecastFailed', message: `the forecaster returned a non-finite or negative value (p50 ${p.p50}, upper ${p.upper})` }, model: b.model };
      }
      points.push({ targetMs: p.targetMs, p50: p.p50, upper: p.upper, model: p.model, parameters: p.parameters, recentError: Number.isFinite(p.recentError) ? p.recentError : 0 });
    }
    if (points.length === 0) return { forecast: { ok: false, history: result.history, reason: 'ForecastFailed', message: 'the forecaster returned no points' }, model: b.model };
    return { forecast: { ok: true, history: result.history, points }, model: config.model === 'auto' ? points[0]!.model : b.model };
  }

  return {
    spec,
    config,
    minReplicas: inner.minReplicas,
    maxReplicas: inner.maxReplicas,
    init(at) {
      return { algorithm: 'blend', blend: { reactive: inner.init(at), history: emptyDemandHistory(config.binMs, config.maxBins), model: null, cache: null } };
    },
    seed(state, history) {
      const b = blendOf(state);
      return { algorithm: 'blend', blend: { reactive: b.reactive, history: seedDemandHistory(b.history, history), model: b.model, cache: null } };
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
        });
      }
      // The bins overlapping [now, now + max(lead, floor)], from the start of the current bin.
      const issuedMs = Math.floor(now / config.binMs) * config.binMs;
      const span = Math.max(config.leadTimeMs, config.scaleDownFloorMs);
      const horizonBins = Math.floor((now + span - issuedMs) / config.binMs) + 1;
      const { forecast, model } = forecastFor(b, history, issuedMs, horizonBins);
      const next: BlendState = { reactive: r.state, history, model, cache: { issuedMs, horizonBins, forecast } };
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
