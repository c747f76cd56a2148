/**
 * What every scaler returns: the replicas it wants and why. The shape is the same for
 * all scalers so an operator can write it to status and events, and a simulator can
 * log it, without knowing which algorithm ran.
 * @module
 */

/**
 * Reason codes, most important first in {@link Decision.reasons}. Users see them in
 * status, events and reports.
 *
 * Paths that produced the number:
 * - `Stable`: the stable-window value decided (KPA).
 * - `Panic`: the panic-window value decided (KPA, panic mode).
 * - `PanicHold`: panic mode refused to scale down (KPA `maxPanicPods`).
 * - `ScaleDownDelayed`: the scale-down delay window kept a higher count (KPA).
 * - `ActivationScale`: raised to the activation scale (KPA).
 * - `MetricAboveTarget` / `MetricBelowTarget`: the metric moved the count (HPA, APA).
 * - `WithinTolerance`: the metric is inside the tolerance band; no change (HPA, APA).
 * - `ScaleUpStabilized` / `ScaleDownStabilized`: a stabilisation window held the count back.
 * - `ScaleUpLimit` / `ScaleDownLimit`: a rate limit capped the change.
 * - `TooManyReplicas` / `TooFewReplicas`: clamped to maxReplicas / minReplicas.
 * - `DesiredWithinRange`: no limit applied (HPA's own wording).
 * - `InitialScale`: held at the initial scale until the target first reaches it (KPA).
 * - `ScaleToZeroGrace`: zero was wanted but the grace period has not passed (KPA).
 * - `ScalingDisabled`: the target has 0 replicas and minReplicas > 0 (HPA, as upstream).
 * - `PendingCapacity`: replicas still starting already cover (or cut down) the scale-up the ready pods ask for (APA; AIBrix #2671).
 * - `Fixed`: a fixed replica count (the `fixed` scaler, a baseline for comparisons).
 *
 * Predictive blend (the `blend` scaler; the reactive decision's reasons follow):
 * - `PredictedAboveReactive`: the forecast needs more replicas than the reactive scaler wants; they are added.
 * - `ReactiveAtLeastPredicted`: the reactive scaler wants at least what the forecast needs.
 * - `PredictiveFloor`: a scale-down was held at what the forecast needs soon (Netflix-style floor).
 * - `BurstAllowance` (after one of the two above): the forecast was raised by the learned burst factor (`burstQuantile`).
 * - `PredictiveWakeUp` / `ReactiveWakeUp` (second): the decision takes the target from 0 replicas, because the forecast
 *   expects traffic within the lead time, or because the reactive scaler saw load (a request the forecast did not expect).
 * - `PredictionOff`: mode `off`.
 * - `PredictionPreview`: mode `preview`: reactive decision; the detail says what prediction would have done.
 * - `NotEnoughHistory`: too little demand history for a pattern; reactive only.
 * - `LowConfidence`: the model's recent error is above `maxRecentError`; reactive only.
 * - `ForecastFailed`: the forecaster threw or returned a non-finite value; reactive only.
 *
 * Holds (the decision keeps the current scale, clamped to bounds; `valid` is false):
 * - `NoMetrics`: no sample in the window, or every metric failed.
 * - `InvalidMetricValue`: a metric value was NaN, ±Infinity or negative.
 * - `InvalidReadyPods`: the ready-pod count was negative, fractional or not finite.
 * - `OutOfOrderSample`: `now` is earlier than the previous step's time.
 * - `InvalidTarget`: a target value was zero or negative (raw algorithm functions).
 * - `MetricError`: one metric failed and the others would have scaled down (HPA).
 * - `CircuitBreakerOpen`: an adapter's circuit breaker holds the scale after repeated failed loops (the operator; AIBrix #2444).
 */
