/**
 * The GPU optimizer (reference aibrix.md §5.3, optimizer.md §1–2): the cheapest mix of
 * GPU types whose capacity covers a demand mix under the SLO, from the types'
 * throughput profiles. Pure: the integer program is built here as data
 * (allocationModel.ts) and solved by the {@link MipSolver} the caller passes (HiGHS in
 * `@prescale/optimizer`); the same inputs and solver give the same decision.
 *
 * Unlike AIBrix, which discards every result that is not "Optimal" and keeps the old
 * replicas, every outcome gives an answer and says what it is:
 *
 * - proven optimal: `Optimal`;
 * - stopped at the node or time limit: the best allocation found, `Feasible`, with its gap
 *   (or the greedy allocation when the solver found none);
 * - demand the maxima cannot cover: the allocation that covers the most demand, at the
 *   least cost among those, `PartiallyCovered` with `DemandAboveMaximum` (two more solves:
 *   the least uncovered rate with every type at its maximum, then the cheapest mix
 *   leaving no more uncovered);
 * - demand in a bucket no type can serve: left uncovered, `BucketNotServable`;
 * - the solver failing: the greedy allocation (cheapest type per bucket), `SolverFailed`;
 * - no demand: every type at its minimum (AIBrix: `min_replicas` when there is no load);
 * - an unusable demand mix (another grid, a NaN, negative or implausible rate, above a
 *   billion req/s as everywhere in prescale): the current replicas
 *   held within bounds, `InvalidDemand`, `valid: false`.
 * @module
 */
import { type AllocationDecision, allocationDecision, type AllocationReason, type DecisionParts, readSolution, type SolverDetail } from './allocationDecision.js';
import { allocationModel, type DemandBucket, type ModelForm } from './allocationModel.js';
import { type Allocation, greedyAllocation, uncoveredRps } from './greedyAllocation.js';
import type { DemandMix } from './loadShape.js';
import type { MipModel, MipSolution, MipSolver } from './mipModel.js';
import type { OptimizerConfig } from './optimizerConfig.js';
import { MAX_PLAUSIBLE_REQUESTS_PER_SECOND } from '../series/plausibleDemand.js';
import { sameGrid } from './throughputProfile.js';

export interface OptimizerInput {
  demand: DemandMix;
  /** The replicas now, by type: what an unusable demand holds. Default each type's minimum. */
  current?: Readonly<Record<string, number>>;
}

/** Decides the replicas of each GPU type for `input.demand`. Never throws for bad demand or a failing solver. */
export function optimizeAllocation(config: OptimizerConfig, input: OptimizerInput, solver: MipSolver): AllocationDecision {
  const demand = input.demand;
  const invalid = invalidDemand(config, demand);
  if (invalid !== null) return hold(config, input.current ?? {}, invalid);

  const inflate = 1 + config.headroom;
  const buckets: DemandBucket[] = [];
  const unservable: DemandBucket[] = [];
  demand.rates.forEach((row, o) =>
    row.forEach((rate, i) => {
      if (rate <= 0) return;
      const servable = config.types.some((t) => t.tputs[o]![i]! > 0 && t.maxReplicas > 0);
      if (servable) buckets.push({ o, i, rate: rate * inflate });
      else unservable.push({ o, i, rate });
    }),
  );
  const notServable: AllocationReason[] = unservable.length > 0 ? ['BucketNotServable'] : [];
  const greedy = greedyAllocation(config, buckets);
  if (buckets.length === 0) {
    const status = unservable.length > 0 ? 'PartiallyCovered' : 'NoDemand';
    return allocationDecision(config, buckets, unservable, greedy, parts(status, unservable.length > 0 ? notServable : ['NoDemand'], null, null));
  }

  const formulation = config.slices === null ? 'split freely' : `${config.slices} slices per bucket`;
  let solves = 0;
  const run = (form: ModelForm, start: number[] | null) => {
    const { model, layout } = allocationModel(config, buckets, form, start);
    solves++;
    const solution = safeSolve(solver, model, config);
    const detail: SolverDetail = {
      name: solver.name,
      status: solution.status,
      solverStatus: solution.solverStatus,
      nodes: solution.nodes,
      formulation: form.kind === 'cost' ? formulation : 'split freely',
      columns: model.columnNames.length,
      rows: model.rowNames.length,
      solves,
      message: solution.message,
    };
    return { layout, solution, detail };
  };
  // Demand no type can serve is never covered: such a decision is partial, whatever the solve.
  const decide = (a: Allocation, p: DecisionParts) =>
    allocationDecision(config, buckets, unservable, a, {
      ...p,
      status: unservable.length > 0 && (p.status === 'Optimal' || p.status === 'Feasible') ? 'PartiallyCovered' : p.status,
      reasons: [...notServable, ...p.reasons],
    });

  const start = config.slices === null && uncoveredRps(buckets, greedy) === 0 ? startFromGreedy(config, buckets, greedy) : null;
  const cost = run({ kind: 'cost' }, start);
  const s = cost.solution;
  if (s.values !== null && (s.status === 'Optimal' || s.status === 'TimeLimit' || s.status === 'NodeLimit')) {
    const optimal = proven(s, config);
    const a = readSolution(config, cost.layout, s.values);
    return decide(a, parts(optimal ? 'Optimal' : 'Feasible', [optimal ? 'Optimal' : 'SolveLimit'], s, cost.detail));
  }
  if (s.status === 'TimeLimit' || s.status === 'NodeLimit') {
    if (uncoveredRps(buckets, greedy) === 0) return decide(greedy, parts('Feasible', ['SolveLimit'], null, cost.detail));
  }
  if (s.status !== 'Infeasible' && s.status !== 'TimeLimit' && s.status !== 'NodeLimit') {
    return decide(greedy, parts('SolverFailed', ['SolverFailed'], null, cost.detail));
  }

  // Not every bucket can be covered within the maxima: cover the most, then cheapest.
  const most = run({ kind: 'coverage' }, null);
  if (most.solution.status !== 'Optimal' || most.solution.values === null || most.solution.objective === null) {
    return decide(greedy, parts('SolverFailed', ['SolverFailed', 'DemandAboveMaximum'], null, most.detail));
  }
  const least = Math.max(0, most.solution.objective);
  const cheapest = run({ kind: 'cheapestCoverage', maxUncoveredRps: least * (1 + 1e-7) + 1e-9 }, most.solution.values);
  const c = cheapest.solution;
  const totalRps = buckets.reduce((sum, b) => sum + b.rate, 0);
  const coverable = least <= 1e-9 * Math.max(1, totalRps);
  const above: AllocationReason[] = coverable ? ['SlicesTooCoarse'] : ['DemandAboveMaximum'];
  if (c.values !== null && (c.status === 'Optimal' || c.status === 'TimeLimit' || c.status === 'NodeLimit')) {
    const a = readSolution(config, cheapest.layout, c.values);
    const optimal = proven(c, config);
    const status = coverable ? (optimal ? 'Optimal' : 'Feasible') : 'PartiallyCovered';
    return decide(a, parts(status, [...above, optimal ? 'Optimal' : 'SolveLimit'], c, cheapest.detail));
  }
  // The cover-most solution itself (every type at its maximum) is the fallback.
  const a = readSolution(config, most.layout, most.solution.values);
  return decide(a, parts(coverable ? 'Feasible' : 'PartiallyCovered', [...above, 'SolveLimit'], null, cheapest.detail));
}

