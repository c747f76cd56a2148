/**
 * What an Optimizer PodAutoscaler's loop writes, as a pure function of what the loop
 * found (the counterpart of status.ts's `statusFor` for the single-target strategies):
 * `status.optimizer` (the shared decision: the solve's status, reasons and objective,
 * the rates, and per GPU type its desired, current and ready replicas, bounds, price,
 * served rate and utilisation), the totals in `desiredScale` and `actualScale`, a
 * scaling-history entry and an Event per type that was scaled (or failed to be), and the
 * conditions: ValidSpec, MultiPodAutoscalerConflict, AbleToScale, ScalingActive, Ready,
 * MetricsAvailable (the demand queries), and DemandCovered (False when the types'
 * maxima or profiles cannot cover the demand: the best allocation at the bounds is
 * applied, and the reason is the solve's).
 * @module
 */
import type { FleetDecision } from '@prescale/core';
import type { OptimizerStatus, OptimizerTypeStatus, PodAutoscalerStatus, ScalingHistoryEntry } from '../crd/status.js';
import { type ConditionInput, mergeConditions } from './conditions.js';
import { metricsCondition, type SourceFailure } from './metricFailures.js';
import type { FleetDecided } from './optimizerDecide.js';
import { type OptimizerReading, targetName } from './optimizerRead.js';
import { MAX_HISTORY_REASON, MAX_SCALING_HISTORY } from './scalingHistory.js';
import { type LoopEvent, type PatchOutcome, specConditions, type StatusUpdate } from './status.js';
import { statusInt, statusNumber } from './statusNumbers.js';

export interface OptimizerLoopFacts {
  now: number;
  generation: number | undefined;
  previous: PodAutoscalerStatus;
  reading: OptimizerReading;
  decided: FleetDecided;
  /** What each type's scale patch came to, by GPU type. */
  patches: Readonly<Record<string, PatchOutcome>>;
  /** The demand sources that failed this loop. */
  failures: readonly SourceFailure[];
  /** `status.scalerState`: the fleet state the loop keeps. */
  state: string;
}

/** The reason codes of the decision, most important first. */
export function fleetReasons(decided: FleetDecided): string[] {
  const o = decided.outcome;
  if (o.kind === 'held') return [o.reason];
  const d: FleetDecision = o.decision;
  return [
    ...d.allocation.reasons,
    ...(d.rate.source === 'stabilized' ? ['Stabilized'] : []),
    ...(d.keptCurrentMix ? ['CurrentMixKept'] : []),
    ...(d.waitingForReady.length > 0 ? ['WaitingForReady'] : []),
    ...(d.minimumAdded ? ['MinimumFleet'] : []),
  ];
}

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const optionalNumber = <K extends string>(key: K, n: number | null | undefined): Partial<Record<K, number>> => {
  const v = n === null || n === undefined ? null : statusNumber(n);
  return v === null || v < 0 ? {} : ({ [key]: v } as Record<K, number>);
};

/** `status.optimizer`: the decision and every type's replicas. */
function optimizerBlock(facts: OptimizerLoopFacts, message: string, reasons: string[]): OptimizerStatus {
  const { reading, decided } = facts;
  const solved = decided.outcome.kind === 'solved' ? decided.outcome.decision : null;
  const a = solved?.allocation ?? null;
  const types: OptimizerTypeStatus[] = reading.types.map((t) => {
    const gpu = t.target.gpu;
    const allocated = a?.types.find((x) => x.name === gpu);
    const price = reading.config.types.find((x) => x.name === gpu)?.costPerHour;
    return {
      gpu,
      target: targetName(t.target),
      desiredReplicas: statusInt(decided.desired[gpu] ?? t.scale.replicas) ?? 0,
      currentReplicas: statusInt(t.scale.replicas) ?? 0,
      readyReplicas: statusInt(t.ready) ?? 0,
      ...(solved ? { recommendedReplicas: statusInt(solved.recommended[gpu] ?? 0) ?? 0 } : {}),
      minReplicas: t.target.minReplicas ?? 0,
      maxReplicas: t.target.maxReplicas,
      ...optionalNumber('costPerHour', price),
      ...optionalNumber('servedRps', allocated?.servedRps),
      ...optionalNumber('utilization', allocated?.utilization),
    };
  });
  const s = a?.solver;
  return {
    status: a?.status ?? 'Held',
    reasons: reasons.slice(0, 16),
    message: clip(message, 1024),
    ...(s ? { solver: clip(`${s.name}, ${s.formulation}, ${s.columns} columns × ${s.rows} rows, ${s.nodes ?? '?'} nodes, ${s.solverStatus}`, 256) } : {}),
    ...optionalNumber('costPerHour', a?.costPerHour),
    ...optionalNumber('lowerBoundPerHour', a?.lowerBoundPerHour),
    ...optionalNumber('observedRps', solved?.rate.observedRps),
    ...optionalNumber('solvedRps', solved?.rate.solvedRps),
    ...optionalNumber('uncoveredRps', a?.uncoveredRps),
    types,
  };
}

