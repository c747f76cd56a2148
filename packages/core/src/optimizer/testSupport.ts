/** Test helpers of the optimizer's tests (not exported from the package). */
import type { DemandMix } from './loadShape.js';
import { emptyDemand } from './loadShape.js';
import type { MipLimits, MipModel, MipSolution, MipSolver } from './mipModel.js';
import type { ThroughputProfile } from './throughputProfile.js';

/** reference optimizer.md §3: the worked example (L4, A10G, A100 at Mélange's prices; rows are outputs 64, 512; columns inputs 256, 2048). */
export const WORKED_INDEXES: [number[], number[]] = [[64, 512], [256, 2048]];
export const WORKED_PROFILES: ThroughputProfile[] = [
  { gpu: 'L4', cost: 0.7, indexes: WORKED_INDEXES, tputs: [[3.0, 0.8], [0.6, 0.15]] },
  { gpu: 'A10G', cost: 1.01, indexes: WORKED_INDEXES, tputs: [[4.5, 1.4], [1.0, 0.3]] },
  { gpu: 'A100', cost: 3.67, indexes: WORKED_INDEXES, tputs: [[12, 5.0], [3.6, 1.6]] },
];
export const WORKED_RATES = [[2.0, 1.0], [0.5, 1.5]];

/** A mix with these rates on the worked example's grid. */
export function workedDemand(rates: number[][] = WORKED_RATES): DemandMix {
  const mix = emptyDemand({ inputTicks: WORKED_INDEXES[1], outputTicks: WORKED_INDEXES[0] }, 1);
  mix.rates = rates.map((row) => [...row]);
  mix.totalRps = rates.flat().reduce((s, r) => s + r, 0);
  return mix;
}

/** A solver that answers from a script, one entry per call (the last repeats), and records the models it saw. */
export function scriptedSolver(script: Array<MipSolution | ((m: MipModel) => MipSolution) | 'throw'>): MipSolver & { models: MipModel[]; limits: MipLimits[] } {
  const models: MipModel[] = [];
  const limits: MipLimits[] = [];
  return {
    name: 'scripted',
    models,
    limits,
    solve(model, l) {
      models.push(model);
      limits.push(l);
      const step = script[Math.min(models.length, script.length) - 1]!;
      if (step === 'throw') throw new Error('scripted failure');
      return typeof step === 'function' ? step(model) : step;
    },
  };
}

/** A solution with this status and no values. */
export function noSolution(status: MipSolution['status'], solverStatus = status): MipSolution {
  return { status, solverStatus, values: null, objective: null, bound: null, gap: null, nodes: 0, message: null };
}
