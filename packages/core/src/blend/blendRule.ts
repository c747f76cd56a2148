/**
 * The blend rule (reference predictive.md §10.1 and §10.4; DESIGN.md "blend"), alone:
 * from the reactive decision, the forecast and the current replicas to the replicas
 * wanted, which path won and why.
 *
 *     predicted = ceil(max over [now, now + leadTime] of the forecast quantile × burst factor
 *                      / (capacityPerReplica × targetUtilization))
 *     desired   = clamp(max(reactive, predicted), minReplicas, maxReplicas)
 *
 * The burst factor of a bin (1 unless `burstQuantile` is set; blend/burstFactor.ts)
 * lifts the forecast of the bin's mean to its learned peak; when it decides, the reason
 * `BurstAllowance` follows the path's.
 * Prediction only ever adds capacity. With `scaleDownFloorSeconds`, a scale-down is
 * held at what the forecast needs over that window, never above the current count
 * (Netflix-style floor). With `maxRecentError`, prediction is used only while the
 * model's recent error is at most that (confidence gating). No forecast, too little
 * history, a low-confidence model, mode `off`, a disabled reactive scaler or an
 * out-of-order observation: the decision is the reactive one and says why. Mode `preview` decides reactively and
 * reports what `auto` would have done.
 *
 * Scale to zero (`minReplicas: 0`; issue 21): the forecast expects traffic while its upper
 * quantile over the wake-up lead window (`wakeUpLeadSeconds`, by default the lead time)
 * reaches `zeroBelowRps`. While the reactive scaler wants replicas, the forecast's term
 * is sized as above (at least the activation scale, the reactive KPA's
 * `activationScale`, at least 1) while it expects traffic over the lead time, and 0
 * otherwise. While the reactive scaler wants zero, the forecast keeps the activation
 * scale only while the wake-up rule holds (blend/wakeUpHold.ts): once per stretch of
 * expected traffic, from one wake-up lead time before it, until traffic comes or the lead
 * time plus `wakeUpHoldSeconds` has passed. A request the forecast did not expect still
 * wakes the target through the reactive scaler (an activator's queue seen as load). A
 * decision that takes the target from 0 says which path woke it (`wokenBy`, and the
 * reason `PredictiveWakeUp` or `ReactiveWakeUp`); `wakeUp` says where the rule stands.
 * @module
 */
import { clampToBounds, type ReasonCode } from '../decision.js';
import type { ModelChoice } from '../forecast/forecastSettings.js';
import type { HistoryState } from '../forecast/historyState.js';
import type { BlendForecast, BlendForecastPoint } from './blendForecast.js';
import { type BurstFactor, noBurst } from './burstFactor.js';
import type { PredictiveConfig } from './predictiveConfig.js';
import { replicasForLoad } from './replicasForLoad.js';
import { ARMED, type WakeUpPhase, type WakeUpState, wakeUpStep } from './wakeUpHold.js';

/** The forecast behind `predictedReplicas`: the bin with the highest upper quantile in the lead window. */
export interface BlendForecastDetail {
  /** The model; `auto` for auto's combination, whose weights `parameters` gives. */
  model: ModelChoice;
  parameters: string;
  leadTimeSeconds: number;
  targetMs: number;
  quantile: number;
  /** Forecast load at that quantile, requests per second. */
  value: number;
  /** Median forecast, requests per second. */
  p50: number;
  recentError: number;
  /** The bin's burst factor (1: none): `planned` = `value` × this. */
  burstFactor: number;
  /** The load the replicas are sized for, requests per second. */
  planned: number;
  /** Where the burst factor came from, or why there is none. */
  burst: BurstFactor;
}

export interface BlendRuleInput {
  now: number;
  currentReplicas: number;
  /** The reactive scaler's decision. */
  reactive: { desiredReplicas: number; reasons: readonly ReasonCode[]; valid: boolean };
  /** The forecast over the lead (and floor) window; null when none was made (mode `off`, a disabled reactive scaler, an out-of-order observation). */
  forecast: BlendForecast | null;
  /** The burst factor of each forecast point (same order); absent: none (factor 1). */
  burst?: readonly BurstFactor[] | null;
  /** The wake-up rule's state (`minReplicas: 0`); absent: armed. */
  wakeUp?: WakeUpState;
  /** Traffic is there (requests arrived since the last step); absent: the reactive scaler wants replicas. */
  traffic?: boolean;
}

