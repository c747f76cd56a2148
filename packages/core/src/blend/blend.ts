/**
 * The predictive blend: any reactive scaler from core (kpa, hpa, apa, fixed) plus a
 * forecast of demand, with the same shape as every other scaler: a config, `blendInit`
 * and `blendStep(config, state, observation) → { state, decision }` over plain data.
 * Each step:
 *
 * 1. the reactive scaler decides from the observation;
 * 2. the observed request rate goes into the demand history ({@link recordRate});
 * 3. at the first step of each forecast bin, a forecast over the lead (and floor)
 *    window is made and kept for the rest of the bin: from the fitted built-in
 *    forecaster ({@link fittedForecast}, refitted on its cadence) or from a custom one
 *    called afresh, then checked ({@link cleanForecast}); with `burstQuantile` set,
 *    each forecast bin's burst factor is read from the history too ({@link burstFactors});
 * 4. the blend rule ({@link blendRule}) decides.
 *
 * An observation older than the previous one (the reactive scaler holds with
 * `OutOfOrderSample`) is held by the blend too: no rate is recorded, no forecast made.
 *
 * Demand crosses the boundary in requests per second: `observation.requestRate`, and
 * the history a caller seeds with {@link blendSeed} (a series of rates at its own step).
 * Inside, the history is kept per forecast bin (`demandBinMs`). The state is plain JSON
 * and bounded: the reactive scaler's state, the demand history (at most `maxWeeks`;
 * with `burstQuantile` set, each bin's peak beside its value), the model of the last
 * forecast, the fit (a few KB at the default bin and lead time) and the current bin's
 * forecast.
 * @module
 */
import { type Decision, makeDecision, type StepResult } from '../decision.js';
import { PrescaleError } from '../errors.js';
import type { ForecastFit } from '../forecast/fit.js';
import type { ForecastRequest, ForecastResult } from '../forecast/forecastResult.js';
import type { ModelChoice } from '../forecast/forecastSettings.js';
import type { Observation } from '../scaler/observation.js';
import {
  reactiveActivationScale,
  reactiveBounds,
  type ReactiveConfig,
  reactiveConfig,
  type ReactiveDecision,
  reactiveInit,
  type ReactiveSpec,
  type ReactiveState,
  reactiveStep,
} from '../scaler/reactive.js';
import type { BinnedSeries } from '../series/binnedSeries.js';
import { plausibleDemand } from '../series/plausibleDemand.js';
import { nonNegativeInt, timestamp } from '../validate.js';
import { type BlendForecast, cleanForecast, forecasterThrew, noForecast } from './blendForecast.js';
import { type BlendOutcome, blendRule } from './blendRule.js';
import { type BurstFactor, burstFactors } from './burstFactor.js';
import { type DemandHistory, demandSeries, emptyDemandHistory, implausibleDemand, recordRate, seedDemandHistory } from './demandHistory.js';
import { type PredictiveConfig, type PredictiveConfigInput, type PredictiveMode, predictiveConfig } from './predictiveConfig.js';
import { type BlendFitDetail, describeFit, fittedForecast } from './refitPolicy.js';
import { type WakeUpState, wakeUpState } from './wakeUpHold.js';

export interface BlendSpec {
  algorithm: 'blend';
  /** The reactive scaler (kpa, hpa, apa, fixed). */
  reactive: ReactiveSpec;
  predictive: PredictiveConfigInput;
}

/** A forecaster the blend calls afresh at every new bin, instead of fitting the built-in one now and then. */
export type BlendForecaster = (request: ForecastRequest) => ForecastResult;

export interface BlendConfig {
  reactive: ReactiveConfig;
  predictive: PredictiveConfig;
  minReplicas: number;
  maxReplicas: number;
  /** The least non-zero count (the reactive KPA's `activationScale`, at least 1): what a predictive wake-up starts. */
  activationScale: number;
  /** A custom forecaster; null: the built-in one, fitted every `refitSeconds`. */
  forecaster: BlendForecaster | null;
}

export interface BlendState {
  reactive: ReactiveState;
  history: DemandHistory;
  /** What made the last forecast's first bin: `auto` for auto's combination, or the one model. Informational. */
  model: ModelChoice | null;
  /** The forecast made at the start of the current bin, and its points' burst factors (absent: not learned, or a state saved before them). */
  cache: { issuedMs: number; horizonBins: number; forecast: BlendForecast; burst?: BurstFactor[] } | null;
  /** The built-in forecaster's fit, refitted on the `refitSeconds` cadence; absent or null: none yet. */
  fit?: ForecastFit | null;
  /** The wake-up rule's state (`minReplicas: 0`; blend/wakeUpHold.ts); absent: armed. */
  wakeUp?: WakeUpState;
}

