/**
 * What one simulation run measured (engine/simulation.ts, and fleet/fleetSimulation.ts
 * for a fleet), before it is summarised into a scaler's results (evaluate/results.ts);
 * `runOutput` assembles the fields every run has from its outcomes, timeline and counters.
 * @module
 */
import type { LogHistogram } from '../stats/logHistogram.js';
import type { ActivatorStats } from './activator.js';
import type { Replica } from './replica.js';
import type { RequestOutcomes } from './requestOutcomes.js';
import type { Timeline } from './timeline.js';

export interface RunOutput {
  name: string;
  gpuSeconds: number;
  arrived: number;
  completed: number;
  aborted: number;
  sloMet: number;
  preemptions: number;
  ttft: LogHistogram;
  tpot: LogHistogram;
  interToken: LogHistogram;
  e2e: LogHistogram;
  /** Per timeline window: arrivals, requests that met the SLO (by arrival window), mean ready and billed pods, replica-seconds short of the need. */
  windows: { arrivals: Float64Array; sloMet: Float64Array; ready: Float64Array; billed: Float64Array; underReplicaSeconds: Float64Array };
  /** TTFT of the requests arriving in each chart window. */
  ttftByChartWindow: LogHistogram[];
  /** Every change of the ready count: time (s) and the new count. */
  readyChanges: { t: number[]; ready: number[] };
  decisions: number;
  scaleActions: number;
  directionChanges: number;
  maxReady: number;
  maxReplicas: number;
  /** Pods created over the run (including the initial ones). */
  podsCreated: number;
  /** Means over the scrapes of the ready pods: running requests, waiting requests, KV-cache usage. */
  meanRunning: number;
  meanWaiting: number;
  meanKvCacheUsage: number;
  /** Requests that found no ready replica and waited in the activator (activator.ts). */
  activator: ActivatorStats;
  /** Periods with no pod at all (scaled to zero): how many began, and their total length, s. */
  zero: { periods: number; seconds: number };
  /** Pods that started on a warm node of the pool (warmPool.ts). */
  warmStarts: number;
}

/** A run's counters, beside its outcomes and timeline. */
export interface RunCounters {
  name: string;
  gpuSeconds: number;
  arrived: number;
  /** Every pod of the run (for the preemptions). */
  replicas: readonly Replica[];
  decisions: number;
  scaleActions: number;
  directionChanges: number;
  maxActive: number;
  podsCreated: number;
  /** Sums over the gauge samples of the ready pods. */
  gauges: { samples: number; running: number; waiting: number; kv: number };
}

/** The fields every run has (the activator's, scale-to-zero's and the warm pool's are the single-type run's own). */
export function runOutput(c: RunCounters, outcomes: RequestOutcomes, timeline: Timeline): Omit<RunOutput, 'activator' | 'zero' | 'warmStarts'> {
  const n = Math.max(1, c.gauges.samples);
  return {
    name: c.name,
    gpuSeconds: c.gpuSeconds,
    arrived: c.arrived,
    completed: outcomes.completedCount,
    aborted: outcomes.abortedCount,
    sloMet: outcomes.sloMet,
    preemptions: c.replicas.reduce((s, r) => s + r.metrics.preemptions, 0),
    ttft: outcomes.ttft,
    tpot: outcomes.tpot,
    interToken: outcomes.interTokenGaps,
    e2e: outcomes.e2e,
    windows: { arrivals: timeline.arrivals, sloMet: outcomes.sloMetByWindow, ready: timeline.ready, billed: timeline.billed, underReplicaSeconds: timeline.underReplicaSeconds },
    ttftByChartWindow: outcomes.ttftByChartWindow,
    readyChanges: timeline.readyChanges,
    decisions: c.decisions,
    scaleActions: c.scaleActions,
    directionChanges: c.directionChanges,
    maxReady: timeline.maxReady,
    maxReplicas: c.maxActive,
    podsCreated: c.podsCreated,
    meanRunning: c.gauges.running / n,
    meanWaiting: c.gauges.waiting / n,
    meanKvCacheUsage: c.gauges.kv / n,
  };
}