export type ReasonCode =
  | 'Stable'
  | 'Panic'
  | 'PanicHold'
  | 'ScaleDownDelayed'
  | 'ActivationScale'
  | 'MetricAboveTarget'
  | 'MetricBelowTarget'
  | 'WithinTolerance'
  | 'ScaleUpStabilized'
  | 'ScaleDownStabilized'
  | 'ScaleUpLimit'
  | 'ScaleDownLimit'
  | 'TooManyReplicas'
  | 'TooFewReplicas'
  | 'DesiredWithinRange'
  | 'InitialScale'
  | 'ScaleToZeroGrace'
  | 'ScalingDisabled'
  | 'PendingCapacity'
  | 'Fixed'
  | 'PredictedAboveReactive'
  | 'ReactiveAtLeastPredicted'
  | 'PredictiveFloor'
  | 'BurstAllowance'
  | 'PredictiveWakeUp'
  | 'ReactiveWakeUp'
  | 'PredictionOff'
  | 'PredictionPreview'
  | 'NotEnoughHistory'
  | 'LowConfidence'
  | 'ForecastFailed'
  | 'NoMetrics'
  | 'InvalidMetricValue'
  | 'InvalidReadyPods'
  | 'OutOfOrderSample'
  | 'InvalidTarget'
  | 'MetricError'
  | 'CircuitBreakerOpen';

export type ScalerName = 'kpa' | 'hpa' | 'apa' | 'fixed' | 'multi' | 'blend';

export interface Decision<S extends string = ScalerName, Detail = unknown> {
  scaler: S;
  /** Decision time, milliseconds since the epoch (the `now` of the input). */
  now: number;
  currentReplicas: number;
  /** Always an integer within [minReplicas, maxReplicas] (the HPA's `ScalingDisabled` hold excepted). */
  desiredReplicas: number;
  /** False when the inputs could not be used and the decision holds the current scale. */
  valid: boolean;
  /** Why, most important first; never empty. */
  reasons: ReasonCode[];
  /** Human-readable one-liner built from the reasons and values. */
  message: string;
  /** The algorithm's intermediate values. */
  detail: Detail;
}

/** The result every stateful scaler's `step` returns. */
export interface StepResult<State, D> {
  state: State;
  decision: D;
}

/** Builds a decision; the message is derived from the numbers and reasons. */
export function makeDecision<S extends string, Detail>(
  scaler: S,
  now: number,
  currentReplicas: number,
  desiredReplicas: number,
  reasons: ReasonCode[],
  detail: Detail,
  valid = true,
): Decision<S, Detail> {
  const verb = valid ? (desiredReplicas === currentReplicas ? 'stay at' : 'scale to') : 'hold at';
  return {
    scaler,
    now,
    currentReplicas,
    desiredReplicas,
    valid,
    reasons,
    message: `${scaler}: ${verb} ${desiredReplicas} from ${currentReplicas} (${reasons.join(', ')})`,
    detail,
  };
}

/**
 * A decision that keeps the current scale (clamped to the bounds) because the inputs
 * could not be used; `reason` says why.
 */
export function holdDecision<S extends string, Detail>(
  scaler: S,
  now: number,
  currentReplicas: number,
  bounds: { minReplicas: number; maxReplicas: number },
  reason: ReasonCode,
  detail: Detail,
): Decision<S, Detail> {
  const { replicas, bound } = clampToBounds(currentReplicas, bounds.minReplicas, bounds.maxReplicas);
  return makeDecision(scaler, now, currentReplicas, replicas, bound ? [reason, bound] : [reason], detail, false);
}

/** Clamps to [min, max] and says which bound applied, if any. */
export function clampToBounds(
  replicas: number,
  minReplicas: number,
  maxReplicas: number,
): { replicas: number; bound: 'TooFewReplicas' | 'TooManyReplicas' | null } {
  if (replicas < minReplicas) return { replicas: minReplicas, bound: 'TooFewReplicas' };
  if (replicas > maxReplicas) return { replicas: maxReplicas, bound: 'TooManyReplicas' };
  return { replicas, bound: null };
}
