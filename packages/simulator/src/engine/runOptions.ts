/**
 * What one simulation run takes: the workload's arrivals, the fleet (GPU, cold start,
 * routing, drain grace), what decides the replica count and how it sees the pods, and
 * what the run measures (timeline windows, the need curve, the SLO).
 * @module
 */
import type { Scaler, ScalerState } from '@prescale/core';
import type { GpuProfile } from '../gpu/gpuProfile.js';
import type { ArrivalSource } from '../workload/arrivals.js';
import type { ActivatorOptions, ACTIVATOR_DEFAULTS } from './activator.js';
import type { ColdStartModel } from './coldStart.js';
import type { VllmVersion } from './vllmMetrics.js';
import type { WarmPool } from './warmPool.js';

export type RouterName = 'least-request' | 'round-robin';
export const ROUTERS: readonly RouterName[] = ['least-request', 'round-robin'];

/** What decides the replica count. */
export type Controller =
  | { kind: 'scaler'; scaler: Scaler; /** A state to start from (a scaler that took warm-up history); default `scaler.init`. */ state?: ScalerState }
  | { kind: 'schedule'; /** Replicas wanted in each timeline window. */ replicas: ArrayLike<number> };

export interface RunOptions {
  name: string;
  arrivals: ArrivalSource;
  /** Simulated time, s. */
  durationSeconds: number;
  /** Epoch ms of simulated time 0 (what the scaler's clock reads). */
  startMs: number;
  seed: number;
  gpu: GpuProfile;
  controller: Controller;
  /** The controller's loop period, s. */
  loopSeconds: number;
  /** Age of the metrics a decision reads, s (scrape at t − lag for a decision at t). */
  scrapeLagSeconds: number;
  initialReplicas: number;
  coldStart: ColdStartModel;
  router: RouterName;
  /** How long a draining pod may finish its requests before it is killed, s. */
  drainGraceSeconds: number;
  vllmVersion: VllmVersion;
  /** Timeline window, s (need curve, under-provisioning, charts). */
  windowSeconds: number;
  /** Replicas needed in each window (for under-provisioned replica-minutes); empty: not measured. */
  need: ArrayLike<number>;
  /** Windows per point of the TTFT-over-time chart. */
  chartWindows: number;
  slo: { ttftSeconds: number; tpotSeconds: number };
  /** Where requests wait while no replica is ready; default {@link ACTIVATOR_DEFAULTS}. */
  activator?: ActivatorOptions;
  /**
   * With no replica ready, the activator's waiting requests are reported to the scaler
   * as the revision-wide value of this metric (`observation.external`), as Knative's
   * activator reports its queue; absent: not reported, and a scaler at zero sees no load.
   */
  activatorMetric?: string;
  /** Warm nodes a new pod may start on (shared by the runs that share the object). */
  warmPool?: WarmPool;
  /** Called now and then with the share of simulated time done. */
  onProgress?: (fraction: number) => void;
}