/** Where the wake-up rule stands after a decision (`minReplicas: 0` with a usable forecast). */
export interface WakeUpDetail {
  phase: WakeUpPhase;
  sinceMs: number;
  /** The forecast expects traffic within the wake-up lead time. */
  expected: boolean;
  /** The prediction holds the activation scale on its own. */
  hold: boolean;
  why: string;
}

export interface BlendOutcome {
  desiredReplicas: number;
  reasons: ReasonCode[];
  valid: boolean;
  winner: 'reactive' | 'predicted' | 'floor';
  /** Replicas the forecast needs over [now, now + leadTime]; null when there is no usable forecast. */
  predictedReplicas: number | null;
  /** What `auto` decides (in `preview`: what it would have decided). */
  wouldBeReplicas: number;
  /** The scale-down floor, when it applied. */
  floorReplicas: number | null;
  forecast: BlendForecastDetail | null;
  history: HistoryState | null;
  /** Why prediction was not used, if it was not. */
  fallback: string | null;
  /**
   * Replicas the forecast needs over [now, now + leadTime + prewarmSeconds], the same
   * rule as `predictedReplicas` (warm capacity to order ahead); null when `prewarmSeconds`
   * is 0 or there is no usable forecast.
   */
  prewarmReplicas: number | null;
  /** With `minReplicas: 0`, the decision takes the target from 0 replicas: by the forecast (`predicted`) or by the reactive scaler (`reactive`); null otherwise. */
  wokenBy: 'predicted' | 'reactive' | null;
  /** The wake-up rule (`minReplicas: 0` with a usable forecast; its next state is `phase` and `sinceMs`); null otherwise. */
  wakeUp: WakeUpDetail | null;
}

/** The reactive scaler's bounds and its activation scale (the least non-zero count; KPA's `activationScale`, at least 1). */
export interface BlendBounds {
  minReplicas: number;
  maxReplicas: number;
  /** Default 1. */
  activationScale?: number;
}

interface Planned {
  point: BlendForecastPoint;
  burst: BurstFactor;
  /** upper × burst factor, requests per bin. */
  load: number;
}

/** The highest planned load among `points` (the first of equals). */
function peak(points: readonly Planned[]): Planned {
  let top = points[0]!;
  for (const p of points) if (p.load > top.load) top = p;
  return top;
}

/** Each forecast point with its burst factor (1 where none is given). */
function plannedPoints(config: PredictiveConfig, points: readonly BlendForecastPoint[], burst: readonly BurstFactor[] | null | undefined): Planned[] {
  const given = burst !== null && burst !== undefined && burst.length === points.length;
  const none = noBurst(config.burstQuantile, config.burstQuantile > 0 ? 'no burst factor was given' : 'off (burstQuantile 0)');
  return points.map((point, i) => {
    const b = given ? burst[i]! : none;
    const factor = Number.isFinite(b.factor) && b.factor >= 1 ? b.factor : 1;
    // A factor on a load near the largest double must not overflow to Infinity.
    const load = point.upper * factor;
    return { point, burst: b.factor === factor ? b : { ...b, factor }, load: load <= Number.MAX_VALUE ? load : Number.MAX_VALUE };
  });
}

/**
 * Replicas for a forecast load of `rps`: {@link replicasForLoad}, and with
 * `minReplicas: 0`, 0 below `zeroBelowRps` and at least the activation scale above it.
 */
function replicasForForecast(config: PredictiveConfig, bounds: BlendBounds, rps: number): number {
  const replicas = replicasForLoad(rps, config.capacityPerReplica, config.targetUtilization);
  if (bounds.minReplicas > 0) return replicas;
  if (!(rps >= config.zeroBelowRps)) return 0;
  return Math.max(replicas, Math.max(1, bounds.activationScale ?? 1));
}

