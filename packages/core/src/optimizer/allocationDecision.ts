/**
 * What the optimizer decides and why, in the spirit of the scalers' decisions
 * (decision.ts): the replicas per GPU type, a status and reason codes, a one-line
 * message, and the intermediate values: each type's price, bounds, the capacity it
 * uses and the demand it serves; each bucket's demand and where it went; the
 * objective, the proven lower bound and gap; the solver's own status.
 * @module
 */
import type { DemandBucket, ModelLayout } from './allocationModel.js';
import type { Allocation } from './greedyAllocation.js';
import type { MipStatus } from './mipModel.js';
import type { OptimizerConfig } from './optimizerConfig.js';

/**
 * - `Optimal`: every bucket that can be served is covered at the least cost, proven.
 * - `Feasible`: covered, but the solve stopped at a limit; `gap` says how far from proven.
 * - `PartiallyCovered`: the bounds (or the profiles) cannot cover all the demand; the allocation covers the most it can, at the least cost.
 * - `NoDemand`: nothing to serve; every type at its minimum.
 * - `InvalidDemand`: the demand mix was unusable; the current replicas are held (within bounds).
 * - `SolverFailed`: the solver failed; the allocation is the greedy one (cheapest type per bucket).
 */
export type AllocationStatus = 'Optimal' | 'Feasible' | 'PartiallyCovered' | 'NoDemand' | 'InvalidDemand' | 'SolverFailed';

/**
 * - `Optimal`: the solver proved the allocation optimal.
 * - `SolveLimit`: the solver stopped at its node or time limit with this allocation.
 * - `DemandAboveMaximum`: covering the demand needs more replicas than the maxima allow.
 * - `BucketNotServable`: some demand falls in a bucket no GPU type of the fleet can serve under the SLO.
 * - `SlicesTooCoarse`: no allocation of whole slices fits the maxima; the rates were split freely instead.
 * - `NoDemand`, `InvalidDemand`, `SolverFailed`: as the statuses.
 * - `PredictedAboveObserved` / `ObservedAtLeastPredicted` / `NoForecast`: optimised for the forecast, or why not (forecastDemand.ts).
 */
export type AllocationReason =
  | 'Optimal'
  | 'SolveLimit'
  | 'DemandAboveMaximum'
  | 'BucketNotServable'
  | 'SlicesTooCoarse'
  | 'NoDemand'
  | 'InvalidDemand'
  | 'SolverFailed'
  | 'PredictedAboveObserved'
  | 'ObservedAtLeastPredicted'
  | 'NoForecast';

export interface TypeAllocation {
  name: string;
  replicas: number;
  minReplicas: number;
  maxReplicas: number;
  costPerHour: number;
  /** Replicas' worth of capacity the demand placed on this type uses (headroom included). */
  load: number;
  /** load / replicas (0 without replicas). */
  utilization: number;
  /** Requests per second of demand placed on this type. */
  servedRps: number;
}

export interface BucketAllocation {
  input: number;
  output: number;
  demandRps: number;
  /** Requests per second served by each type, in the fleet's order. */
  servedRps: number[];
  uncoveredRps: number;
}

export interface SolverDetail {
  name: string;
  status: MipStatus;
  /** The solver's own words, e.g. HiGHS's `Optimal` or `Time limit reached`. */
  solverStatus: string;
  nodes: number | null;
  /** `split freely` or `S slices per bucket`. */
  formulation: string;
  columns: number;
  rows: number;
  /** Solves run for this decision (2 more when the demand is above the maxima). */
  solves: number;
  message: string | null;
}

export interface AllocationDecision {
  /** Replicas per GPU type: integers within each type's bounds. */
  replicas: Record<string, number>;
  /** False when the demand was unusable and the current replicas are held. */
  valid: boolean;
  status: AllocationStatus;
  /** Most important first; never empty. */
  reasons: AllocationReason[];
  message: string;
  /** Σ price · replicas, US dollars per hour. */
  costPerHour: number;
  /** The best proven lower bound on the cost of covering the demand, if the solver gave one. */
  lowerBoundPerHour: number | null;
  /** (cost − lower bound) / cost, if known. */
  gap: number | null;
  demandRps: number;
  servedRps: number;
  uncoveredRps: number;
  types: TypeAllocation[];
  /** The buckets with demand, in grid order (output-major). */
  buckets: BucketAllocation[];
  solver: SolverDetail | null;
  /** The forecast the demand was scaled to, when optimised for one (forecastDemand.ts). */
  forecast?: { rps: number; observedRps: number; targetMs: number | null; reason: string | null };
}

