/** The HiGHS adapter against the real WebAssembly solver. */
import { allocationModel, mipModelToLpText, optimizerConfig } from '@prescale/core';
import type { MipModel } from '@prescale/core';
import loadHighs from 'highs';
import { beforeAll, describe, expect, it } from 'vitest';
import { highsSolver } from './highsSolver.js';
import { WORKED } from './testSupport.js';

let highs: Awaited<ReturnType<typeof loadHighs>>;
beforeAll(async () => {
  highs = await loadHighs();
});
const limits = { maxNodes: 100_000, timeLimitSeconds: null, relativeGap: 0 };
const config = optimizerConfig({ profiles: WORKED.profiles, slices: 4 });
const buckets = [{ o: 0, i: 0, rate: 2 }, { o: 0, i: 1, rate: 1 }, { o: 1, i: 0, rate: 0.5 }, { o: 1, i: 1, rate: 1.5 }];
const worked = () => allocationModel(config, buckets, { kind: 'cost' }).model;

describe('highsSolver', () => {
  it('names HiGHS and its version', () => {
    expect(highsSolver(highs).name).toMatch(/^HiGHS 1\.15\.\d+ \(highs-js, WebAssembly\)$/);
  });

  it('solves the model as data to the same optimum as HiGHS reading its LP text', () => {
    const model = worked();
    const direct = highsSolver(highs).solve(model, limits);
    const text = highs.solve(mipModelToLpText(model), { mip_rel_gap: 0, output_flag: false });
    expect(direct.status).toBe('Optimal');
    expect(text.Status).toBe('Optimal');
    expect(direct.objective!).toBeCloseTo(text.ObjectiveValue, 9);
    expect(direct.objective!).toBeCloseTo(5.38, 9);
    expect(direct.gap).toBe(0);
    expect(direct.values).toHaveLength(model.columnNames.length);
  });

  it('gives the same values on every solve (a fresh instance each time, no time limit)', () => {
    const solver = highsSolver(highs);
    const first = solver.solve(worked(), limits);
    for (let k = 0; k < 3; k++) expect(solver.solve(worked(), limits)).toEqual(first);
  });

  it('reports an infeasible model as Infeasible, with no values', () => {
    const m = worked();
    const capped: MipModel = { ...m, upper: m.upper.map((u, j) => (m.columnNames[j]!.startsWith('y_') ? 0 : u)) };
    const s = highsSolver(highs).solve(capped, limits);
    expect(s.status).toBe('Infeasible');
    expect(s.values).toBeNull();
  });

  it('stops at the node limit with the best solution found and its gap', () => {
    // Without a start, the slice model's first node finds only 2 A10G + 1 A100 ($5.69); proving $5.38 takes branching.
    const s = highsSolver(highs).solve({ ...worked(), start: null }, { ...limits, maxNodes: 1 });
    expect(s.status).toBe('NodeLimit');
    expect(s.solverStatus).toBe('solutionLimit');
    expect(s.objective!).toBeGreaterThan(5.38);
    expect(s.gap!).toBeGreaterThan(0);
    expect(s.bound!).toBeLessThanOrEqual(5.38 + 1e-9);
  });

  it('turns a model HiGHS refuses into a Failed solution, never a throw', () => {
    const m = worked();
    const s = highsSolver(highs).solve({ ...m, cost: m.cost.map(() => Number.NaN) }, limits);
    expect(s.status).toBe('Failed');
    expect(s.message).toMatch(/HiGHS/);
  });
});
