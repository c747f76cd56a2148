/**
 * The decide phase of an Optimizer PodAutoscaler's loop: one decision for every GPU
 * type, from core's `fleetStep` (the Mélange solve over the demand mix at the
 * stabilised rate, the current mix kept near the optimum's price, no scale-down while
 * another type waits for ready replicas, the fleet's minimum; docs/optimizer.md) on the
 * solver the operator was given (HiGHS, `@prescale/optimizer`, through the CLI).
 *
 * Without a usable demand (a query failed or answered nothing, no length histogram)
 * or without a solver, nothing is solved: every type holds its current replicas
 * (within its bounds), the fleet state is not advanced, and the reason says why. A
 * missing demand is never read as zero.
 * @module
 */
import { type FleetDecision, type FleetScalerState, fleetStep, initialFleetState, type MipSolver } from '@prescale/core';
import { OPTIMIZER_SPEC_DEFAULTS } from '../crd/optimizerSpec.js';
import type { OptimizerReading } from './optimizerRead.js';

/** Why a loop held every type instead of solving. */
export type HoldReason = 'DemandUnavailable' | 'NoSolver';

export type FleetOutcome =
  | { kind: 'solved'; decision: FleetDecision }
  | { kind: 'held'; reason: HoldReason; message: string; replicas: Record<string, number> };

/** What the decide phase returns: the desired replicas per type, why, and the fleet state to keep. */
export interface FleetDecided {
  outcome: FleetOutcome;
  /** Desired replicas per GPU type: integers within each type's bounds. */
  desired: Record<string, number>;
  state: FleetScalerState;
}

/** Clamps `n` into [min, max]; a value that is not a safe integer becomes the minimum. */
function within(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Number.isSafeInteger(n) ? n : min));
}

/** Every type at its current replicas, within its bounds. */
function held(reading: OptimizerReading, reason: HoldReason, message: string): FleetOutcome & { kind: 'held' } {
  const replicas: Record<string, number> = {};
  for (const t of reading.types) replicas[t.target.gpu] = within(t.scale.replicas, t.target.minReplicas ?? 0, t.target.maxReplicas);
  return { kind: 'held', reason, message, replicas };
}

/**
 * The fleet's decision at `now` (epoch ms) from `reading`, stepping `state` (null: a
 * fresh one). Throws only for settings core refuses (the spec's schema keeps them in
 * range), which the loop reports as FailedDecision.
 */
export function decideFleet(reading: OptimizerReading, state: FleetScalerState | null, solver: MipSolver | undefined, now: number): FleetDecided {
  const before = state ?? initialFleetState();
  const hold = (reason: HoldReason, message: string): FleetDecided => {
    const outcome = held(reading, reason, message);
    return { outcome, desired: outcome.replicas, state: before };
  };
  if (reading.demand === null) return hold('DemandUnavailable', `holding every GPU type: demand unavailable (${reading.demandNote ?? 'no answer'})`);
  if (solver === undefined) return hold('NoSolver', 'holding every GPU type: this operator was started without a MIP solver (prescale operator gives it HiGHS)');
  const o = reading.spec.optimizer;
  const current: Record<string, number> = {};
  const ready: Record<string, number> = {};
  for (const t of reading.types) {
    current[t.target.gpu] = t.scale.replicas;
    ready[t.target.gpu] = t.ready;
  }
  const step = fleetStep(
    reading.config,
    {
      stabilizationSeconds: o.stabilizationWindowSeconds ?? OPTIMIZER_SPEC_DEFAULTS.stabilizationWindowSeconds,
      minTotalReplicas: o.minTotalReplicas ?? OPTIMIZER_SPEC_DEFAULTS.minTotalReplicas,
      switchTolerance: o.switchTolerance ?? OPTIMIZER_SPEC_DEFAULTS.switchTolerance,
    },
    before,
    { now, demand: reading.demand, current, ready },
    solver,
  );
  const desired: Record<string, number> = {};
  for (const t of reading.types) desired[t.target.gpu] = within(step.decision.replicas[t.target.gpu] ?? Number.NaN, t.target.minReplicas ?? 0, t.target.maxReplicas);
  return { outcome: { kind: 'solved', decision: step.decision }, desired, state: step.state };
}

/** The fleet state as `status.scalerState` keeps it. */
export function encodeFleetState(state: FleetScalerState): string {
  return JSON.stringify({ format: 'fleet/1', rates: state.rates });
}

/** A fleet state saved by {@link encodeFleetState}, or null (another scaler's, or malformed). */
export function decodeFleetState(text: unknown): FleetScalerState | null {
  if (typeof text !== 'string') return null;
  try {
    const o = JSON.parse(text) as { format?: unknown; rates?: unknown };
    if (o.format !== 'fleet/1' || !Array.isArray(o.rates)) return null;
    const rates: FleetScalerState['rates'] = [];
    for (const r of o.rates as Array<{ atMs?: unknown; rps?: unknown }>) {
      const atMs = Number(r?.atMs);
      const rps = Number(r?.rps);
      // A saved rate that is not a finite number ≥ 0 is dropped, never solved for.
      if (Number.isFinite(atMs) && Number.isFinite(rps) && rps >= 0) rates.push({ atMs, rps });
    }
    return { rates };
  } catch {
    return null;
  }
}
