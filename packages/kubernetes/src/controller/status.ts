/**
 * What a loop writes, as a pure function of what the loop found: the merge patch of the
 * PodAutoscaler's `status` (the conditions, keeping each one's transition time while its
 * status holds: ValidSpec, MultiPodAutoscalerConflict, AbleToScale, ScalingActive, Ready,
 * MetricsAvailable; desired and actual scale; the bounded scaling history; the bounds in
 * force; the last decision; the prediction; the scaler state) and the Events to record.
 * The controller's act phase writes what {@link statusFor} returns and nothing else.
 * @module
 */
import { describeHistory, type ScalerDecision, type ScalerState } from '@prescale/core';
import type { Bounds } from '../crd/schedules.js';
import type { PodAutoscalerSpec } from '../crd/spec.js';
import type { Condition, PodAutoscalerStatus, PredictionStatus } from '../crd/status.js';
import { type ConditionInput, mergeConditions } from './conditions.js';
import { metricsCondition, type SourceFailure } from './metricFailures.js';
import { encodeState } from './persistedState.js';
import { appendScalingHistory, historyReason } from './scalingHistory.js';
import { metricSourcesStatus } from './sourceStatus.js';
import { breakerCondition } from './circuitBreaker.js';
import { statusInt, statusNumber } from './statusNumbers.js';
import { activeCondition, type WakeUpReading } from './wakeUp.js';

/**
 * Why a loop stopped before it decided. `Conflict`: another PodAutoscaler targets the
 * same workload; the others: the call (or the scaler's step) that failed.
 */
export interface Halt {
  reason: 'InvalidSpec' | 'Conflict' | 'FailedGetScale' | 'FailedListPods' | 'FailedDecision' | 'FailedGetProfiles';
  /** The spec error (`field: message`), the conflict, or the error's message. */
  message: string;
}

/** What the scale patch of a loop came to: none was needed, it was made, or it failed. */
export type PatchOutcome = { result: 'unchanged' } | { result: 'scaled' } | { result: 'failed'; error: string };

/**
 * The scaler state a loop commits: the step's, unless the scale patch it called for
 * failed, in which case the state it started from stays in force (a decision that was
 * not carried out must not count: an HPA policy budget, a KPA window, an APA cooldown).
 * The controller keeps this state in memory and writes it to `status.scalerState`.
 * docs/algorithms.md ("if scaling the target fails, keep the previous state").
 */
export function committedState(patch: PatchOutcome, scaler: { before: ScalerState; state: ScalerState }): ScalerState {
  return patch.result === 'failed' ? scaler.before : scaler.state;
}

/** What every loop knows when it writes status. */
interface LoopBasics {
  /** The loop's time, ms since the epoch. */
  now: number;
  /** `metadata.generation` of the object the loop read. */
  generation: number | undefined;
  /** The object's status as read. */
  previous: PodAutoscalerStatus;
}

/** A loop that stopped before deciding. */
export interface HaltedLoop extends LoopBasics {
  halt: Halt;
  /** An InvalidSpec Event was already recorded for this generation (one per generation). */
  announced: boolean;
}

/** A loop that decided (and scaled, tried to, or had nothing to change). */
export interface DecidedLoop extends LoopBasics {
  spec: Pick<PodAutoscalerSpec, 'scaleTargetRef' | 'predictive'> & Partial<Pick<PodAutoscalerSpec, 'metricsSources'>>;
  /** What `spec.wakeUp` said this loop; null or absent without one. */
  wakeUp?: WakeUpReading | null;
  /** `WarmPool`, with `spec.warmPool` (controller/warmPool.ts); null or absent without one. */
  warmPool?: ConditionInput | null;
  /** The replica bounds in force (schedules applied). */
  bounds: Bounds;
  /** Replicas of the scale subresource as read. */
  currentReplicas: number;
  decision: ScalerDecision;
  patch: PatchOutcome;
  /** What loading the demand history said (loaded, failed, no loader), or null. */
  seedNote: string | null;
  /** The metric sources that failed (read this loop, or the history load awaiting its retry). */
  failures: readonly SourceFailure[];
  /** The state the step started from, the state after it, and the fingerprint of the scaler they belong to. */
  scaler: { fingerprint: string; before: ScalerState; state: ScalerState };
  /** Consecutive failed loops and the threshold of the circuit breaker; absent: no CircuitBreaker condition. */
  breaker?: { failures: number; threshold: number };
}

export type LoopFacts = HaltedLoop | DecidedLoop;

/** A merge patch of `status`: a field set to null is removed. */
export type StatusPatch = { [K in keyof PodAutoscalerStatus]?: PodAutoscalerStatus[K] | null };

/** An Event to record about the PodAutoscaler. */
export interface LoopEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  action: string;
  note: string;
}

export interface StatusUpdate {
  status: StatusPatch;
  /** To record after the status, in this order. */
  events: LoopEvent[];
}

const VALID = 'the spec is valid';
const NO_CONFLICT: ConditionInput = { type: 'MultiPodAutoscalerConflict', status: 'False', reason: 'NoConflict', message: 'no other PodAutoscaler targets this workload' };

