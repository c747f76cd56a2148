/**
 * The HPA scaler: Kubernetes' horizontal pod autoscaler reconcile (horizontal.go
 * `reconcileAutoscaler`; reference/knative-hpa.md B.2) as one pure step. It reads every
 * metric, takes the largest proposal, stabilises it, applies `behavior` (or the legacy
 * rules) and the replica bounds, and remembers recommendations and scale events for
 * the next step.
 *
 * @example
 * ```ts
 * const config = hpaConfig({ maxReplicas: 10, metrics: [{ type: 'Pods', name: 'vllm:num_requests_waiting', target: { type: 'AverageValue', averageValueMilli: 5000 } }] });
 * const { decision } = hpaStep(config, hpaInit(), {
 *   now: 0, currentReplicas: 2,
 *   pods: [{ name: 'a', phase: 'Running', ready: true }, { name: 'b', phase: 'Running', ready: true }],
 *   metrics: [{ podValuesMilli: { a: 9000, b: 11000 } }],
 * });
 * decision.desiredReplicas; // 4
 * ```
 * @module
 */
import { type Decision, holdDecision, makeDecision, type ReasonCode, type StepResult } from '../decision.js';
import { nonNegativeInt, timestamp } from '../validate.js';
import { type HpaConfig, hpaTolerances } from './hpaConfig.js';
import { normalizeDesiredReplicas } from './normalize.js';
import type { LimitReason } from './rateLimits.js';
import { INVALID_METRIC_VALUE } from './replicaCalculator.js';
import { replicasForMetrics } from './replicasForMetrics.js';
import { storeScaleEvent } from './scaleEvents.js';
import type { HpaMetricValue, HpaPod, Recommendation, ScaleEvent, Tolerances } from './types.js';

export interface HpaState {
  recommendations: Recommendation[];
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
  lastNow: number | null;
}

export interface HpaInput {
  now: number;
  /** `scale.spec.replicas`. */
  currentReplicas: number;
  /** `scale.status.replicas`; defaults to `currentReplicas`. */
  statusReplicas?: number;
  /** The target's pods (name, phase, readiness, requests). */
  pods: readonly HpaPod[];
  /** One reading per configured metric, in the same order. */
  metrics: readonly HpaMetricValue[];
}

export interface HpaMetricDetail {
  metric: string;
  /** The replicas this metric asked for; null when it failed. */
  replicas: number | null;
  usageRatio: number | null;
  /** Resource Utilization targets only. */
  utilization: number | null;
  rawValueMilli: number | null;
  /** Why the metric failed; null when it did not. */
  error: string | null;
}

export interface HpaDetail {
  tolerances: Tolerances;
  metrics: HpaMetricDetail[];
  /** The largest proposal over the metrics. */
  proposedReplicas?: number;
  stabilizedReplicas?: number;
  limitReason?: LimitReason;
}

export type HpaDecision = Decision<'hpa', HpaDetail>;

export function hpaInit(): HpaState {
  return { recommendations: [], scaleUpEvents: [], scaleDownEvents: [], lastNow: null };
}

/**
 * One HPA sync. The state records the decision as carried out; if scaling the target
 * fails, keep the previous state.
 * @throws PrescaleError `InvalidReplicaCount` or `InvalidTime` on unusable input.
 */
