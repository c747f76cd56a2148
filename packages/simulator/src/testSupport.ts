/** Test and benchmark helpers of the simulator (not exported from the package). */
import { createScaler } from '@prescale/core';
import { defaultColdStart } from './engine/coldStart.js';
import type { RunOptions } from './engine/simulation.js';
import type { GpuProfile } from './gpu/gpuProfile.js';
import type { ArrivalSource } from './workload/arrivals.js';

/** fast-check runs per property: at least 1,000; `PRESCALE_FC_RUNS` raises it. */
export const RUNS = Math.max(1000, Number(process.env.PRESCALE_FC_RUNS ?? 0));

/** A run of `replicas` fixed replicas that are ready from the start, 10 s loop, no scrape lag. */
export function fixedRunOptions(o: { gpu: GpuProfile; arrivals: ArrivalSource; seconds: number; replicas: number; seed?: number; startMs?: number }): RunOptions {
  return {
    name: 'fixed',
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
    chartWindows: 10,
    slo: { ttftSeconds: 2, tpotSeconds: 0.1 },
  };
}