/** Says which path took the target from 0, if the decision does. */
function withWake(config: PredictiveConfig, bounds: BlendBounds, current: number, outcome: Decided): BlendOutcome {
  if (bounds.minReplicas > 0 || current !== 0 || !(outcome.desiredReplicas > 0)) return { ...outcome, wokenBy: null };
  const wokenBy = config.mode === 'auto' && outcome.predictedReplicas !== null && outcome.winner !== 'reactive' && outcome.fallback === null ? 'predicted' : 'reactive';
  const reasons = [...outcome.reasons];
  reasons.splice(1, 0, wokenBy === 'predicted' ? 'PredictiveWakeUp' : 'ReactiveWakeUp');
  return { ...outcome, reasons, wokenBy };
}

/**
 * Blends a reactive decision with a forecast. Pure.
 * @param bounds the reactive scaler's replica bounds and activation scale.
 */
export function blendRule(config: PredictiveConfig, bounds: BlendBounds, input: BlendRuleInput): BlendOutcome {
  return withWake(config, bounds, input.currentReplicas, decide(config, bounds, input));
}

type Decided = Omit<BlendOutcome, 'wokenBy'>;

/**
 * The forecast's term with `minReplicas: 0`: sized for the lead window while the reactive
 * scaler wants replicas, and while it wants zero the activation scale only as long as
 * the wake-up rule holds.
 */
function zeroTerm(config: PredictiveConfig, bounds: BlendBounds, input: BlendRuleInput, leadRps: number, points: readonly Planned[]): { predicted: number; wakeUp: WakeUpDetail } {
  const seconds = config.binMs / 1000;
  const wakeLead = points.filter((p) => p.point.targetMs <= input.now + config.wakeUpLeadMs);
  const expected = wakeLead.length > 0 && peak(wakeLead).load / seconds >= config.zeroBelowRps;
  const traffic = input.traffic ?? input.reactive.desiredReplicas > 0;
  // Requests a cold start would make wait at the median forecast rate, and what holding costs.
  const waits = (Math.max(...wakeLead.map((p) => p.point.p50)) / seconds) * (config.wakeUpLeadMs / 1000);
  const price = config.wakeUpWaitsPerGpuHour * Math.max(1, bounds.activationScale ?? 1);
  const wokenMs = config.wakeUpLeadMs + config.wakeUpHoldMs;
  const holds = price > 0 ? { wokenMs, idleMs: (waits / price) * 3_600_000, wake: waits * 3_600_000 >= price * wokenMs } : { wokenMs, idleMs: Infinity, wake: true };
  const step = wakeUpStep(holds, input.wakeUp ?? ARMED, { now: input.now, expected, traffic });
  const wakeUp = { ...step.state, expected, hold: step.hold, why: step.why };
  if (input.reactive.desiredReplicas > 0) return { predicted: replicasForForecast(config, bounds, leadRps), wakeUp };
  if (!step.hold) return { predicted: 0, wakeUp };
  return { predicted: Math.max(replicasForLoad(leadRps, config.capacityPerReplica, config.targetUtilization), Math.max(1, bounds.activationScale ?? 1)), wakeUp };
}

