/**
 * What one simulation run measured (engine/simulation.ts), before it is summarised
 * into a scaler's results (evaluate/results.ts).
 * @module
 */
import type { LogHistogram } from '../stats/logHistogram.js';
import type { ActivatorStats } from './activator.js';

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