/** ValidSpec and MultiPodAutoscalerConflict. */
export function specConditions(invalid: string | null, conflict: string | null): ConditionInput[] {
  return [
    invalid === null ? { type: 'ValidSpec', status: 'True', reason: 'ValidSpec', message: VALID } : { type: 'ValidSpec', status: 'False', reason: 'InvalidSpec', message: invalid },
    conflict === null ? NO_CONFLICT : { type: 'MultiPodAutoscalerConflict', status: 'True', reason: 'MultiplePodAutoscalers', message: conflict },
  ];
}

/** The conditions a halted loop sets: ValidSpec, MultiPodAutoscalerConflict, AbleToScale and Ready, False with the halt's reason. */
function haltConditions(halt: Halt): ConditionInput[] {
  let conditions: ConditionInput[];
  switch (halt.reason) {
    case 'InvalidSpec':
      conditions = [...specConditions(halt.message, null), { type: 'AbleToScale', status: 'False', reason: 'InvalidSpec', message: 'not scaling until the spec is fixed' }];
      break;
    case 'Conflict':
      conditions = [
        ...specConditions(null, halt.message),
        { type: 'AbleToScale', status: 'False', reason: 'MultiplePodAutoscalers', message: 'not scaling while another PodAutoscaler targets the workload' },
      ];
      break;
    default:
      conditions = [...specConditions(null, null), { type: 'AbleToScale', status: 'False', reason: halt.reason, message: halt.message }];
  }
  const able = conditions[2] as ConditionInput;
  return [...conditions, { type: 'Ready', status: 'False', reason: able.reason, message: able.message }];
}

/**
 * `next`, then the previous conditions of the other types as they were: the status is a
 * merge patch, which replaces the whole list, so a halted loop would otherwise drop
 * ScalingActive and MetricsAvailable (their observedGeneration says how old they are).
 */
function keepOthers(next: Condition[], previous: readonly Condition[] | undefined): Condition[] {
  const types = new Set(next.map((c) => c.type));
  return [...next, ...(previous ?? []).filter((c) => !types.has(c.type))];
}

