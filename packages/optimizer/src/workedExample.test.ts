/**
 * The worked example of reference optimizer.md §3 (3 GPU types × 4 buckets, Mélange's
 * prices), solved with HiGHS: the figures the reference computed by exhaustive search
 * and cross-checked with highs 1.15.3. Tests compare cost and replicas, never the slice
 * assignment (30 assignments reach the optimum).
 */
import { allocationModel, optimizeAllocation, optimizerConfig, type OptimizerConfigInput } from '@prescale/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHighsSolver } from './highsSolver.js';
import { demandOf, WORKED } from './testSupport.js';

let solver: Awaited<ReturnType<typeof createHighsSolver>>;
beforeAll(async () => {
  solver = await createHighsSolver();
});

const demand = demandOf(WORKED.profiles[0]!, WORKED.rates);
const decide = (settings: Omit<OptimizerConfigInput, 'profiles'> = {}, profiles = WORKED.profiles, d = demand) =>
  optimizeAllocation(optimizerConfig({ profiles, ...settings }), { demand: d }, solver);

describe('reference optimizer.md §3, the worked example', () => {
  it('the optimum is 1 L4 + 1 A10G + 1 A100 = $5.38/h, proven, with every bucket covered within capacity', () => {
    const d = decide();
    expect(d.status).toBe('Optimal');
    expect(d.replicas).toEqual({ L4: 1, A10G: 1, A100: 1 });
    expect(d.costPerHour).toBeCloseTo(5.38, 9);
    expect(d.lowerBoundPerHour!).toBeCloseTo(5.38, 6);
    expect(d.uncoveredRps).toBe(0);
    for (const b of d.buckets) expect(b.servedRps.reduce((s, v) => s + v, 0)).toBeCloseTo(b.demandRps, 9);
    for (const t of d.types) expect(t.load).toBeLessThanOrEqual(t.replicas + 1e-7);
    expect(d.message).toMatch(/^1 L4 \+ 1 A10G \+ 1 A100 = \$5\.38\/h for 5\.00 req\/s \(Optimal\)$/);
  });

  it("with Mélange's slices: S = 4 reaches the same optimum, S = 1 and S = 2 only 2 A10G + 1 A100 = $5.69/h", () => {
    const s4 = decide({ slices: 4 });
    expect(s4.replicas).toEqual({ L4: 1, A10G: 1, A100: 1 });
    expect(s4.solver!.formulation).toBe('4 slices per bucket');
    for (const slices of [1, 2]) {
      const d = decide({ slices });
      expect(d.status).toBe('Optimal');
      expect(d.replicas).toEqual({ L4: 0, A10G: 2, A100: 1 });
      expect(d.costPerHour).toBeCloseTo(5.69, 9);
    }
  });

  it('single-type fleets cost what the reference tabulates: L4 13 ($9.10), A10G 7 ($7.07), A100 2 ($7.34)', () => {
    const only = (name: string) => Object.fromEntries(WORKED.profiles.map((p) => [p.gpu, { max: p.gpu === name ? 1000 : 0 }]));
    expect(decide({ bounds: only('L4') }).replicas).toEqual({ L4: 13, A10G: 0, A100: 0 });
    expect(decide({ bounds: only('A10G') }).costPerHour).toBeCloseTo(7.07, 9);
    expect(decide({ bounds: only('A100') }).replicas).toEqual({ L4: 0, A10G: 0, A100: 2 });
  });

  it('the LP relaxation (fractional GPUs) is the lower bound $5.116/h: every bucket on its cheapest type', () => {
    const config = optimizerConfig({ profiles: WORKED.profiles });
    const buckets = [{ o: 0, i: 0, rate: 2 }, { o: 0, i: 1, rate: 1 }, { o: 1, i: 0, rate: 0.5 }, { o: 1, i: 1, rate: 1.5 }];
    const { model } = allocationModel(config, buckets, { kind: 'cost' });
    const relaxed = solver.solve({ ...model, integer: model.integer.map(() => false) }, config.limits);
    expect(relaxed.status).toBe('Optimal');
    const cheapest = 2 * (1.01 / 4.5) + 0.5 * (1.01 / 1.0) + 1 * (1.01 / 1.4) + 1.5 * (3.67 / 1.6);
    expect(relaxed.objective!).toBeCloseTo(cheapest, 9);
    expect(cheapest).toBeCloseTo(5.116, 3);
  });

  it("AIBrix's units (rates × 100, prices ÷ 100, S = 4) give 166 A10G + 94 A100 hundredths, which KPA rounds to $5.69/h", () => {
    const hundredths = WORKED.profiles.map((p) => ({ ...p, cost: p.cost / 100 }));
    const d = decide({ slices: 4 }, hundredths, demandOf(hundredths[0]!, WORKED.rates.map((row) => row.map((r) => r * 100))));
    expect(d.replicas).toEqual({ L4: 0, A10G: 166, A100: 94 });
    const kpa = Math.ceil(166 / 100) * 1.01 + Math.ceil(94 / 100) * 3.67;
    expect(kpa).toBeCloseTo(5.69, 9);
  });

  it('a fleet whose maxima cannot cover the demand covers the most it can, cheapest, and says so', () => {
    const d = decide({ bounds: { L4: { max: 2 }, A10G: { max: 2 }, A100: { max: 0 } } });
    expect(d.status).toBe('PartiallyCovered');
    expect(d.reasons[0]).toBe('DemandAboveMaximum');
    expect(d.replicas).toEqual({ L4: 2, A10G: 2, A100: 0 });
    expect(d.uncoveredRps).toBeGreaterThan(0);
    expect(d.servedRps + d.uncoveredRps).toBeCloseTo(5, 9);
    for (const t of d.types) expect(t.load).toBeLessThanOrEqual(t.replicas + 1e-7);
    expect(d.solver!.solves).toBe(3);
  });
});