/** AbleToScale, ScalingActive, Ready and DemandCovered. */
function fleetConditions(facts: OptimizerLoopFacts, message: string): ConditionInput[] {
  const { reading, decided, patches } = facts;
  const failed = reading.types.flatMap((t) => {
    const p = patches[t.target.gpu];
    return p?.result === 'failed' ? [`${targetName(t.target)}: ${p.error}`] : [];
  });
  const scaled = Object.values(patches).some((p) => p.result === 'scaled');
  const able: ConditionInput =
    failed.length > 0
      ? { type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale', message: clip(failed.join('; '), 1024) }
      : { type: 'AbleToScale', status: 'True', reason: scaled ? 'SucceededRescale' : 'SucceededGetScale', message: `read the scale of ${reading.types.map((t) => targetName(t.target)).join(', ')}` };
  const up = reading.types.some((t) => (decided.desired[t.target.gpu] ?? 0) > t.scale.replicas);
  const down = reading.types.some((t) => (decided.desired[t.target.gpu] ?? 0) < t.scale.replicas);
  const o = decided.outcome;
  const active: ConditionInput =
    o.kind === 'held'
      ? { type: 'ScalingActive', status: 'False', reason: o.reason, message }
      : up || down
        ? { type: 'ScalingActive', status: 'True', reason: up && down ? 'Rebalancing' : up ? 'ScalingUp' : 'ScalingDown', message }
        : { type: 'ScalingActive', status: 'False', reason: 'Stable', message };
  const scaling = active.status === 'True';
  const ready: ConditionInput =
    able.status === 'True' && !scaling
      ? { type: 'Ready', status: 'True', reason: 'Ready', message: 'the autoscaler is ready' }
      : { type: 'Ready', status: 'False', reason: scaling ? 'Scaling' : able.reason, message: scaling ? active.message : able.message };
  let covered: ConditionInput;
  if (o.kind === 'held') covered = { type: 'DemandCovered', status: 'Unknown', reason: o.reason, message: 'nothing was solved this loop' };
  else {
    const a = o.decision.allocation;
    const short = a.uncoveredRps > 1e-9 || a.status === 'PartiallyCovered';
    covered = short
      ? { type: 'DemandCovered', status: 'False', reason: a.reasons.find((r) => r === 'DemandAboveMaximum' || r === 'BucketNotServable') ?? a.status, message: clip(`${(a.uncoveredRps ?? 0).toFixed(3)} req/s not covered: the best allocation within the bounds is applied (${a.message})`, 1024) }
      : { type: 'DemandCovered', status: 'True', reason: a.status, message: clip(a.message, 1024) };
  }
  return [able, active, ready, covered];
}

/** The status an Optimizer loop writes and the Events it records. Pure: the same facts give the same update. */
export function optimizerStatusFor(facts: OptimizerLoopFacts): StatusUpdate {
  const { reading, decided, patches, previous } = facts;
  const nowIso = new Date(facts.now).toISOString();
  const generation = statusInt(facts.generation ?? Number.NaN);
  const o = decided.outcome;
  const message = o.kind === 'held' ? o.message : `optimizer: ${o.decision.message}`;
  const reasons = fleetReasons(decided);
  const entries: ScalingHistoryEntry[] = [];
  const events: LoopEvent[] = [];
  let desiredTotal = 0;
  let actualTotal = 0;
  for (const t of reading.types) {
    const gpu = t.target.gpu;
    const desired = decided.desired[gpu] ?? t.scale.replicas;
    const p = patches[gpu] ?? { result: 'unchanged' };
    desiredTotal += desired;
    actualTotal += p.result === 'scaled' ? desired : t.scale.replicas;
    if (p.result === 'unchanged') continue;
    const error = p.result === 'failed' ? p.error : null;
    entries.push({
      timestamp: nowIso,
      previousScale: statusInt(t.scale.replicas) ?? 0,
      newScale: statusInt(desired) ?? 0,
      reason: clip(`${gpu}: ${reasons.join(', ')}`, MAX_HISTORY_REASON),
      success: error === null,
      ...(error !== null ? { error } : {}),
    });
    const note = `${targetName(t.target)} (${gpu}): New size: ${desired} (from ${t.scale.replicas}); reason: ${reasons.join(', ')}`;
    events.push(error === null ? { type: 'Normal', reason: 'SuccessfulRescale', action: 'Scale', note } : { type: 'Warning', reason: 'FailedRescale', action: 'Scale', note: `${note}; error: ${error}` });
  }
  const scaled = Object.values(patches).some((p) => p.result === 'scaled');
  return {
    status: {
      observedGeneration: generation,
      desiredScale: statusInt(desiredTotal),
      actualScale: statusInt(actualTotal),
      lastScaleTime: scaled ? nowIso : (previous.lastScaleTime ?? null),
      conditions: mergeConditions(previous.conditions, [...specConditions(null, null), ...fleetConditions(facts, message), metricsCondition(facts.failures)], nowIso, generation ?? undefined),
      scalingHistory: entries.length > 0 ? [...(previous.scalingHistory ?? []), ...entries].slice(-MAX_SCALING_HISTORY) : (previous.scalingHistory ?? null),
      scheduledBounds: null,
      lastDecision: { time: nowIso, algorithm: 'optimizer', valid: o.kind === 'solved', reasons, message: clip(message, 1024) },
      metrics: null,
      prediction: null,
      optimizer: optimizerBlock(facts, message, reasons),
      scalerState: facts.state,
    },
    events,
  };
}
