/**
 * A run of a fixed number of replicas, ready from the start, on a 10 s loop with no
 * scrape lag: what `prescale profile` measures one replica with, and what the tests and
 * benchmarks that need a steady fleet use.
 * @module
 */
import { createScaler } from '@prescale/core';
import type { GpuProfile } from '../gpu/gpuProfile.js';
import type { ArrivalSource } from '../workload/arrivals.js';
import { defaultColdStart } from './coldStart.js';
import type { RunOptions } from './runOptions.js';

export interface FixedRunSettings {
  gpu: GpuProfile;
  arrivals: ArrivalSource;
  seconds: number;
  replicas: number;
  /** Default `fixed`. */
  name?: string;
  /** Default 1. */
  seed?: number;
  /** Default 2026-01-05 (a Monday), UTC. */
  startMs?: number;
  /** Default 10. */
  chartWindows?: number;
  /** Default TTFT ≤ 2 s and TPOT ≤ 100 ms. */
  slo?: RunOptions['slo'];
}

export function fixedRunOptions(o: FixedRunSettings): RunOptions {
  return {
    name: o.name ?? 'fixed',
    arrivals: o.arrivals,
    durationSeconds: o.seconds,
    startMs: o.startMs ?? Date.UTC(2026, 0, 5),
    seed: o.seed ?? 1,
    gpu: o.gpu,
    controller: { kind: 'scaler', scaler: createScaler({ algorithm: 'fixed', replicas: o.replicas }) },
    loopSeconds: 10,
    scrapeLagSeconds: 0,
    initialReplicas: o.replicas,
    coldStart: defaultColdStart(o.gpu.weightBytes),
    router: 'least-request',
    drainGraceSeconds: 60,
    vllmVersion: '0.10',
    windowSeconds: 60,
    need: [],
    chartWindows: o.chartWindows ?? 10,
    slo: o.slo ?? { ttftSeconds: 2, tpotSeconds: 0.1 },
  };
}