/** AbleToScale, ScalingActive and Ready of a loop that decided. */
function decisionConditions(loop: DecidedLoop): ConditionInput[] {
  const { decision, patch, currentReplicas: current, spec } = loop;
  const desired = decision.desiredReplicas;
  const ref = spec.scaleTargetRef;
  const able: ConditionInput =
    patch.result === 'failed'
      ? { type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale', message: patch.error }
      : { type: 'AbleToScale', status: 'True', reason: patch.result === 'scaled' ? 'SucceededRescale' : 'SucceededGetScale', message: `read the scale of ${ref.kind}/${ref.name}` };
  const active: ConditionInput = !decision.valid
    ? { type: 'ScalingActive', status: 'False', reason: decision.reasons[0] ?? 'Hold', message: decision.message }
    : desired !== current
      ? { type: 'ScalingActive', status: 'True', reason: desired > current ? 'ScalingUp' : 'ScalingDown', message: decision.message }
      : { type: 'ScalingActive', status: 'False', reason: 'Stable', message: decision.message };
  const scaling = active.status === 'True';
  const ready: ConditionInput =
    able.status === 'True' && !scaling
      ? { type: 'Ready', status: 'True', reason: 'Ready', message: 'the autoscaler is ready' }
      : { type: 'Ready', status: 'False', reason: scaling ? 'Scaling' : able.reason, message: scaling ? active.message : able.message };
  return [able, active, ready];
}

/** `status.prediction`: what the blend decided or would have decided, and why; null without a predictive block. */
export function predictionStatus(predictive: PodAutoscalerSpec['predictive'], decision: ScalerDecision, seedNote: string | null): PredictionStatus | null {
  if (!predictive) return null;
  if (predictive.mode === 'off' || decision.scaler !== 'blend') return { mode: 'off' };
  const d = decision.detail;
  const out: PredictionStatus = { mode: predictive.mode };
  const reactive = statusInt(d.reactiveReplicas);
  const wouldBe = statusInt(d.wouldBeReplicas);
  const predicted = d.predictedReplicas === null ? null : statusInt(d.predictedReplicas);
  if (reactive !== null) out.reactiveReplicas = reactive;
  if (wouldBe !== null) out.wouldBeReplicas = wouldBe;
  if (predicted !== null) out.predictedReplicas = predicted;
  if (d.history) out.historyState = describeHistory(d.history);
  // auto combines models: say which, with their weights (`auto (scryer 70 % + holt-winters 30 %)`).
  if (d.forecast) out.model = d.forecast.model === 'auto' ? `auto (${d.forecast.parameters})` : d.forecast.model;
  // With burstQuantile: the factor, or why there is none yet.
  const burst = d.forecast && d.forecast.burst.quantile > 0 ? d.forecast.burst : null;
  const factor = burst ? statusNumber(burst.factor) : null;
  if (factor !== null) out.burstFactor = factor;
  const message = [d.fallback, burst?.note ?? null, seedNote].filter((m): m is string => !!m).join('; ');
  if (message) out.message = message;
  // The upper quantile per bin, requests per second.
  const points = d.bins.slice(0, 32).flatMap((b) => {
    const value = statusNumber(b.upper);
    return value === null ? [] : [{ time: new Date(b.startMs).toISOString(), value }];
  });
  if (points.length > 0) out.forecast = points;
  return out;
}

/** `Active`, when the target can be at 0 replicas (controller/wakeUp.ts); `WarmPool`, with a warm pool. */
function zeroConditions(loop: DecidedLoop): ConditionInput[] {
  const active = activeCondition({
    minReplicas: loop.bounds.minReplicas,
    currentReplicas: loop.currentReplicas,
    desiredReplicas: loop.decision.desiredReplicas,
    wakeUp: loop.wakeUp ?? null,
    totalSource: (loop.spec.metricsSources ?? []).some((s) => s.metricSourceType !== 'pod'),
    message: loop.decision.message,
  });
  return [...(active ? [active] : []), ...(loop.warmPool ? [loop.warmPool] : [])];
}

function decidedUpdate(loop: DecidedLoop, nowIso: string): StatusUpdate {
  const { decision, patch, bounds, previous } = loop;
  const desired = statusInt(decision.desiredReplicas);
  const current = statusInt(loop.currentReplicas);
  const generation = statusInt(loop.generation ?? Number.NaN);
  const reasons = decision.reasons.join(', ');
  const scaled = patch.result === 'scaled';
  const failed = patch.result === 'failed' ? patch.error : null;
  const history =
    patch.result === 'unchanged'
      ? previous.scalingHistory
      : appendScalingHistory(previous.scalingHistory, {
          timestamp: nowIso,
          previousScale: current ?? 0,
          newScale: desired ?? 0,
          reason: historyReason(decision),
          success: failed === null,
          ...(failed !== null ? { error: failed } : {}),
        });
  const effectiveMin = statusInt(bounds.minReplicas);
  const effectiveMax = statusInt(bounds.maxReplicas);
  const status: StatusPatch = {
    observedGeneration: generation,
    desiredScale: desired,
    actualScale: scaled ? desired : current,
    lastScaleTime: scaled ? nowIso : (previous.lastScaleTime ?? null),
    conditions: mergeConditions(
      previous.conditions,
      [...specConditions(null, null), ...decisionConditions(loop), metricsCondition(loop.failures), ...zeroConditions(loop), ...(loop.breaker ? [breakerCondition(loop.breaker.failures, loop.breaker.threshold)] : [])],
      nowIso,
      generation ?? undefined,
    ),
    scalingHistory: history ?? null,
    scheduledBounds:
      effectiveMin === null || effectiveMax === null
        ? null
        : { ...(bounds.activeSchedule ? { activeSchedule: bounds.activeSchedule } : {}), effectiveMinReplicas: effectiveMin, effectiveMaxReplicas: effectiveMax },
    lastDecision: { time: nowIso, algorithm: decision.scaler, valid: decision.valid, reasons: decision.reasons, message: decision.message },
    metrics: loop.spec.metricsSources ? metricSourcesStatus({ metricsSources: loop.spec.metricsSources }, decision, loop.failures) : null,
    prediction: predictionStatus(loop.spec.predictive, decision, loop.seedNote),
    // A PodAutoscaler that was an Optimizer keeps no stale fleet status.
    optimizer: null,
    scalerState: encodeState(loop.scaler.fingerprint, loop.now, committedState(patch, loop.scaler)),
  };
  const size = `New size: ${decision.desiredReplicas} (from ${loop.currentReplicas}); reason: ${reasons}`;
  const events: LoopEvent[] = scaled
    ? [{ type: 'Normal', reason: 'SuccessfulRescale', action: 'Scale', note: size }]
    : failed !== null
      ? [{ type: 'Warning', reason: 'FailedRescale', action: 'Scale', note: `${size}; error: ${failed}` }]
      : [];
  return { status, events };
}

/**
 * The status a loop writes and the Events it records, from what it found. Pure: the
 * same facts give the same update.
 *
 * A halted loop writes `observedGeneration` and four conditions (ValidSpec,
 * MultiPodAutoscalerConflict, AbleToScale=False and Ready=False with the reason), keeping
 * the others as they were, plus an InvalidSpec Warning once per generation. A loop that decided writes the whole status and, when it
 * patched the scale or failed to, a scaling-history entry and a SuccessfulRescale or
 * FailedRescale Event.
 */
export function statusFor(loop: LoopFacts): StatusUpdate {
  const nowIso = new Date(loop.now).toISOString();
  if ('decision' in loop) return decidedUpdate(loop, nowIso);
  const { halt } = loop;
  const generation = statusInt(loop.generation ?? Number.NaN);
  return {
    status: {
      observedGeneration: generation,
      conditions: keepOthers(mergeConditions(loop.previous.conditions, haltConditions(halt), nowIso, generation ?? undefined), loop.previous.conditions),
    },
    events: halt.reason === 'InvalidSpec' && !loop.announced ? [{ type: 'Warning', reason: 'InvalidSpec', action: 'Validate', note: halt.message }] : [],
  };
}
