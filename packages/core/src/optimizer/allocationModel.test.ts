import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RUNS } from '../testSupport.js';
import { allocationModel, type DemandBucket } from './allocationModel.js';
import { greedyAllocation } from './greedyAllocation.js';
import { mipModelToLpText } from './mipModel.js';
import { optimizerConfig } from './optimizerConfig.js';
import { WORKED_INDEXES, WORKED_PROFILES } from './testSupport.js';

const BUCKETS: DemandBucket[] = [{ o: 0, i: 0, rate: 2 }, { o: 0, i: 1, rate: 1 }, { o: 1, i: 0, rate: 0.5 }, { o: 1, i: 1, rate: 1.5 }];

describe('the Mélange model', () => {
  it('has one y per type, one x per (bucket, type) that can serve it, a row per type and per bucket, and the GPU floor', () => {
    const { model, layout } = allocationModel(optimizerConfig({ profiles: WORKED_PROFILES }), BUCKETS, { kind: 'cost' });
    expect(model.columnNames).toHaveLength(3 + 4 * 3);
    expect(model.integer.filter(Boolean)).toHaveLength(3);
    expect(model.rowNames).toEqual(['cap_0', 'cap_1', 'cap_2', 'one_0', 'one_1', 'one_2', 'one_3', 'gpus']);
    // Σ_b r_b / max_j T_bj = 2/12 + 1/5 + 0.5/3.6 + 1.5/1.6 = 1.443 → at least 2 replicas in all.
    expect(model.rowLower[7]).toBe(2);
    // x for bucket B4 (o 1, i 1) on the A100: 1.5 / 1.6 of a replica when it takes all of it.
    const col = layout.x[3 * 3 + 2]!;
    expect(model.values[model.starts[col]!]).toBeCloseTo(1.5 / 1.6, 15);
  });

  it('gives a type no x where it cannot serve a bucket or has no replicas to give', () => {
    const profiles = WORKED_PROFILES.map((p) => (p.gpu === 'L4' ? { ...p, tputs: [[0, 0.8], [0.6, 0.15]] } : p));
    const { layout } = allocationModel(optimizerConfig({ profiles, bounds: { A100: { max: 0 } } }), BUCKETS, { kind: 'cost' });
    expect(layout.x[0 * 3 + 0]).toBe(-1); // L4 on B1
    for (let b = 0; b < 4; b++) expect(layout.x[b * 3 + 2]).toBe(-1); // the A100 nowhere
  });

  it('with S slices cuts each bucket into S binary slices of r/S', () => {
    const { model } = allocationModel(optimizerConfig({ profiles: WORKED_PROFILES, slices: 4 }), BUCKETS, { kind: 'cost' });
    expect(model.columnNames).toHaveLength(3 + 16 * 3);
    expect(model.integer.filter(Boolean)).toHaveLength(3 + 48);
    expect(model.rowNames.filter((n) => n.startsWith('one_'))).toHaveLength(16);
  });

  it('the coverage form fixes every type at its maximum and prices the uncovered rate', () => {
    const config = optimizerConfig({ profiles: WORKED_PROFILES, bounds: { L4: { max: 2 }, A10G: { max: 2 }, A100: { max: 0 } } });
    const { model, layout } = allocationModel(config, BUCKETS, { kind: 'coverage' });
    expect(model.lower.slice(0, 3)).toEqual([2, 2, 0]);
    expect(model.upper.slice(0, 3)).toEqual([2, 2, 0]);
    expect(model.cost[layout.u[3]!]).toBe(1.5);
    const cheapest = allocationModel(config, BUCKETS, { kind: 'cheapestCoverage', maxUncoveredRps: 1 }).model;
    expect(cheapest.rowNames.at(-1)).toBe('uncovered');
    expect(cheapest.rowUpper.at(-1)).toBe(1);
  });

  it('writes CPLEX LP text with every row, the bounds and the integer columns', () => {
    const text = mipModelToLpText(allocationModel(optimizerConfig({ profiles: WORKED_PROFILES }), BUCKETS, { kind: 'cost' }).model);
    expect(text.split('\n').slice(0, 3)).toEqual(['Minimize', ' obj: 0.7 y_0 + 1.01 y_1 + 3.67 y_2', 'Subject To']);
    expect(text).toContain(' one_3: x_3_0 + x_3_1 + x_3_2 = 1');
    expect(text).toContain(' gpus: y_0 + y_1 + y_2 >= 2');
    expect(text).toContain('Generals\n y_0 y_1 y_2\nEnd');
  });

  const instance = fc.record({
    tputs: fc.array(fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.05, max: 50, noNaN: true })), { minLength: 4, maxLength: 4 }), { minLength: 3, maxLength: 3 }),
    rates: fc.array(fc.double({ min: 0.001, max: 50, noNaN: true }), { minLength: 4, maxLength: 4 }),
    max: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 3, maxLength: 3 }),
  });
  test.prop([instance], { numRuns: RUNS })('the greedy allocation is a point of the model: every row and bound holds', ({ tputs, rates, max }) => {
    const profiles = WORKED_PROFILES.map((p, j) => ({ ...p, tputs: [[tputs[j]![0]!, tputs[j]![1]!], [tputs[j]![2]!, tputs[j]![3]!]] }));
    const config = optimizerConfig({ profiles, bounds: Object.fromEntries(profiles.map((p, j) => [p.gpu, { max: max[j]! }])) });
    const buckets = BUCKETS.map((b, k) => ({ ...b, rate: rates[k]! })).filter((b) => config.types.some((t) => t.tputs[b.o]![b.i]! > 0 && t.maxReplicas > 0));
    const g = greedyAllocation(config, buckets);
    const { model, layout } = allocationModel(config, buckets, { kind: 'coverage' });
    const point = model.columnNames.map(() => 0);
    config.types.forEach((t, j) => (point[j] = t.maxReplicas));
    buckets.forEach((_, b) => {
      for (let j = 0; j < 3; j++) if (layout.x[b * 3 + j]! >= 0) point[layout.x[b * 3 + j]!] = g.share[b * 3 + j]!;
      point[layout.u[b]!] = g.uncovered[b]!;
    });
    const activity = model.rowNames.map(() => 0);
    for (let c = 0; c < point.length; c++) {
      expect(point[c]!).toBeGreaterThanOrEqual(model.lower[c]! - 1e-12);
      expect(point[c]!).toBeLessThanOrEqual(model.upper[c]! + 1e-12);
      for (let k = model.starts[c]!; k < model.starts[c + 1]!; k++) activity[model.indices[k]!]! += model.values[k]! * point[c]!;
    }
    activity.forEach((a, r) => {
      expect(a).toBeGreaterThanOrEqual(model.rowLower[r]! - 1e-9);
      expect(a).toBeLessThanOrEqual(model.rowUpper[r]! + 1e-9);
    });
    g.replicas.forEach((n, j) => {
      expect(n).toBeLessThanOrEqual(config.types[j]!.maxReplicas);
      expect(n).toBeGreaterThanOrEqual(Math.ceil(g.load[j]! - 1e-9));
    });
  });
});