/** Reads an allocation from a solution of the model `layout` describes. */
export function readSolution(config: OptimizerConfig, layout: ModelLayout, values: readonly number[]): Allocation {
  const G = layout.types;
  const S = layout.slices;
  const buckets = layout.buckets;
  const share = new Float64Array(buckets.length * G);
  const uncovered = new Float64Array(buckets.length);
  const load = new Float64Array(G);
  buckets.forEach((bucket, b) => {
    let covered = 0;
    for (let s = 0; s < S; s++) {
      for (let j = 0; j < G; j++) {
        const col = layout.x[(b * S + s) * G + j]!;
        if (col < 0) continue;
        const v = Math.min(1, Math.max(0, values[col]!)) / S;
        share[b * G + j]! += v;
        covered += v;
      }
    }
    // The solver meets Σ x + u = 1 within its tolerance (1e-7); shares are renormalised so served + uncovered is the demand exactly.
    let left = layout.u[b]! >= 0 ? Math.min(1, Math.max(0, values[layout.u[b]!]!)) : 0;
    if (left < 1e-9) left = 0;
    const sum = covered + left;
    if (sum > 0) {
      for (let j = 0; j < G; j++) share[b * G + j]! /= sum;
      left /= sum;
    } else left = 1;
    uncovered[b] = left;
    for (let j = 0; j < G; j++) {
      if (share[b * G + j]! > 0) load[j]! += (bucket.rate / config.types[j]!.tputs[bucket.o]![bucket.i]!) * share[b * G + j]!;
    }
  });
  const replicas = config.types.map((t, j) => {
    const wanted = Math.max(Math.round(values[j]!), Math.ceil(load[j]! - 1e-6));
    return Math.min(t.maxReplicas, Math.max(t.minReplicas, wanted));
  });
  // A type held at its maximum can carry a load above it beyond the 1e-6 allowed above (the
  // solver's tolerance on scaled rows, then the renormalisation): that excess is uncovered,
  // never served past capacity.
  replicas.forEach((n, j) => {
    if (!(load[j]! > n + 1e-6)) return;
    const keep = n / load[j]!;
    buckets.forEach((_, b) => {
      const moved = share[b * G + j]! * (1 - keep);
      share[b * G + j]! -= moved;
      uncovered[b]! += moved;
    });
    load[j] = n;
  });
  return { replicas, share, uncovered, load };
}

export interface DecisionParts {
  status: AllocationStatus;
  reasons: AllocationReason[];
  valid: boolean;
  lowerBoundPerHour: number | null;
  gap: number | null;
  solver: SolverDetail | null;
}

/**
 * The decision for an allocation. `buckets` carry the rates covered (headroom included);
 * `unservable` are the buckets with demand no type can serve (raw demand, all uncovered).
 */
export function allocationDecision(
  config: OptimizerConfig,
  buckets: readonly DemandBucket[],
  unservable: readonly DemandBucket[],
  a: Allocation,
  parts: DecisionParts,
): AllocationDecision {
  const G = config.types.length;
  const inflate = 1 + config.headroom;
  const servedRps = new Float64Array(G);
  const rows: BucketAllocation[] = [];
  let demand = 0;
  let uncovered = 0;
  const entries = [...buckets.map((bucket, b) => ({ bucket, b })), ...unservable.map((bucket) => ({ bucket, b: -1 }))];
  entries.sort((x, y) => x.bucket.o - y.bucket.o || x.bucket.i - y.bucket.i);
  for (const { bucket, b } of entries) {
    const raw = b >= 0 ? bucket.rate / inflate : bucket.rate;
    const served = config.types.map((_, j) => (b >= 0 ? raw * a.share[b * G + j]! : 0));
    served.forEach((v, j) => (servedRps[j]! += v));
    const left = b >= 0 ? raw * a.uncovered[b]! : raw;
    demand += raw;
    uncovered += left;
    rows.push({ input: config.inputTicks[bucket.i]!, output: config.outputTicks[bucket.o]!, demandRps: raw, servedRps: served, uncoveredRps: left });
  }
  const types: TypeAllocation[] = config.types.map((t, j) => ({
    name: t.name,
    replicas: a.replicas[j]!,
    minReplicas: t.minReplicas,
    maxReplicas: t.maxReplicas,
    costPerHour: t.costPerHour,
    load: a.load[j]!,
    utilization: a.replicas[j]! > 0 ? a.load[j]! / a.replicas[j]! : 0,
    servedRps: servedRps[j]!,
  }));
  const costPerHour = types.reduce((s, t) => s + t.costPerHour * t.replicas, 0);
  const replicas: Record<string, number> = {};
  for (const t of types) replicas[t.name] = t.replicas;
  const mix = types.filter((t) => t.replicas > 0).map((t) => `${t.replicas} ${t.name}`);
  const gapText = parts.gap !== null && parts.gap > 0 ? `, within ${(100 * parts.gap).toFixed(2)} % of the bound` : '';
  const uncoveredText = uncovered > 0 ? `; ${uncovered.toPrecision(3)} req/s uncovered` : '';
  const message = `${mix.length > 0 ? mix.join(' + ') : 'no replicas'} = $${costPerHour.toFixed(2)}/h for ${demand.toPrecision(3)} req/s (${parts.reasons.join(', ')}${gapText}${uncoveredText})`;
  return {
    replicas,
    valid: parts.valid,
    status: parts.status,
    reasons: parts.reasons,
    message,
    costPerHour,
    lowerBoundPerHour: parts.lowerBoundPerHour,
    gap: parts.gap,
    demandRps: demand,
    servedRps: demand - uncovered,
    uncoveredRps: uncovered,
    types,
    buckets: rows,
    solver: parts.solver,
  };
}