export interface BlendDetail extends Omit<BlendOutcome, 'desiredReplicas' | 'reasons' | 'valid'> {
  mode: PredictiveMode;
  reactiveReplicas: number;
  /** The forecast of each bin in the lead (and floor) window, requests per second, and its burst factor; empty without a usable forecast. */
  bins: Array<{ startMs: number; p50: number; upper: number; burstFactor: number }>;
  /** The fit behind the forecast (built-in forecaster); null with a custom forecaster or no fit. */
  fit: BlendFitDetail | null;
  /**
   * Demand values left out of the history as implausible (negative, not finite, above
   * a billion requests per second), observed or seeded, since the state was created.
   */
  implausibleDemand: number;
  reactive: ReactiveDecision;
}

export type BlendDecision = Decision<'blend', BlendDetail>;

/**
 * Validates a blend spec and fills its defaults.
 * @param forecaster replaces the built-in forecaster (a custom model, or a test double);
 *   it is called at every new bin.
 * @throws PrescaleError naming the first bad field.
 */
export function blendConfig(spec: Omit<BlendSpec, 'algorithm'>, forecaster?: BlendForecaster): BlendConfig {
  if ((spec.reactive as { algorithm?: string } | undefined)?.algorithm === 'blend') {
    throw new PrescaleError('InvalidConfig', 'spec.reactive.algorithm', 'blend', 'must be a reactive scaler (kpa, hpa, apa, fixed)');
  }
  const reactive = reactiveConfig(spec.reactive);
  return { reactive, predictive: predictiveConfig(spec.predictive), ...reactiveBounds(reactive), activationScale: reactiveActivationScale(reactive), forecaster: forecaster ?? null };
}

export function blendInit(config: BlendConfig, at: { now: number; readyPods: number }): BlendState {
  const { binMs, maxBins } = config.predictive;
  return { reactive: reactiveInit(config.reactive, at), history: emptyDemandHistory(binMs, maxBins), model: null, cache: null, fit: null };
}

/**
 * Merges a longer demand history into the state (a trace's warm-up, a range loaded from
 * Prometheus): `demand` holds requests per second at its own step, which must divide
 * the forecast bin. Bins the scaler observed itself are kept. A rate outside the
 * plausible range of demand (negative, not finite, above a billion per second) is a
 * gap; the state counts them (`history.implausible`, reported in every decision as
 * `implausibleDemand`). The kept fit and forecast are dropped: the next step fits on
 * the merged history.
 * @throws PrescaleError `InvalidTrace` when the step does not divide the forecast bin.
 */
export function blendSeed(config: BlendConfig, state: BlendState, demand: BinnedSeries): BlendState {
  const { series, implausible } = plausibleDemand(demand, 'perSecond');
  const seconds = series.binMs / 1000;
  const counts = { ...series, values: series.values.map((v) => (v === null || v === undefined ? null : v * seconds)) };
  const history = seedDemandHistory(state.history, counts, implausible, burstWindowMs(config.predictive));
  return { reactive: state.reactive, history, model: state.model, cache: null, fit: null };
}

/** The burst window the history tracks peaks over; 0 when bursts are not learned. */
function burstWindowMs(p: PredictiveConfig): number {
  return p.burstQuantile > 0 ? p.burstWindowMs : 0;
}

/** The burst factors of a forecast's points: the kept ones, or read from the history. */
function burstOf(p: PredictiveConfig, history: DemandHistory, forecast: BlendForecast, kept: BurstFactor[] | undefined): BurstFactor[] | undefined {
  if (!forecast.ok || p.burstQuantile === 0) return undefined;
  if (kept !== undefined && kept.length === forecast.points.length) return kept;
  return burstFactors(history, p.burstQuantile, forecast.points.map((point) => point.targetMs));
}

interface Forecasted {
  forecast: BlendForecast;
  model: ModelChoice | null;
  fit: ForecastFit | null;
  /** Why this step refitted; null: it did not. */
  refit: string | null;
}

