/**
 * Invariants of the optimizer with the real solver, on random fleets, grids, demands
 * and bounds (testSupport.instanceArb): bounds respected, capacity never exceeded,
 * every bucket covered unless the maxima cannot, never dearer than a single-type fleet
 * that covers the demand, never below the fractional lower bound, and the same answer
 * on every solve.
 */
import { fc, test } from '@fast-check/vitest';
import { type AllocationDecision, greedyAllocation, optimizeAllocation, optimizerConfig } from '@prescale/core';
import { beforeAll, describe, expect } from 'vitest';
import { createHighsSolver } from './highsSolver.js';
import { demandOf, type Instance, instanceArb, LONG_TEST_TIMEOUT_MS, RUNS } from './testSupport.js';

let solver: Awaited<ReturnType<typeof createHighsSolver>>;
beforeAll(async () => {
  solver = await createHighsSolver();
});

function solve(x: Instance): { d: AllocationDecision; config: ReturnType<typeof optimizerConfig> } {
  const config = optimizerConfig({ profiles: x.profiles, bounds: x.bounds });
  return { d: optimizeAllocation(config, { demand: demandOf(x.profiles[0]!, x.rates) }, solver), config };
}

/** The demanded buckets, as the optimizer indexes them. */
function demanded(x: Instance) {
  return x.rates.flatMap((row, o) => row.flatMap((rate, i) => (rate > 0 ? [{ o, i, rate }] : [])));
}