function decide(config: PredictiveConfig, bounds: BlendBounds, input: BlendRuleInput): Decided {
  const { now, currentReplicas: current, reactive, forecast } = input;
  const reactiveOnly = (reasons: ReasonCode[], fallback: string | null, more: Partial<BlendOutcome> = {}): Decided => ({
    desiredReplicas: reactive.desiredReplicas,
    reasons,
    valid: reactive.valid,
    winner: 'reactive',
    predictedReplicas: null,
    wouldBeReplicas: reactive.desiredReplicas,
    floorReplicas: null,
    forecast: null,
    history: null,
    fallback,
    prewarmReplicas: null,
    wakeUp: null,
    ...more,
  });
  const preview = config.mode === 'preview';
  const withPreview = (reasons: ReasonCode[]): ReasonCode[] => (preview ? ['PredictionPreview', ...reasons] : reasons);
  if (forecast === null) {
    if (config.mode === 'off') return reactiveOnly(['PredictionOff', ...reactive.reasons], 'mode off');
    if (reactive.reasons.includes('OutOfOrderSample')) return reactiveOnly([...reactive.reasons], 'the observation is older than the previous one: held, with no forecast for a time already past');
    return reactiveOnly([...reactive.reasons], 'the reactive scaler is disabled (ScalingDisabled)');
  }
  if (!forecast.ok) return reactiveOnly(withPreview([forecast.reason, ...reactive.reasons]), forecast.message, { history: forecast.history });

  const seconds = config.binMs / 1000;
  const points = plannedPoints(config, forecast.points, input.burst);
  const lead = points.filter((p) => p.point.targetMs <= now + config.leadTimeMs);
  const top = peak(lead);
  const zero = bounds.minReplicas > 0 ? null : zeroTerm(config, bounds, input, top.load / seconds, points);
  const predicted = zero === null ? replicasForForecast(config, bounds, top.load / seconds) : zero.predicted;
  const prewarm = config.prewarmMs > 0 ? points.filter((p) => p.point.targetMs <= now + config.leadTimeMs + config.prewarmMs) : [];
  const known = {
    wakeUp: zero?.wakeUp ?? null,
    history: forecast.history,
    predictedReplicas: predicted,
    prewarmReplicas: prewarm.length > 0 ? replicasForForecast(config, bounds, peak(prewarm).load / seconds) : null,
    forecast: {
      model: top.point.model,
      parameters: top.point.parameters,
      leadTimeSeconds: config.leadTimeMs / 1000,
      targetMs: top.point.targetMs,
      quantile: config.settings.quantile,
      value: top.point.upper / seconds,
      p50: top.point.p50 / seconds,
      recentError: top.point.recentError,
      burstFactor: top.burst.factor,
      planned: top.load / seconds,
      burst: top.burst,
    },
  };
  const worst = Math.max(...lead.map((p) => p.point.recentError));
  if (config.maxRecentError !== null && worst > config.maxRecentError) {
    return reactiveOnly(withPreview(['LowConfidence', ...reactive.reasons]), `recent error ${worst.toFixed(3)} is above maxRecentError ${config.maxRecentError}`, known);
  }

  let wouldBe = Math.max(reactive.desiredReplicas, predicted);
  let winner: BlendOutcome['winner'] = predicted > reactive.desiredReplicas ? 'predicted' : 'reactive';
  let floorReplicas: number | null = null;
  let burstDecided = winner === 'predicted' && top.burst.factor > 1;
  if (config.scaleDownFloorMs > 0 && wouldBe < current) {
    const ahead = peak(points.filter((p) => p.point.targetMs <= now + config.scaleDownFloorMs));
    const floor = Math.min(current, replicasForForecast(config, bounds, ahead.load / seconds));
    if (floor > wouldBe) {
      floorReplicas = floor;
      wouldBe = floor;
      winner = 'floor';
      burstDecided = ahead.burst.factor > 1;
    }
  }
  const { replicas, bound } = clampToBounds(wouldBe, bounds.minReplicas, bounds.maxReplicas);
  const decided = { ...known, winner, floorReplicas, wouldBeReplicas: replicas, fallback: null };
  if (preview) return { ...decided, desiredReplicas: reactive.desiredReplicas, reasons: ['PredictionPreview', ...reactive.reasons], valid: reactive.valid };
  const head: ReasonCode[] = winner === 'predicted' ? ['PredictedAboveReactive'] : winner === 'floor' ? ['PredictiveFloor'] : ['ReactiveAtLeastPredicted'];
  if (burstDecided) head.push('BurstAllowance');
  const tail = winner === 'reactive' ? reactive.reasons : bound ? [bound] : [];
  return { ...decided, desiredReplicas: replicas, reasons: [...head, ...tail], valid: reactive.valid || winner !== 'reactive' };
}
