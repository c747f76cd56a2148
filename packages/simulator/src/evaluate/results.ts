/**
 * One scaler's results (reference simulator.md §4.2): cost in GPU-hours and against the
 * oracle, SLO attainment, latency percentiles, under-provisioned replica-minutes
 * (∫ max(0, need − ready) dt over the need curve), stability (scale actions, direction
 * changes) and the reaction time to the largest load step.
 * @module
 */
import type { RunOutput } from '../engine/simulation.js';
import { type Percentiles, percentiles } from '../stats/logHistogram.js';

export interface LoadStep {
  /** Seconds from the start of the simulation. */
  atSeconds: number;
  fromReplicas: number;
  toReplicas: number;
}

export interface ScalerResult {
  scaler: string;
  gpuHours: number;
  /** gpuHours / the oracle's gpuHours (null when the oracle did not run). */
  gpuHoursVsOracle: number | null;
  /** US dollars: GPU-hours × each GPU type's price per hour (`--gpu-cost` or the default); null without a price. */
  costUsd: number | null;
  /** costUsd / the oracle's costUsd (null when either is unknown). */
  costUsdVsOracle: number | null;
  /** Share of arrived requests meeting TTFT ≤ X and TPOT ≤ Y (dropped requests miss). */
  sloAttainment: number;
  ttftSeconds: Percentiles;
  tpotSeconds: Percentiles;
  interTokenSeconds: Percentiles;
  e2eSeconds: Percentiles;
  underProvisionedReplicaMinutes: number;
  scaleActions: number;
  directionChanges: number;
  /**
   * Seconds from the largest load step until the ready replicas met its need; null if
   * they never did within an hour, or if the workload has no load step (then the
   * comparison's `loadStep` is null too).
   */
  reactionTimeSeconds: number | null;
  requests: { arrived: number; completed: number; dropped: number; preemptions: number };
  maxReadyReplicas: number;
  podsCreated: number;
  /**
   * Scale to zero: periods with no pod (and their hours), requests that found no ready
   * replica and waited in the activator (their share of the arrivals; TTFT includes the
   * wait), of those the ones that timed out, the ones rejected by a full queue, and pods
   * started on a warm node.
   */
  zero: { periods: number; hours: number; waited: number; waitedShare: number; timedOut: number; rejected: number; warmStarts: number };
  /** Wall-clock time of the run and simulated requests per wall-clock second. */
  wallSeconds: number;
  requestsPerSecond: number;
}

/**
 * The largest sustained rise of the need curve: where the lowest need of five windows
 * exceeds the highest need of five windows ten to fifteen windows earlier by the most
 * (so a ramp over several minutes counts whole). The step starts at the first window of
 * the ramp whose need is above the earlier level.
 */
export function largestLoadStep(need: ArrayLike<number>, windowSeconds: number): LoadStep | null {
  let best: LoadStep | null = null;
  let bestRise = 0;
  for (let w = 15; w + 5 <= need.length; w++) {
    let before = 0;
    for (let k = w - 15; k < w - 10; k++) before = Math.max(before, need[k]!);
    let after = Infinity;
    for (let k = w; k < w + 5; k++) after = Math.min(after, need[k]!);
    if (after - before > bestRise) {
      bestRise = after - before;
      let start = w - 10;
      while (start < w && need[start]! <= before) start++;
      best = { atSeconds: start * windowSeconds, fromReplicas: before, toReplicas: after };
    }
  }
  return best;
}

/** Seconds from the step until the ready count first reaches its need (null after an hour). */
export function reactionTime(run: Pick<RunOutput, 'readyChanges'>, step: LoadStep, initialReady: number): number | null {
  const { t, ready } = run.readyChanges;
  let current = initialReady;
  for (let i = 0; i < t.length; i++) {
    if (t[i]! > step.atSeconds) break;
    current = ready[i]!;
  }
  if (current >= step.toReplicas) return 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i]! <= step.atSeconds) continue;
    if (t[i]! > step.atSeconds + 3600) return null;
    if (ready[i]! >= step.toReplicas) return t[i]! - step.atSeconds;
  }
  return null;
}

export interface SummaryContext {
  oracleGpuSeconds: number | null;
  step: LoadStep | null;
  initialReady: number;
  wallSeconds: number;
  /** The run's cost, US dollars (null or absent: no price known). */
  costUsd?: number | null;
  oracleCostUsd?: number | null;
}

export function summarize(run: RunOutput, o: SummaryContext): ScalerResult {
  let under = 0;
  for (const v of run.windows.underReplicaSeconds) under += v;
  return {
    scaler: run.name,
    gpuHours: run.gpuSeconds / 3600,
    gpuHoursVsOracle: o.oracleGpuSeconds ? run.gpuSeconds / o.oracleGpuSeconds : null,
    costUsd: o.costUsd ?? null,
    costUsdVsOracle: o.costUsd != null && o.oracleCostUsd ? o.costUsd / o.oracleCostUsd : null,
    sloAttainment: run.arrived === 0 ? 1 : run.sloMet / run.arrived,
    ttftSeconds: percentiles(run.ttft),
    tpotSeconds: percentiles(run.tpot),
    interTokenSeconds: percentiles(run.interToken),
    e2eSeconds: percentiles(run.e2e),
    underProvisionedReplicaMinutes: under / 60,
    scaleActions: run.scaleActions,
    directionChanges: run.directionChanges,
    reactionTimeSeconds: o.step === null ? null : reactionTime(run, o.step, o.initialReady),
    requests: { arrived: run.arrived, completed: run.completed, dropped: run.aborted, preemptions: run.preemptions },
    maxReadyReplicas: run.maxReady,
    podsCreated: run.podsCreated,
    zero: {
      periods: run.zero.periods,
      hours: run.zero.seconds / 3600,
      waited: run.activator.waited,
      waitedShare: run.arrived === 0 ? 0 : run.activator.waited / run.arrived,
      timedOut: run.activator.timedOut,
      rejected: run.activator.rejected,
      warmStarts: run.warmStarts,
    },
    wallSeconds: o.wallSeconds,
    requestsPerSecond: o.wallSeconds > 0 ? run.arrived / o.wallSeconds : 0,
  };
}
