/** Test helpers of the optimizer package (not exported from the package). */
import { fc } from '@fast-check/vitest';
import { type DemandMix, emptyDemand, type ThroughputProfile } from '@prescale/core';

/** fast-check runs per property: at least 1,000; `PRESCALE_FC_RUNS` raises it. */
export const RUNS = Math.max(1000, Number(process.env.PRESCALE_FC_RUNS ?? 0));

/**
 * Properties here solve thousands of integer programs. The heaviest (two solves per run)
 * took 25 s on the shared 2-core machine, 51 s for one seed at load average 15, and
 * over 180 s with two `yes` beside it: a timeout catches hangs, never slowness.
 */
export const LONG_TEST_TIMEOUT_MS = 600_000;

/** reference optimizer.md §3: the worked example's grid, profiles (L4, A10G, A100 at Mélange's prices) and demand. */
export const WORKED = (() => {
  // Buckets B1 (≤256 in, ≤64 out), B2 (≤256, ≤512), B3 (≤2048, ≤64), B4 (≤2048, ≤512); rows are outputs.
  const indexes: [number[], number[]] = [[64, 512], [256, 2048]];
  const profile = (gpu: string, cost: number, [b1, b2, b3, b4]: number[]): ThroughputProfile => ({ gpu, cost, indexes, tputs: [[b1!, b3!], [b2!, b4!]] });
  const profiles = [profile('L4', 0.7, [3.0, 0.6, 0.8, 0.15]), profile('A10G', 1.01, [4.5, 1.0, 1.4, 0.3]), profile('A100', 3.67, [12, 3.6, 5.0, 1.6])];
  return { profiles, rates: [[2.0, 1.0], [0.5, 1.5]] };
})();

/** A demand mix with these rates (req/s, [output][input]) on the profiles' grid. */
export function demandOf(profile: ThroughputProfile, rates: number[][]): DemandMix {
  const mix = emptyDemand({ inputTicks: profile.indexes[1], outputTicks: profile.indexes[0] }, 1);
  mix.rates = rates.map((row) => [...row]);
  mix.totalRps = rates.flat().reduce((s, r) => s + r, 0);
  return mix;
}

export interface Instance {
  profiles: ThroughputProfile[];
  rates: number[][];
  bounds: Record<string, { min: number; max: number }>;
}

/**
 * A random fleet (1–5 types) on a random grid (1–4 × 1–4 buckets): tputs 0.1–50 req/s
 * or 0 (cannot serve), prices 0.30–10 $/h, demand 0.01–40 req/s or none per bucket,
 * bounds that sometimes cannot cover the demand.
 */
export const instanceArb: fc.Arbitrary<Instance> = fc
  .record({ types: fc.integer({ min: 1, max: 5 }), rows: fc.integer({ min: 1, max: 4 }), cols: fc.integer({ min: 1, max: 4 }) })
  .chain(({ types, rows, cols }) => {
    const cell = <T>(arb: fc.Arbitrary<T>) => fc.array(fc.array(arb, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows });
    const tput = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 6, arbitrary: fc.integer({ min: 1, max: 500 }).map((k) => k / 10) });
    const rate = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: fc.integer({ min: 1, max: 4000 }).map((k) => k / 100) });
    const bound = fc.oneof(
      { weight: 3, arbitrary: fc.constant({ min: 0, max: 1000 }) },
      { weight: 2, arbitrary: fc.record({ min: fc.integer({ min: 0, max: 2 }), extra: fc.integer({ min: 0, max: 30 }) }).map(({ min, extra }) => ({ min, max: min + extra })) },
    );
    return fc.record({
      specs: fc.array(fc.record({ cost: fc.integer({ min: 30, max: 1000 }).map((c) => c / 100), tputs: cell(tput), bound }), { minLength: types, maxLength: types }),
      rates: cell(rate),
    }).map(({ specs, rates }) => {
      const indexes: [number[], number[]] = [Array.from({ length: rows }, (_, k) => 2 ** (3 + 2 * k)), Array.from({ length: cols }, (_, k) => 2 ** (4 + 2 * k))];
      const profiles = specs.map((s, j) => ({ gpu: `gpu${j}`, cost: s.cost, indexes, tputs: s.tputs }));
      const bounds: Record<string, { min: number; max: number }> = {};
      specs.forEach((s, j) => (bounds[`gpu${j}`] = s.bound));
      return { profiles, rates, bounds };
    });
  });
