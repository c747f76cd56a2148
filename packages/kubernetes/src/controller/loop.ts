/**
 * One loop of one PodAutoscaler: read → decide → act. The read phase (readPhase.ts)
 * hands a {@link Reading} to the decide phase (decidePhase.ts), which hands the step's
 * state and decision to the act phase: the scale patch (actPhase.ts), then the status
 * and Events computed by the pure {@link statusFor} (status.ts), the status written when
 * its meaning changed or it is due for a refresh (statusRefresh.ts). A loop that stops in
 * read or decide writes its conditions and ends. Metric sources that failed are counted
 * every loop, logged when their failure starts, changes or ends, and named in the status;
 * after repeated failed loops the circuit breaker holds the scale (circuitBreaker.ts).
 * What the controller keeps between loops of the object ({@link LoopMemory}) is read and
 * updated here, and nowhere else.
 * @module
 */
import type { MipSolver, ScalerDecision, ScalerState } from '@prescale/core';
import type { PodAutoscaler } from '../crd/podAutoscaler.js';
import type { PodAutoscalerSpec } from '../crd/spec.js';
import type { PredictionStatus } from '../crd/status.js';
import type { SpecResult } from '../crd/validateSpec.js';
import { type ActPorts, recordEvents, scaleBalloon, scaleTarget, type Subject, writeStatus, writeUpdate } from './actPhase.js';
import type { ConditionInput } from './conditions.js';
import { decide, type SeedProgress } from './decidePhase.js';
import type { KubeApiError } from './kubeClient.js';
import type { Stopped } from './loopErrors.js';
import { breakerOpen, DEFAULT_FAILURE_THRESHOLD, failuresAfter, heldByBreaker } from './circuitBreaker.js';
import { failureChanges, type SourceFailure } from './metricFailures.js';
import type { HistoryLoader } from './metricsPort.js';
import { type FleetLoopResult, type FleetMemory, runOptimizerLoop } from './optimizerLoop.js';
import type { OptimizerReadPorts } from './optimizerRead.js';
import { read, type ReadPorts, type Reading, type ReadRequest, targetOf } from './readPhase.js';
import { committedState, type PatchOutcome, statusFor } from './status.js';
import { balloonSize, warmPoolCondition } from './warmPool.js';

/** What one loop did, for tests and logs. */
export interface LoopResult {
  key: string;
  /** Why the loop stopped early without a decision. */
  skipped?: 'InvalidSpec' | 'Conflict' | 'NotLeader' | 'Gone';
  decision?: ScalerDecision;
  currentReplicas?: number;
  /** The scale patch this loop made. */
  scaled?: { from: number; to: number };
  /** The first error of the loop (reading the target, listing pods, scaling, status). */
  error?: KubeApiError | Error;
  prediction?: PredictionStatus;
  /** False when a loop that decided left the status as it was (controller/statusRefresh.ts). */
  statusWritten?: boolean;
  /** scalingStrategy Optimizer: what the fleet's loop did (per GPU type). */
  fleet?: FleetLoopResult;
}

/** What a loop reaches outside itself: the API server, the metric ports, the observer, leadership. */
export type LoopPorts = ReadPorts &
  ActPorts &
  Pick<OptimizerReadPorts, 'client'> & {
    history: HistoryLoader | undefined;
    /** The MIP solver of Optimizer PodAutoscalers (HiGHS through the CLI); without one they hold. */
    solver: MipSolver | undefined;
  };

/** What the controller keeps of one PodAutoscaler between its loops (an Optimizer's fleet state too). */
export interface LoopMemory extends FleetMemory {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  /** The scaler state after the last loop and the fingerprint it belongs to; null: load it from status. */
  state: { fingerprint: string; state: ScalerState } | null;
  /** Predictive scalers: where loading the demand history stands. */
  seed: SeedProgress;
  /** The generation an InvalidSpec Event was recorded for. */
  invalidEventGeneration: number | undefined;
  /** The metric sources failing at the last loop: source → `kind: message` (each failure is logged once). */
  reported: Map<string, string>;
  /** Consecutive loops with a failed metric source or target read (the circuit breaker's count). */
  failedLoops: number;
}

