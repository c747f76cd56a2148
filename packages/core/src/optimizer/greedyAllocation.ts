/**
 * A quick allocation without a solver: each bucket goes to the type that serves it at
 * the lowest price per request (c_j / T_bj), spilling to the next cheapest when a type
 * reaches its maximum, and each type gets ⌈its load⌉ replicas (at least its minimum).
 * It respects every bound and covers all it can, but wastes the rounded-up remainders
 * the integer program fills. The optimizer hands it to the solver as a starting point,
 * and falls back on it when the solver fails, so a decision always has an answer.
 * @module
 */
import type { DemandBucket } from './allocationModel.js';
import type { OptimizerConfig } from './optimizerConfig.js';

export interface Allocation {
  /** Replicas per type (config order), within bounds. */
  replicas: number[];
  /** Share of bucket b's rate on type j at `b · types + j`. */
  share: Float64Array;
  /** Share of bucket b's rate left uncovered. */
  uncovered: Float64Array;
  /** Load per type: replicas' worth of capacity used. */
  load: Float64Array;
}

export function greedyAllocation(config: OptimizerConfig, buckets: readonly DemandBucket[]): Allocation {
  const types = config.types;
  const G = types.length;
  const share = new Float64Array(buckets.length * G);
  const uncovered = new Float64Array(buckets.length);
  const load = new Float64Array(G);
  const order: number[] = [];
  buckets.forEach((bucket, b) => {
    order.length = 0;
    for (let j = 0; j < G; j++) {
      const t = types[j]!;
      if (t.tputs[bucket.o]![bucket.i]! > 0 && t.maxReplicas > 0) order.push(j);
    }
    const price = (j: number) => types[j]!.costPerHour / types[j]!.tputs[bucket.o]![bucket.i]!;
    order.sort((a, c) => price(a) - price(c) || a - c);
    let remaining = 1;
    for (const j of order) {
      const perShare = bucket.rate / types[j]!.tputs[bucket.o]![bucket.i]!;
      const room = types[j]!.maxReplicas - load[j]!;
      if (room <= 0) continue;
      const take = Math.min(remaining, room / perShare);
      if (!(take > 0)) continue;
      share[b * G + j] = take;
      load[j]! += take * perShare;
      remaining -= take;
      if (remaining <= 1e-12) {
        remaining = 0;
        break;
      }
    }
    uncovered[b] = remaining;
  });
  const replicas = types.map((t, j) => Math.min(t.maxReplicas, Math.max(t.minReplicas, Math.ceil(load[j]! - 1e-9))));
  return { replicas, share, uncovered, load };
}

/** Total uncovered rate of an allocation, requests per second. */
export function uncoveredRps(buckets: readonly DemandBucket[], a: Allocation): number {
  let total = 0;
  buckets.forEach((bucket, b) => {
    total += bucket.rate * a.uncovered[b]!;
  });
  return total;
}
