/**
 * What a loop writes, as a pure function of what the loop found: the merge patch of the
 * PodAutoscaler's `status` (the conditions, keeping each one's transition time while its
 * status holds; desired and actual scale; the bounded scaling history; the bounds in
 * force; the last decision; the prediction; the scaler state) and the Events to record.
 * The controller's act phase writes what {@link statusFor} returns and nothing else.
 * @module
 */
import { describeHistory, type ScalerDecision, type ScalerState } from '@prescale/core';
import type { Bounds } from '../crd/schedules.js';
import type { PodAutoscalerSpec } from '../crd/spec.js';
import type { PodAutoscalerStatus, PredictionStatus } from '../crd/status.js';
import { type ConditionInput, mergeConditions } from './conditions.js';
import { encodeState } from './persistedState.js';
import { appendScalingHistory } from './scalingHistory.js';

/**
 * Why a loop stopped before it decided. `Conflict`: another PodAutoscaler targets the
 * same workload; the others: the call (or the scaler's step) that failed.
 */
export interface Halt {
  reason: 'InvalidSpec' | 'Conflict' | 'FailedGetScale' | 'FailedListPods' | 'FailedDecision';
  /** The spec error (`field: message`), the conflict, or the error's message. */
  message: string;
}

/** What the scale patch of a loop came to: none was needed, it was made, or it failed. */
export type PatchOutcome = { result: 'unchanged' } | { result: 'scaled' } | { result: 'failed'; error: string };

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
  spec: Pick<PodAutoscalerSpec, 'scaleTargetRef' | 'predictive'>;
  /** The replica bounds in force (schedules applied). */
  bounds: Bounds;
  /** Replicas of the scale subresource as read. */
  currentReplicas: number;
  decision: ScalerDecision;
  patch: PatchOutcome;
  /** What loading the demand history said (loaded, failed, no loader), or null. */
  seedNote: string | null;
  /** The state after the step and the fingerprint of the scaler it belongs to. */
  scaler: { fingerprint: string; state: ScalerState };
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
function specConditions(invalid: string | null, conflict: string | null): ConditionInput[] {
  return [
    invalid === null ? { type: 'ValidSpec', status: 'True', reason: 'ValidSpec', message: VALID } : { type: 'ValidSpec', status: 'False', reason: 'InvalidSpec', message: invalid },
    conflict === null ? NO_CONFLICT : { type: 'MultiPodAutoscalerConflict', status: 'True', reason: 'MultiplePodAutoscalers', message: conflict },
  ];
}

/** The conditions of a halted loop: ValidSpec, MultiPodAutoscalerConflict and AbleToScale only. */
function haltConditions(halt: Halt): ConditionInput[] {
  switch (halt.reason) {
    case 'InvalidSpec':
      return [...specConditions(halt.message, null), { type: 'AbleToScale', status: 'False', reason: 'InvalidSpec', message: 'not scaling until the spec is fixed' }];
    case 'Conflict':
      return [
        ...specConditions(null, halt.message),
        { type: 'AbleToScale', status: 'False', reason: 'MultiplePodAutoscalers', message: 'not scaling while another PodAutoscaler targets the workload' },
      ];
    default:
      return [...specConditions(null, null), { type: 'AbleToScale', status: 'False', reason: halt.reason, message: halt.message }];
  }
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
  const out: PredictionStatus = { mode: predictive.mode, reactiveReplicas: d.reactiveReplicas, wouldBeReplicas: d.wouldBeReplicas };
  if (d.predictedReplicas !== null) out.predictedReplicas = d.predictedReplicas;
  if (d.history) out.historyState = describeHistory(d.history);
  // auto combines models: say which, with their weights (`auto (scryer 70 % + holt-winters 30 %)`).
  if (d.forecast) out.model = d.forecast.model === 'auto' ? `auto (${d.forecast.parameters})` : d.forecast.model;
  const message = [d.fallback, seedNote].filter((m): m is string => !!m).join('; ');
  if (message) out.message = message;
  // The upper quantile per bin, requests per second.
  if (d.bins.length > 0) out.forecast = d.bins.slice(0, 32).map((b) => ({ time: new Date(b.startMs).toISOString(), value: b.upper }));
  return out;
}

function decidedUpdate(loop: DecidedLoop, nowIso: string): StatusUpdate {
  const { decision, patch, currentReplicas: current, bounds, previous } = loop;
  const desired = decision.desiredReplicas;
  const reasons = decision.reasons.join(', ');
  const scaled = patch.result === 'scaled';
  const failed = patch.result === 'failed' ? patch.error : null;
  const history =
    patch.result === 'unchanged'
      ? previous.scalingHistory
      : appendScalingHistory(previous.scalingHistory, {
          timestamp: nowIso,
          previousScale: current,
          newScale: desired,
          reason: reasons,
          success: failed === null,
          ...(failed !== null ? { error: failed } : {}),
        });
  const status: StatusPatch = {
    observedGeneration: loop.generation ?? null,
    desiredScale: desired,
    actualScale: scaled ? desired : current,
    lastScaleTime: scaled ? nowIso : (previous.lastScaleTime ?? null),
    conditions: mergeConditions(previous.conditions, [...specConditions(null, null), ...decisionConditions(loop)], nowIso, loop.generation),
    scalingHistory: history ?? null,
    scheduledBounds: {
      ...(bounds.activeSchedule ? { activeSchedule: bounds.activeSchedule } : {}),
      effectiveMinReplicas: bounds.minReplicas,
      effectiveMaxReplicas: bounds.maxReplicas,
    },
    lastDecision: { time: nowIso, algorithm: decision.scaler, valid: decision.valid, reasons: decision.reasons, message: decision.message },
    prediction: predictionStatus(loop.spec.predictive, decision, loop.seedNote),
    scalerState: encodeState(loop.scaler.fingerprint, loop.now, loop.scaler.state),
  };
  const size = `New size: ${desired} (from ${current}); reason: ${reasons}`;
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
 * A halted loop writes `observedGeneration` and three conditions (ValidSpec,
 * MultiPodAutoscalerConflict, AbleToScale=False with the reason), plus an InvalidSpec
 * Warning once per generation. A loop that decided writes the whole status and, when it
 * patched the scale or failed to, a scaling-history entry and a SuccessfulRescale or
 * FailedRescale Event.
 */
export function statusFor(loop: LoopFacts): StatusUpdate {
  const nowIso = new Date(loop.now).toISOString();
  if ('decision' in loop) return decidedUpdate(loop, nowIso);
  const { halt } = loop;
  return {
    status: { observedGeneration: loop.generation ?? null, conditions: mergeConditions(loop.previous.conditions, haltConditions(halt), nowIso, loop.generation) },
    events: halt.reason === 'InvalidSpec' && !loop.announced ? [{ type: 'Warning', reason: 'InvalidSpec', action: 'Validate', note: halt.message }] : [],
  };
}