export interface LoopRequest extends Omit<ReadRequest, 'namespace' | 'checked'> {
  /** The PodAutoscaler as the loop starts. */
  object: PodAutoscaler;
  /** The spec as checked, of any strategy. */
  checked: SpecResult;
}

export async function runLoop(ports: LoopPorts, memory: LoopMemory, request: LoopRequest): Promise<LoopResult> {
  const { object: o, now } = request;
  const subject: Subject = { key: memory.key, namespace: memory.namespace, name: memory.name, uid: o.metadata?.uid };

  const { checked } = request;
  if (checked.ok && checked.spec.scalingStrategy === 'Optimizer') {
    const fleet = await runOptimizerLoop(
      ports,
      memory,
      { subject, object: o, spec: checked.spec, rivals: request.rivals, now },
      {
        halt: async (stopped) => {
          if (stopped.halt.reason === 'FailedGetScale' || stopped.halt.reason === 'FailedListPods') memory.failedLoops = failuresAfter(memory.failedLoops, true);
          return halt(ports, memory, subject, o, stopped, now);
        },
        report: (failures) => report(ports, memory, failures),
      },
    );
    return { key: memory.key, fleet, ...(fleet.statusWritten !== undefined ? { statusWritten: fleet.statusWritten } : {}), ...(fleet.error ? { error: fleet.error } : {}), ...(fleet.skipped ? { skipped: fleet.skipped } : {}) };
  }
  const got = await read(ports, { ...request, checked: checked as SpecResult<PodAutoscalerSpec>, namespace: memory.namespace });
  if (!got.ok) {
    // A target that could not be read counts against the breaker; a spec problem does not.
    if (got.halt.reason === 'FailedGetScale' || got.halt.reason === 'FailedListPods') memory.failedLoops = failuresAfter(memory.failedLoops, true);
    return halt(ports, memory, subject, o, got, now);
  }

  const decided = await decide(
    {
      history: ports.history,
      open: (target) => ports.open(memory.namespace, target, now),
      historyFailed: (kind) => ports.observer?.error(memory.namespace, memory.name, `History${kind}`),
    },
    { reading: got.reading, kept: memory.state, seed: memory.seed, saved: o.status?.scalerState, now },
  );
  memory.seed = decided.seed;
  const failures = report(ports, memory, got.reading.failures);
  // Only the metric sources count against the breaker, not a predictive history load awaiting its retry.
  memory.failedLoops = failuresAfter(memory.failedLoops, got.reading.failures.some((f) => f.source.startsWith('metricsSources')));
  if (!decided.ok) return halt(ports, memory, subject, o, decided, now);

  return act(ports, memory, subject, o, got.reading, decided, failures, now);
}

/**
 * Counts this loop's failed metric reads, logs the failures that started or changed and
 * the sources that recovered, and returns every failure in force (a history load that
 * failed stays one until its retry).
 */
function report(ports: LoopPorts, memory: LoopMemory, read: readonly SourceFailure[]): SourceFailure[] {
  for (const f of read) ports.observer?.error(memory.namespace, memory.name, `Metrics${f.kind}`);
  const failures = memory.seed.failure ? [...read, memory.seed.failure] : [...read];
  const changes = failureChanges(memory.reported, failures);
  for (const f of changes.failed) ports.log('warn', 'metric source failed', { key: memory.key, source: f.source, kind: f.kind, error: f.message });
  for (const source of changes.recovered) ports.log('info', 'metric source recovered', { key: memory.key, source });
  memory.reported = changes.next;
  return failures;
}