/** The forecast for the bins from `issuedMs`: the one kept for this bin, or a new one. */
function forecastFor(config: BlendConfig, state: BlendState, history: DemandHistory, issuedMs: number, horizonBins: number): Forecasted {
  const p = config.predictive;
  const kept = state.fit ?? null;
  const cache = state.cache;
  if (cache !== null && cache.issuedMs === issuedMs && cache.horizonBins === horizonBins) return { forecast: cache.forecast, model: state.model, fit: kept, refit: null };
  if (history.values.length === 0) return { forecast: noForecast('NotEnoughHistory', 'no complete bin of demand history yet'), model: state.model, fit: kept, refit: null };
  const request: ForecastRequest = {
    series: demandSeries(history, p.utcOffsetMinutes),
    model: p.model,
    atMs: issuedMs,
    horizonMs: horizonBins * p.binMs,
    outages: p.outages,
    settings: p.settings,
    ...(p.timeZone !== null ? { timeZone: p.timeZone } : {}),
  };
  let result: ForecastResult;
  let fit: ForecastFit | null = kept;
  let refit: string | null = null;
  try {
    if (config.forecaster !== null) result = config.forecaster(request);
    else ({ result, fit, refit } = fittedForecast(p, kept, request, issuedMs, horizonBins));
  } catch (error) {
    // Drop the fit: the next bin fits afresh.
    return { forecast: forecasterThrew(error), model: state.model, fit: null, refit: null };
  }
  const forecast = cleanForecast(result, p.binMs);
  const model = forecast.ok && p.model === 'auto' ? forecast.points[0]!.model : state.model;
  return { forecast, model, fit, refit };
}

/**
 * One decision of the blend.
 * @throws PrescaleError on unusable replica counts or times, or a state of another scaler.
 */
export function blendStep(config: BlendConfig, state: BlendState, obs: Observation): StepResult<BlendState, BlendDecision> {
  const p = config.predictive;
  const now = timestamp('observation.now', obs.now);
  const current = nonNegativeInt('observation.currentReplicas', obs.currentReplicas, 'InvalidReplicaCount');
  const reactive = reactiveStep(config.reactive, state.reactive, obs);
  // An observation older than the previous one: the reactive scaler held; the blend
  // holds with it, and neither records the rate nor forecasts (or refits) for the past.
  const outOfOrder = reactive.decision.reasons.includes('OutOfOrderSample');
  const history = outOfOrder ? state.history : recordRate(state.history, now, obs.requestRate, burstWindowMs(p));
  let next: BlendState = outOfOrder ? state : { reactive: reactive.state, history, model: state.model, cache: state.cache, fit: state.fit ?? null };
  let forecast: BlendForecast | null = null;
  let burst: BurstFactor[] | undefined;
  let fit: BlendFitDetail | null = null;
  if (p.mode !== 'off' && !outOfOrder && !reactive.decision.reasons.includes('ScalingDisabled')) {
    // The bins overlapping [now, now + max(lead + prewarm, floor)], from the start of the current bin.
    const issuedMs = Math.floor(now / p.binMs) * p.binMs;
    const horizonBins = Math.floor((now + Math.max(p.leadTimeMs + p.prewarmMs, p.scaleDownFloorMs) - issuedMs) / p.binMs) + 1;
    const f = forecastFor(config, state, history, issuedMs, horizonBins);
    forecast = f.forecast;
    const kept = state.cache !== null && state.cache.forecast === forecast ? state.cache.burst : undefined;
    burst = burstOf(p, history, forecast, kept);
    next = { reactive: reactive.state, history, model: f.model, cache: { issuedMs, horizonBins, forecast, ...(burst ? { burst } : {}) }, fit: f.fit };
    if (f.fit !== null && config.forecaster === null) fit = describeFit(p, f.fit, f.refit);
  }
  // Traffic for the wake-up rule: requests seen since the last step (the reactive scaler's wish when no rate is observed).
  const rate = obs.requestRate;
  const traffic = typeof rate === 'number' && Number.isFinite(rate) ? rate > 0 : reactive.decision.desiredReplicas > 0;
  const wakeUp = wakeUpState(state.wakeUp);
  const { desiredReplicas, reasons, valid, ...outcome } = blendRule(p, config, { now, currentReplicas: current, reactive: reactive.decision, forecast, burst: burst ?? null, wakeUp, traffic });
  if (!outOfOrder && outcome.wakeUp !== null) next = { ...next, wakeUp: { phase: outcome.wakeUp.phase, sinceMs: outcome.wakeUp.sinceMs } };
  const seconds = p.binMs / 1000;
  const detail: BlendDetail = {
    mode: p.mode,
    reactiveReplicas: reactive.decision.desiredReplicas,
    ...outcome,
    bins: forecast?.ok ? forecast.points.map((b, i) => ({ startMs: b.targetMs, p50: b.p50 / seconds, upper: b.upper / seconds, burstFactor: burst?.[i]?.factor ?? 1 })) : [],
    fit,
    implausibleDemand: implausibleDemand(history),
    reactive: reactive.decision,
  };
  return { state: next, decision: makeDecision('blend', now, current, desiredReplicas, reasons, detail, valid) };
}