/** Optimal, or stopped at a limit with the gap already closed to the one asked for. */
function proven(s: MipSolution, config: OptimizerConfig): boolean {
  return s.status === 'Optimal' || (s.gap !== null && s.gap <= config.limits.relativeGap);
}

function parts(status: DecisionParts['status'], reasons: AllocationReason[], s: MipSolution | null, solver: SolverDetail | null): DecisionParts {
  return { status, reasons, valid: status !== 'InvalidDemand', lowerBoundPerHour: s?.bound ?? null, gap: s?.gap ?? null, solver };
}

function safeSolve(solver: MipSolver, model: MipModel, config: OptimizerConfig): MipSolution {
  try {
    return solver.solve(model, config.limits);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'Failed', solverStatus: 'threw', values: null, objective: null, bound: null, gap: null, nodes: null, message };
  }
}

/** The greedy allocation as a point of the cost model (continuous split): y, then x per bucket and type. */
function startFromGreedy(config: OptimizerConfig, buckets: readonly DemandBucket[], a: Allocation): number[] {
  const G = config.types.length;
  const point: number[] = [...a.replicas];
  buckets.forEach((bucket, b) => {
    for (let j = 0; j < G; j++) {
      const t = config.types[j]!;
      if (t.tputs[bucket.o]![bucket.i]! > 0 && t.maxReplicas > 0) point.push(a.share[b * G + j]!);
    }
  });
  return point;
}

/** Why a demand mix cannot be used with this config, or null. */
function invalidDemand(config: OptimizerConfig, demand: DemandMix): string | null {
  if (typeof demand !== 'object' || demand === null || !Array.isArray(demand.rates)) return 'the demand is not a demand mix';
  if (!sameGrid(config, demand)) return "the demand's token ticks are not the profiles'";
  if (demand.rates.length !== config.outputTicks.length) return 'the demand has the wrong number of output rows';
  for (const row of demand.rates) {
    if (!Array.isArray(row) || row.length !== config.inputTicks.length) return 'the demand has a row of the wrong length';
    for (const r of row) {
      if (!(r >= 0 && r < Infinity)) return `the demand has a rate that is not a finite number ≥ 0 (${r})`;
      if (r > MAX_PLAUSIBLE_REQUESTS_PER_SECOND) return `the demand has a rate above the plausible range (${r} req/s > ${MAX_PLAUSIBLE_REQUESTS_PER_SECOND})`;
    }
  }
  return null;
}

/** Holds the current replicas (each within its bounds; a type not given or not a count sits at its minimum). */
function hold(config: OptimizerConfig, current: Readonly<Record<string, number>>, why: string): AllocationDecision {
  const replicas = config.types.map((t) => {
    const c = current[t.name];
    const n = typeof c === 'number' && Number.isSafeInteger(c) && c >= 0 ? c : t.minReplicas;
    return Math.min(t.maxReplicas, Math.max(t.minReplicas, n));
  });
  const G = config.types.length;
  const held: Allocation = { replicas, share: new Float64Array(0), uncovered: new Float64Array(0), load: new Float64Array(G) };
  const d = allocationDecision(config, [], [], held, { status: 'InvalidDemand', reasons: ['InvalidDemand'], valid: false, lowerBoundPerHour: null, gap: null, solver: null });
  return { ...d, message: `hold ${d.message.split(' (')[0]}: ${why}` };
}