describe('optimizerConfig', () => {
  it('refuses fleets it cannot optimise, naming the field', () => {
    const other = { ...WORKED_PROFILES[1]!, indexes: [[64, 512], [256, 4096]] as [number[], number[]] };
    expect(() => optimizerConfig({ profiles: [] })).toThrowError(/config\.profiles/);
    expect(() => optimizerConfig({ profiles: [WORKED_PROFILES[0]!, other] })).toThrowError(/config\.profiles\[1\]\.indexes .*token ticks/);
    expect(() => optimizerConfig({ profiles: [WORKED_PROFILES[0]!, WORKED_PROFILES[0]!] })).toThrowError(/twice/);
    expect(() => optimizerConfig({ profiles: WORKED_PROFILES, bounds: { H100: { max: 1 } } })).toThrowError(/config\.bounds\.H100 .*names no GPU type/);
    expect(() => optimizerConfig({ profiles: WORKED_PROFILES, bounds: { L4: { min: 3, max: 2 } } })).toThrowError(/config\.bounds\.L4\.min/);
    expect(() => optimizerConfig({ profiles: WORKED_PROFILES, bounds: { L4: { min: 1.5 } } })).toThrowError(/integer/);
    expect(() => optimizerConfig({ profiles: WORKED_PROFILES, costs: { L4: -1 } })).toThrowError(/config\.costs\.L4/);
    expect(() => optimizerConfig({ profiles: WORKED_PROFILES, slices: 0 })).toThrowError(/config\.slices/);
    expect(() => optimizerConfig({ profiles: WORKED_PROFILES, timeLimitSeconds: 0 })).toThrowError(/timeLimitSeconds/);
    expect(() => optimizerConfig({ profiles: WORKED_PROFILES, headroom: -0.1 })).toThrowError(/headroom/);
    expect(() => optimizerConfig({ profiles: WORKED_PROFILES, slice: 4 } as never)).toThrowError(/config\.slice .*not a known setting/);
  });

  it('takes prices from the profiles unless overridden, and bounds 0 to 1000 by default', () => {
    const c = optimizerConfig({ profiles: WORKED_PROFILES, costs: { A100: 2.79 } });
    expect(c.types.map((t) => [t.name, t.costPerHour, t.minReplicas, t.maxReplicas])).toEqual([
      ['L4', 0.7, 0, 1000],
      ['A10G', 1.01, 0, 1000],
      ['A100', 2.79, 0, 1000],
    ]);
    expect(c.inputTicks).toEqual(WORKED_INDEXES[1]);
  });
});
