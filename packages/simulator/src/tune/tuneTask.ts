/**
 * One simulation of `prescale tune`: a scaler at a point of its search space (or at its
 * `prescale simulate` defaults), over a prefix of the tuning span or over the whole
 * simulated span, measured per part. The simulated span after the warm-up is split in
 * time: the first part tunes, the last `validation` share validates and is never seen by
 * the search. A run over a prefix of the tuning part is a cheaper, shorter look at the
 * same traffic (the search's screening); a whole run measures both parts, the scaler
 * having run through the tuning part first, as it would in service.
 * @module
 */
import { type PreparedComparison, runOne } from '../compare.js';
import type { RunOutput } from '../engine/simulation.js';
import type { ScalerOverride } from '../scalers/scalerSetups.js';
import { type TunableScaler, type TunePoint, tuneSpace } from './searchSpace.js';

export interface TuneMetrics {
  gpuHours: number;
  /** Share of the requests arriving in the part that met the SLO (dropped and unfinished ones miss). */
  sloAttainment: number;
}

/** How the simulated span is split, in whole timeline windows. */
export interface TunePlan {
  windowSeconds: number;
  spanSeconds: number;
  tuningSeconds: number;
  validationSeconds: number;
}

export interface TuneTask {
  scaler: TunableScaler | 'oracle';
  /** null: the scaler's `prescale simulate` defaults. */
  point: TunePoint | null;
  /** Share of the tuning part simulated (from its start); ignored when `whole`. */
  fraction: number;
  /** Simulate the whole span and measure both parts. */
  whole: boolean;
}

export interface TaskResult {
  tuning: TuneMetrics;
  validation: TuneMetrics | null;
}

/** The split of a prepared comparison: the last `validation` share of the span validates. */
export function tunePlan(p: PreparedComparison, validation: number): TunePlan {
  const windowSeconds = p.config.windowSeconds;
  const spanSeconds = p.workload.durationSeconds;
  const tuningSeconds = Math.max(windowSeconds, Math.floor(((1 - validation) * spanSeconds) / windowSeconds) * windowSeconds);
  return { windowSeconds, spanSeconds, tuningSeconds, validationSeconds: Math.max(0, spanSeconds - tuningSeconds) };
}

/** GPU-hours and SLO attainment of a run over [fromSeconds, toSeconds), whole windows. */
export function partMetrics(run: RunOutput, windowSeconds: number, runSeconds: number, fromSeconds: number, toSeconds: number): TuneMetrics {
  const { billed, arrivals, sloMet } = run.windows;
  const last = Math.min(billed.length, Math.ceil(Math.min(toSeconds, runSeconds) / windowSeconds));
  let gpuSeconds = 0;
  let arrived = 0;
  let met = 0;
  for (let w = Math.floor(fromSeconds / windowSeconds); w < last; w++) {
    gpuSeconds += billed[w]! * Math.min(windowSeconds, runSeconds - w * windowSeconds);
    arrived += arrivals[w]!;
    met += sloMet[w]!;
  }
  return { gpuHours: gpuSeconds / 3600, sloAttainment: arrived === 0 ? 1 : met / arrived };
}

/** The settings of a point for the simulator's scaler (undefined: its defaults). */
export function overrideFor(p: PreparedComparison, scaler: TunableScaler, point: TunePoint | null): ScalerOverride | undefined {
  return point === null ? undefined : tuneSpace(scaler).override(point, p.ctx);
}

/** Runs one task. Deterministic: the same prepared comparison and task give the same result. */
export function evaluateTask(p: PreparedComparison, plan: TunePlan, task: TuneTask): TaskResult {
  const runSeconds = task.whole ? plan.spanSeconds : Math.max(plan.windowSeconds, Math.round((task.fraction * plan.tuningSeconds) / plan.windowSeconds) * plan.windowSeconds);
  const override = task.scaler === 'oracle' ? undefined : overrideFor(p, task.scaler, task.point);
  const run = runOne(p, task.scaler, { ...(override ? { override } : {}), durationSeconds: runSeconds });
  const tuning = partMetrics(run, plan.windowSeconds, runSeconds, 0, Math.min(runSeconds, plan.tuningSeconds));
  const validation = task.whole ? partMetrics(run, plan.windowSeconds, runSeconds, plan.tuningSeconds, plan.spanSeconds) : null;
  return { tuning, validation };
}

/** What a task costs in full-length simulations of the tuning part (the unit of `--budget`). */
export function taskCost(plan: TunePlan, task: TuneTask): number {
  return task.whole ? plan.spanSeconds / plan.tuningSeconds : task.fraction;
}