/** A loop that stopped before deciding: counted, a failure logged, its conditions written. */
async function halt(ports: LoopPorts, memory: LoopMemory, subject: Subject, o: PodAutoscaler, stopped: Stopped, now: number): Promise<LoopResult> {
  const { halt, error } = stopped;
  const generation = o.metadata?.generation;
  ports.observer?.error(memory.namespace, memory.name, halt.reason);
  if (error) ports.log('warn', halt.reason, { key: memory.key, error: error.message });
  const update = statusFor({ now, generation, previous: o.status ?? {}, halt, announced: memory.invalidEventGeneration === generation });
  const statusError = await writeStatus(ports, subject, update.status);
  // The InvalidSpec notice comes from the leader only, once per generation.
  if (update.events.length > 0 && ports.isLeader()) {
    memory.invalidEventGeneration = generation;
    await recordEvents(ports, subject, update.events, now);
  }
  const failure = error ?? statusError;
  const result: LoopResult = { key: memory.key, ...(failure ? { error: failure } : {}) };
  return halt.reason === 'InvalidSpec' || halt.reason === 'Conflict' ? { ...result, skipped: halt.reason } : result;
}

/** Scales when the decision changes the replicas, keeps the new state, writes status and Events. */
async function act(
  ports: LoopPorts,
  memory: LoopMemory,
  subject: Subject,
  o: PodAutoscaler,
  reading: Reading,
  decided: { before: ScalerState; state: ScalerState; decision: ScalerDecision },
  failures: readonly SourceFailure[],
  now: number,
): Promise<LoopResult> {
  const { spec, scale, fingerprint } = reading;
  const { before, state } = decided;
  const threshold = spec.circuitBreaker?.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD;
  const open = breakerOpen(memory.failedLoops, threshold);
  const decision = open ? heldByBreaker(decided.decision, scale.replicas, memory.failedLoops) : decided.decision;
  const desired = decision.desiredReplicas;
  const result: LoopResult = { key: memory.key, decision, currentReplicas: scale.replicas };
  let patch: PatchOutcome = { result: 'unchanged' };
  if (desired !== scale.replicas) {
    if (!ports.isLeader()) return { ...result, skipped: 'NotLeader' };
    const attempt = await scaleTarget(ports, subject, targetOf(spec), desired, scale);
    if (attempt.result === 'scaled') {
      result.scaled = { from: scale.replicas, to: desired };
      patch = attempt;
    } else {
      result.error = attempt.error;
      patch = { result: 'failed', error: attempt.error.message };
    }
  }
  // A patch that failed commits nothing: the state before the step stays in force.
  memory.state = { fingerprint, state: committedState(patch, decided) };
  if (!ports.isLeader()) return { ...result, skipped: 'NotLeader' };
  let warmPool: ConditionInput | null = null;
  if (spec.warmPool) {
    const size = balloonSize(spec.warmPool, decision, reading.bounds.maxReplicas);
    const failed = size.replicas === null ? null : await scaleBalloon(ports, subject, spec.warmPool.balloonRef.name, size.replicas);
    warmPool = warmPoolCondition(spec.warmPool, size, failed);
  }
  ports.observer?.decision(memory.namespace, memory.name, spec.scalingStrategy, decision.reasons[0] ?? 'Unknown', desired, scale.replicas);

  const update = statusFor({
    now,
    generation: o.metadata?.generation,
    previous: o.status ?? {},
    spec,
    bounds: reading.bounds,
    currentReplicas: scale.replicas,
    decision,
    patch,
    seedNote: memory.seed.note,
    failures,
    scaler: { fingerprint, before, state },
    wakeUp: reading.wakeUp,
    warmPool,
    breaker: { failures: memory.failedLoops, threshold },
  });
  const prediction = update.status.prediction;
  if (prediction) {
    result.prediction = prediction;
    const forecast = decision.scaler === 'blend' ? (decision.detail.forecast?.value ?? null) : null;
    ports.observer?.prediction(memory.namespace, memory.name, prediction.predictedReplicas ?? null, forecast, prediction.reactiveReplicas ?? null, reading.observation.requestRate ?? null);
  }
  const written = await writeUpdate(ports, subject, o.status, update, now);
  result.statusWritten = written.written;
  if (written.error) result.error ??= written.error;
  return result;
}