export function hpaStep(config: HpaConfig, state: HpaState, input: HpaInput): StepResult<HpaState, HpaDecision> {
  const now = timestamp('input.now', input.now);
  const current = nonNegativeInt('input.currentReplicas', input.currentReplicas, 'InvalidReplicaCount');
  const statusReplicas = nonNegativeInt('input.statusReplicas', input.statusReplicas ?? current, 'InvalidReplicaCount');
  const tolerances = hpaTolerances(config);
  const bounds = { minReplicas: config.minReplicas, maxReplicas: config.maxReplicas };
  const decide = (desired: number, reasons: ReasonCode[], detail: HpaDetail): HpaDecision =>
    makeDecision('hpa', now, current, desired, reasons, detail);

  const outOfOrder = state.lastNow !== null && now < state.lastNow;
  // A target its user scaled to zero stays there whatever the clock says: a hold would
  // clamp 0 to minReplicas and scale it up.
  if (outOfOrder && current === 0 && config.minReplicas !== 0) {
    return { state, decision: decide(0, ['ScalingDisabled'], { tolerances, metrics: [] }) };
  }
  if (outOfOrder) {
    return { state, decision: holdDecision('hpa', now, current, bounds, 'OutOfOrderSample', { tolerances, metrics: [] }) };
  }
  const recommendations = state.recommendations.length > 0 ? state.recommendations : [{ replicas: current, at: now }];
  const base: HpaState = { recommendations, scaleUpEvents: state.scaleUpEvents, scaleDownEvents: state.scaleDownEvents, lastNow: now };

  if (current === 0 && config.minReplicas !== 0) {
    return { state: base, decision: decide(0, ['ScalingDisabled'], { tolerances, metrics: [] }) };
  }
  if (current > config.maxReplicas) {
    return { state: base, decision: decide(config.maxReplicas, ['TooManyReplicas'], { tolerances, metrics: [] }) };
  }
  if (current < config.minReplicas) {
    return { state: base, decision: decide(config.minReplicas, ['TooFewReplicas'], { tolerances, metrics: [] }) };
  }

  const proposal = replicasForMetrics(config.metrics, input.metrics, { currentReplicas: current, statusReplicas, pods: input.pods, tolerances });
  const metrics: HpaMetricDetail[] = proposal.outcomes.map(({ metric, result }) =>
    result.ok
      ? { metric, replicas: result.replicas, usageRatio: result.usageRatio, utilization: result.utilization, rawValueMilli: result.rawValueMilli, error: null }
      : { metric, replicas: null, usageRatio: null, utilization: null, rawValueMilli: null, error: result.error },
  );
  if (!proposal.ok) {
    const invalid = metrics.some((m) => m.error === INVALID_METRIC_VALUE);
    const reason = invalid ? 'InvalidMetricValue' : proposal.reason;
    return { state: base, decision: holdDecision('hpa', now, current, bounds, reason, { tolerances, metrics }) };
  }

  const proposed = Math.max(0, proposal.replicas);
  const normalized = normalizeDesiredReplicas({
    now,
    currentReplicas: current,
    desiredReplicas: proposed,
    minReplicas: config.minReplicas,
    maxReplicas: config.maxReplicas,
    behavior: config.behavior,
    downscaleStabilizationSeconds: config.downscaleStabilizationSeconds,
    recommendations,
    scaleUpEvents: state.scaleUpEvents,
    scaleDownEvents: state.scaleDownEvents,
  });
  const desired = normalized.replicas;

  const reasons: ReasonCode[] = [proposed > current ? 'MetricAboveTarget' : proposed < current ? 'MetricBelowTarget' : 'WithinTolerance'];
  if (normalized.stabilizedReplicas !== proposed) {
    reasons.push(normalized.stabilizedReplicas > proposed ? 'ScaleDownStabilized' : 'ScaleUpStabilized');
  }
  if (normalized.limitReason !== 'DesiredWithinRange') reasons.push(normalized.limitReason);

  let events = { scaleUp: state.scaleUpEvents, scaleDown: state.scaleDownEvents };
  if (config.behavior !== null && desired !== current) events = storeScaleEvent(events, config.behavior, current, desired, now);

  return {
    state: { recommendations: normalized.recommendations, scaleUpEvents: events.scaleUp, scaleDownEvents: events.scaleDown, lastNow: now },
    decision: decide(desired, reasons, {
      tolerances,
      metrics,
      proposedReplicas: proposed,
      stabilizedReplicas: normalized.stabilizedReplicas,
      limitReason: normalized.limitReason,
    }),
  };
}
