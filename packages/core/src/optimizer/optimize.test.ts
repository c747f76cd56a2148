/**
 * How the optimizer turns every solver outcome into an answer, with scripted solvers
 * (the real solver's results are tested in @prescale/optimizer).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { anyDouble, RUNS } from '../testSupport.js';
import type { MipModel } from './mipModel.js';
import { optimizeAllocation } from './optimize.js';
import { optimizerConfig } from './optimizerConfig.js';
import { noSolution, scriptedSolver, WORKED_PROFILES, workedDemand } from './testSupport.js';

const config = optimizerConfig({ profiles: WORKED_PROFILES, bounds: { L4: { min: 1, max: 20 }, A10G: { max: 20 }, A100: { max: 5 } } });
// Each bucket on its cheapest type (B1–B3 A10G: 0.444 + 0.5 + 0.714 = 1.66 → 2; B4 A100: 0.94 → 1), L4 at its minimum.
const GREEDY = { L4: 1, A10G: 2, A100: 1 };
/** The model's own start (the greedy point) returned as the solution. */
const fromStart = (status: 'NodeLimit' | 'TimeLimit', gap: number) => (m: MipModel) => ({
  status, solverStatus: status, values: m.start, objective: 5.39, bound: 5.39 * (1 - gap), gap, nodes: 7, message: null,
});

describe('the optimizer always answers', () => {
  it('no demand: every type at its minimum, without asking the solver', () => {
    const solver = scriptedSolver(['throw']);
    const d = optimizeAllocation(config, { demand: workedDemand([[0, 0], [0, 0]]) }, solver);
    expect(d).toMatchObject({ status: 'NoDemand', reasons: ['NoDemand'], replicas: { L4: 1, A10G: 0, A100: 0 }, valid: true });
    expect(solver.models).toHaveLength(0);
  });

  it('an unusable demand mix holds the current replicas within bounds, and says why', () => {
    const solver = scriptedSolver(['throw']);
    const nan = optimizeAllocation(config, { demand: workedDemand([[Number.NaN, 0], [0, 1]]), current: { L4: 3, A10G: 50, A100: -2 } }, solver);
    expect(nan).toMatchObject({ status: 'InvalidDemand', valid: false, reasons: ['InvalidDemand'], replicas: { L4: 3, A10G: 20, A100: 0 } });
    expect(nan.message).toMatch(/^hold .*not a finite number/);
    const otherGrid = { ...workedDemand(), inputTicks: [128, 2048] };
    expect(optimizeAllocation(config, { demand: otherGrid }, solver).message).toMatch(/token ticks/);
    expect(solver.models).toHaveLength(0);
  });

  it('a solver that throws: the greedy allocation, SolverFailed, with the message', () => {
    const d = optimizeAllocation(config, { demand: workedDemand() }, scriptedSolver(['throw']));
    expect(d).toMatchObject({ status: 'SolverFailed', reasons: ['SolverFailed'], replicas: GREEDY, uncoveredRps: 0 });
    expect(d.solver!.message).toBe('scripted failure');
  });

  it('stopped at a limit with a solution: that solution, Feasible, SolveLimit and the gap (AIBrix would discard it)', () => {
    const d = optimizeAllocation(config, { demand: workedDemand() }, scriptedSolver([fromStart('TimeLimit', 0.05)]));
    expect(d).toMatchObject({ status: 'Feasible', reasons: ['SolveLimit'], replicas: GREEDY, gap: 0.05 });
    expect(d.lowerBoundPerHour).toBeCloseTo(5.39 * 0.95, 12);
    expect(d.message).toMatch(/within 5\.00 % of the bound/);
  });

  it('stopped at a limit with the gap closed: Optimal', () => {
    const d = optimizeAllocation(config, { demand: workedDemand() }, scriptedSolver([fromStart('NodeLimit', 0)]));
    expect(d).toMatchObject({ status: 'Optimal', reasons: ['Optimal'] });
  });

  it('stopped at a limit with no solution: the greedy allocation, Feasible', () => {
    const d = optimizeAllocation(config, { demand: workedDemand() }, scriptedSolver([noSolution('NodeLimit')]));
    expect(d).toMatchObject({ status: 'Feasible', reasons: ['SolveLimit'], replicas: GREEDY, gap: null });
  });

  it('infeasible, and the coverage solve fails too: the greedy allocation within the maxima', () => {
    const small = optimizerConfig({ profiles: WORKED_PROFILES, bounds: { L4: { max: 1 }, A10G: { max: 1 }, A100: { max: 0 } } });
    const solver = scriptedSolver([noSolution('Infeasible'), noSolution('Failed')]);
    const d = optimizeAllocation(small, { demand: workedDemand() }, solver);
    expect(d).toMatchObject({ status: 'SolverFailed', reasons: ['SolverFailed', 'DemandAboveMaximum'], replicas: { L4: 1, A10G: 1, A100: 0 } });
    expect(d.uncoveredRps).toBeGreaterThan(0);
    expect(solver.models.map((m) => m.rowNames.at(-1))).toEqual(['gpus', 'one_3']);
  });

  it('passes the configured limits to the solver and starts it from the greedy allocation', () => {
    const limited = optimizerConfig({ profiles: WORKED_PROFILES, maxNodes: 50, timeLimitSeconds: 0.2, relativeGap: 0.01 });
    const solver = scriptedSolver(['throw']);
    optimizeAllocation(limited, { demand: workedDemand() }, solver);
    expect(solver.limits[0]).toEqual({ maxNodes: 50, timeLimitSeconds: 0.2, relativeGap: 0.01 });
    expect(solver.models[0]!.start!.slice(0, 3)).toEqual([0, 2, 1]);
  });

  it('demand in a bucket no type can serve is uncovered and named, whatever the solve', () => {
    const profiles = WORKED_PROFILES.map((p) => ({ ...p, tputs: [[p.tputs[0]![0]!, 0], p.tputs[1]!] }));
    const d = optimizeAllocation(optimizerConfig({ profiles }), { demand: workedDemand() }, scriptedSolver(['throw']));
    expect(d.reasons).toEqual(['BucketNotServable', 'SolverFailed']);
    const b3 = d.buckets.find((b) => b.input === 2048 && b.output === 64)!;
    expect(b3).toMatchObject({ demandRps: 1, uncoveredRps: 1 });
  });

  const hostileRates = fc.array(fc.array(fc.oneof(fc.double({ min: 0, max: 1e4, noNaN: true }), anyDouble), { minLength: 2, maxLength: 2 }), { minLength: 2, maxLength: 2 });
  test.prop([hostileRates, fc.constantFrom('throw' as const, noSolution('Failed'), noSolution('Infeasible'), noSolution('Unbounded'))], { numRuns: RUNS })(
    'bad demand or a failing solver never gives a count outside the bounds, a NaN or an empty reason',
    (rates, outcome) => {
      const d = optimizeAllocation(config, { demand: workedDemand(rates), current: { L4: 4 } }, scriptedSolver([outcome]));
      d.types.forEach((t) => {
        expect(Number.isSafeInteger(t.replicas)).toBe(true);
        expect(t.replicas).toBeGreaterThanOrEqual(t.minReplicas);
        expect(t.replicas).toBeLessThanOrEqual(t.maxReplicas);
        expect(d.replicas[t.name]).toBe(t.replicas);
      });
      expect(Number.isFinite(d.costPerHour)).toBe(true);
      expect(d.reasons.length).toBeGreaterThan(0);
    },
  );
});
