/**
 * One loop of an Optimizer PodAutoscaler, in the loop's shape (loop.ts): read every
 * GPU type's workload, the profiles and the demand (optimizerRead.ts) → one decision
 * for the whole fleet (optimizerDecide.ts) → act: patch each type's `scale`
 * subresource whose replicas change (scale-ups first, so capacity is ordered before any
 * is released; each patch as the other strategies make it, conditional and retried on
 * 409), then write the status (when its meaning changed, or to refresh it) and the Events
 * that the pure `optimizerStatusFor` computes.
 * Only the leader patches or writes. The fleet state (the recent rates of the
 * stabilisation window) is kept in memory and in `status.scalerState`: it records
 * observations, not actions, so a failed patch does not roll it back.
 * @module
 */
import type { FleetScalerState, MipSolver } from '@prescale/core';
import type { PodAutoscaler } from '../crd/podAutoscaler.js';
import type { OptimizerPodAutoscalerSpec } from '../crd/spec.js';
import { type ActPorts, scaleTarget, type Subject, writeUpdate } from './actPhase.js';
import { failed, type Stopped } from './loopErrors.js';
import type { SourceFailure } from './metricFailures.js';
import { decideFleet, decodeFleetState, encodeFleetState, type FleetDecided } from './optimizerDecide.js';
import { type OptimizerReadPorts, type ProfilesMemo, readOptimizer } from './optimizerRead.js';
import { fleetReasons, optimizerStatusFor } from './optimizerStatus.js';
import type { PatchOutcome } from './status.js';

export type OptimizerLoopPorts = OptimizerReadPorts & ActPorts & { solver: MipSolver | undefined };

/** What the controller keeps of an Optimizer PodAutoscaler between loops. */
export interface FleetMemory {
  /** The fleet state; null: load it from status. */
  fleet: FleetScalerState | null;
  /** The parsed profiles, while the ConfigMap and spec stay the same. */
  profiles: ProfilesMemo | null;
}

/** What one Optimizer loop did, for tests and logs. */
export interface FleetLoopResult {
  skipped?: 'Conflict' | 'NotLeader';
  /** Desired replicas per GPU type. */
  desired?: Record<string, number>;
  /** Replicas per GPU type as read. */
  current?: Record<string, number>;
  /** The scale patches this loop made, by GPU type. */
  scaled?: Record<string, { from: number; to: number }>;
  decided?: FleetDecided;
  /** False when the loop left the status as it was (statusRefresh.ts). */
  statusWritten?: boolean;
  error?: Error;
}

export interface FleetLoopHooks {
  /** Ends a loop that stopped before deciding (its conditions written, as the other strategies'). */
  halt: (stopped: Stopped) => Promise<{ error?: Error }>;
  /** Counts and logs this loop's failed demand reads; returns the failures in force. */
  report: (failures: readonly SourceFailure[]) => SourceFailure[];
}

export async function runOptimizerLoop(
  ports: OptimizerLoopPorts,
  memory: FleetMemory,
  request: { subject: Subject; object: PodAutoscaler; spec: OptimizerPodAutoscalerSpec; rivals: readonly string[]; now: number },
  hooks: FleetLoopHooks,
): Promise<FleetLoopResult> {
  const { subject, object: o, spec, now } = request;
  if (request.rivals.length > 0) {
    const names = request.rivals.map((k) => k.split('/')[1]).sort().join(', ');
    await hooks.halt({ ok: false, halt: { reason: 'Conflict', message: `a workload of spec.optimizer.targets is also the target of PodAutoscaler ${names}; none of them scales it` } });
    return { skipped: 'Conflict' };
  }
  const got = await readOptimizer(ports, { namespace: subject.namespace, spec, profiles: memory.profiles, now });
  if (!got.ok) return hooks.halt(got);
  memory.profiles = got.profiles;
  const reading = got.reading;
  const failures = hooks.report(reading.failures);

  let decided: FleetDecided;
  try {
    decided = decideFleet(reading, memory.fleet ?? decodeFleetState(o.status?.scalerState), ports.solver, now);
  } catch (error) {
    return hooks.halt(failed('FailedDecision', error));
  }
  memory.fleet = decided.state;

  const current: Record<string, number> = {};
  for (const t of reading.types) current[t.target.gpu] = t.scale.replicas;
  const result: FleetLoopResult = { desired: decided.desired, current, decided };
  const patches: Record<string, PatchOutcome> = {};
  // Scale-ups first: make before break.
  const order = [...reading.types].sort((a, b) => Number((decided.desired[b.target.gpu] ?? 0) > b.scale.replicas) - Number((decided.desired[a.target.gpu] ?? 0) > a.scale.replicas));
  for (const t of order) {
    const gpu = t.target.gpu;
    const want = decided.desired[gpu] ?? t.scale.replicas;
    if (want === t.scale.replicas) continue;
    if (!ports.isLeader()) return { ...result, skipped: 'NotLeader' };
    const attempt = await scaleTarget(ports, subject, t.target.scaleTargetRef, want, t.scale);
    if (attempt.result === 'scaled') {
      patches[gpu] = { result: 'scaled' };
      (result.scaled ??= {})[gpu] = { from: t.scale.replicas, to: want };
    } else {
      patches[gpu] = { result: 'failed', error: attempt.error.message };
      result.error ??= attempt.error;
    }
  }
  if (!ports.isLeader()) return { ...result, skipped: 'NotLeader' };
  const desiredTotal = Object.values(decided.desired).reduce((a, b) => a + b, 0);
  const currentTotal = Object.values(current).reduce((a, b) => a + b, 0);
  ports.observer?.decision(subject.namespace, subject.name, 'Optimizer', fleetReasons(decided)[0] ?? 'Unknown', desiredTotal, currentTotal);
  const update = optimizerStatusFor({ now, generation: o.metadata?.generation, previous: o.status ?? {}, reading, decided, patches, failures, state: encodeFleetState(decided.state) });
  // As the other strategies: written when its meaning changed or it is due for a refresh.
  const written = await writeUpdate(ports, subject, o.status, update, now);
  result.statusWritten = written.written;
  if (written.error) result.error ??= written.error;
  return result;
}
