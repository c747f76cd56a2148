/**
 * `prescale profile`: the sustainable request rate of one replica at the SLO, measured
 * in simulation (AIBrix's offline GPU benchmark, reference aibrix.md §5.1, and the
 * DistServe / Vidur-Search method of reference simulator.md §4.3: binary search on the
 * arrival rate). A rate is sustainable when at least `attainment` of the requests of an
 * hour of steady Poisson load meet TTFT ≤ X and TPOT ≤ Y. The same seed is used at every
 * rate, so attainment falls monotonically enough for the search. The result is the
 * `capacityPerReplica` the predictive scaler and the oracle need, with the running
 * requests and KV-cache usage a replica shows at that rate and at the target
 * utilisation (the default targets of the reactive scalers).
 * @module
 */
import { fixedRunOptions } from '../engine/fixedRun.js';
import { runSimulation } from '../engine/simulation.js';
import type { GpuProfile } from '../gpu/gpuProfile.js';
import { PoissonArrivals } from '../workload/arrivals.js';
import type { LengthDistribution } from '../workload/lengths.js';

export interface CapacityOptions {
  gpu: GpuProfile;
  lengths: LengthDistribution;
  slo: { ttftSeconds: number; tpotSeconds: number };
  /** Share of requests that must meet the SLO. Default 0.99. */
  attainment?: number;
  /** Share of the sustainable rate a scaler should aim for. Default 0.7. */
  targetUtilization?: number;
  /** Simulated seconds per trial. Default 3600. */
  trialSeconds?: number;
  seed?: number;
}

export interface LoadPoint {
  rps: number;
  sloAttainment: number;
  meanRunning: number;
  meanWaiting: number;
  meanKvCacheUsage: number;
  ttftP99Seconds: number | null;
  tpotP99Seconds: number | null;
}

export interface CapacityProfile {
  gpu: string;
  lengths: string;
  slo: { ttftSeconds: number; tpotSeconds: number };
  attainment: number;
  targetUtilization: number;
  /** Sustainable requests per second per replica (the predictive scaler's `capacityPerReplica`). */
  capacityRps: number;
  atCapacity: LoadPoint;
  atTarget: LoadPoint;
  /** Every rate tried, in order. */
  trials: LoadPoint[];
}

/** One replica under steady Poisson load at `rps`. */
export function measureLoad(o: CapacityOptions, rps: number): LoadPoint {
  const seconds = o.trialSeconds ?? 3600;
  const seed = o.seed ?? 1;
  const out = runSimulation(
    fixedRunOptions({
      name: `profile ${rps}`,
      arrivals: new PoissonArrivals(rps, seconds, o.lengths, o.gpu.maxModelLen, seed),
      seconds,
      replicas: 1,
      startMs: 0,
      seed,
      gpu: o.gpu,
      chartWindows: 60,
      slo: o.slo,
    }),
  );
  return {
    rps,
    sloAttainment: out.arrived === 0 ? 1 : out.sloMet / out.arrived,
    meanRunning: out.meanRunning,
    meanWaiting: out.meanWaiting,
    meanKvCacheUsage: out.meanKvCacheUsage,
    ttftP99Seconds: out.ttft.quantile(0.99),
    tpotP99Seconds: out.tpot.quantile(0.99),
  };
}

/** Binary search for the highest rate that keeps `attainment`; to 1 % of the rate. */
export function measureCapacity(o: CapacityOptions): CapacityProfile {
  const attainment = o.attainment ?? 0.99;
  const targetUtilization = o.targetUtilization ?? 0.7;
  const trials: LoadPoint[] = [];
  const trial = (rps: number): LoadPoint => {
    const p = measureLoad(o, rps);
    trials.push(p);
    return p;
  };
  let lo = 0;
  let loPoint: LoadPoint | null = null;
  let hi = 0.25;
  for (;;) {
    const p = trial(hi);
    if (p.sloAttainment < attainment) break;
    lo = hi;
    loPoint = p;
    hi *= 2;
    if (hi > 1e4) break;
  }
  while (hi - lo > 0.01 * hi) {
    const mid = (lo + hi) / 2;
    const p = trial(mid);
    if (p.sloAttainment >= attainment) {
      lo = mid;
      loPoint = p;
    } else hi = mid;
  }
  const capacityRps = lo > 0 ? lo : hi / 2;
  const atCapacity = loPoint ?? trial(capacityRps);
  const atTarget = measureLoad(o, capacityRps * targetUtilization);
  return {
    gpu: o.gpu.name,
    lengths: o.lengths.name,
    slo: o.slo,
    attainment,
    targetUtilization,
    capacityRps,
    atCapacity,
    atTarget,
    trials,
  };
}