describe('the optimizer with HiGHS', () => {
  test.prop([instanceArb], { numRuns: RUNS })(
    'respects bounds and capacity, covers every bucket unless the maxima cannot, and decides the same every time',
    (x) => {
      const { d, config } = solve(x);
      d.types.forEach((t, j) => {
        expect(Number.isInteger(t.replicas)).toBe(true);
        expect(t.replicas).toBeGreaterThanOrEqual(config.types[j]!.minReplicas);
        expect(t.replicas).toBeLessThanOrEqual(config.types[j]!.maxReplicas);
        expect(t.load).toBeLessThanOrEqual(t.replicas + 1e-6);
      });
      for (const b of d.buckets) expect(b.servedRps.reduce((s, v) => s + v, 0) + b.uncoveredRps).toBeCloseTo(b.demandRps, 6);
      // Independent evidence of feasibility: the greedy allocation within the maxima.
      const servable = demanded(x).filter((b) => config.types.some((t) => t.tputs[b.o]![b.i]! > 0 && t.maxReplicas > 0));
      const greedy = greedyAllocation(config, servable);
      const greedyUncovered = servable.reduce((s, b, k) => s + b.rate * greedy.uncovered[k]!, 0);
      const unservable = demanded(x).filter((b) => !servable.includes(b)).reduce((s, b) => s + b.rate, 0);
      // Within the solver's tolerance (1e-7 on scaled rows) of the demand.
      expect(d.uncoveredRps).toBeLessThanOrEqual(greedyUncovered + unservable + 1e-6 * Math.max(1, d.demandRps));
      if (greedyUncovered === 0 && unservable === 0 && servable.length > 0) {
        expect(d.status).toBe('Optimal');
        expect(d.uncoveredRps).toBe(0);
      }
      if (d.uncoveredRps > 0) expect(d.status).toBe('PartiallyCovered');
      expect(d.reasons.length).toBeGreaterThan(0);
      expect(solve(x).d).toEqual(d);
    },
    LONG_TEST_TIMEOUT_MS,
  );

  test.prop([instanceArb, fc.constantFrom(0, 0.1, 0.25)], {
    numRuns: RUNS,
    // Found by this property: a type held at its maximum carried 1.0000654 replicas of load.
    examples: [[{"profiles":[{"gpu":"gpu0","cost":0.3,"indexes":[[8,32,128,512],[16,64,256]],"tputs":[[0.1,0.1,0.1],[0.1,0.1,0.1],[0,0,0.1],[0.1,0.1,0]]},{"gpu":"gpu1","cost":0.3,"indexes":[[8,32,128,512],[16,64,256]],"tputs":[[0.1,0.1,0.1],[0.1,0.1,0.1],[2.6,0,0.1],[21.3,36.9,0]]},{"gpu":"gpu2","cost":0.3,"indexes":[[8,32,128,512],[16,64,256]],"tputs":[[0.1,0.1,0.1],[0.1,0.1,0.1],[0.1,0.1,0],[0.1,0.1,0.2]]},{"gpu":"gpu3","cost":0.3,"indexes":[[8,32,128,512],[16,64,256]],"tputs":[[0.1,0.1,0.1],[0.1,0.1,0.1],[0,0,0.1],[7.8,0,0.1]]}],"rates":[[0.01,0,0],[0.01,0.01,0.01],[24.29,4.42,2.27],[32.62,22.1,8.85]],"bounds":{"gpu0":{"min":0,"max":1000},"gpu1":{"min":1,"max":12},"gpu2":{"min":0,"max":1},"gpu3":{"min":0,"max":0}}}, 0]],
  })(
    'serves demand only on types that meet the SLO on its bucket, within their replicas (headroom included): whole, non-negative GPUs, a finite cost',
    (x, headroom) => {
      const config = optimizerConfig({ profiles: x.profiles, bounds: x.bounds, headroom });
      const d = optimizeAllocation(config, { demand: demandOf(x.profiles[0]!, x.rates) }, solver);
      // The capacity each type needs, recomputed from the buckets alone (not the decision's own load).
      const needed = config.types.map(() => 0);
      for (const b of d.buckets) {
        const o = config.outputTicks.indexOf(b.output);
        const i = config.inputTicks.indexOf(b.input);
        b.servedRps.forEach((rps, j) => {
          expect(rps).toBeGreaterThanOrEqual(0);
          if (rps === 0) return;
          const tput = config.types[j]!.tputs[o]![i]!;
          expect(tput, `bucket ${b.input}/${b.output} on ${config.types[j]!.name}`).toBeGreaterThan(0);
          needed[j]! += (rps * (1 + headroom)) / tput;
        });
        expect(b.uncoveredRps).toBeGreaterThanOrEqual(0);
      }
      d.types.forEach((t, j) => {
        expect(Number.isSafeInteger(t.replicas) && t.replicas >= 0).toBe(true);
        expect(needed[j]!).toBeLessThanOrEqual(t.replicas + 1e-6);
      });
      expect(Number.isFinite(d.costPerHour) && d.costPerHour >= 0).toBe(true);
      expect(d.servedRps + d.uncoveredRps).toBeCloseTo(d.demandRps, 6);
    },
    LONG_TEST_TIMEOUT_MS,
  );

  test.prop([instanceArb], { numRuns: RUNS })(
    'costs no more than any single-type fleet that covers the demand, and no less than every bucket on its cheapest type',
    (x) => {
      const { d, config } = solve(x);
      fc.pre(d.status === 'Optimal' && d.uncoveredRps === 0);
      const buckets = demanded(x);
      const atMinimum = config.types.reduce((s, t) => s + t.costPerHour * t.minReplicas, 0);
      config.types.forEach((t, j) => {
        if (!buckets.every((b) => t.tputs[b.o]![b.i]! > 0)) return;
        const replicas = Math.max(t.minReplicas, Math.ceil(buckets.reduce((s, b) => s + b.rate / t.tputs[b.o]![b.i]!, 0) - 1e-9));
        if (replicas > t.maxReplicas) return;
        const single = atMinimum - t.costPerHour * t.minReplicas + t.costPerHour * replicas;
        expect(d.costPerHour, `vs ${config.types[j]!.name} alone`).toBeLessThanOrEqual(single + 1e-9);
      });
      const fractional = buckets.reduce((s, b) => {
        const prices = config.types.filter((t) => t.tputs[b.o]![b.i]! > 0 && t.maxReplicas > 0).map((t) => t.costPerHour / t.tputs[b.o]![b.i]!);
        return s + b.rate * Math.min(...prices);
      }, 0);
      expect(d.costPerHour).toBeGreaterThanOrEqual(fractional - 1e-6);
    },
    LONG_TEST_TIMEOUT_MS,
  );
});
