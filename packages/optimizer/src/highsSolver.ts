/**
 * `@prescale/core`'s {@link MipSolver} on HiGHS, through the `highs` package (HiGHS
 * compiled to WebAssembly; reference optimizer.md §7). Loading the WebAssembly is
 * asynchronous, so {@link createHighsSolver} is; each solve is then synchronous, as a
 * scaler's step is.
 *
 * Each solve gets a fresh HiGHS instance (disposed after), so no basis, clock or
 * option carries over and the same model gives the same answer. The WebAssembly build
 * is single-threaded and HiGHS's random seed is fixed (0), so without a time limit a
 * solve is deterministic; the node limit is the deterministic way to bound its work.
 *
 * Options: HiGHS's MIP heuristics are switched off. The optimizer's models have a
 * handful of integer variables, it always hands HiGHS a feasible start (the greedy
 * allocation), and on them the heuristics (feasibility jump, RINS, RENS and the rest)
 * cost more than the branching they save: with them a 5-type × 100-bucket model took
 * 2–4× longer (docs/benchmarks.md). A status HiGHS cannot map (an error, an iteration
 * limit without a solution) is a `Failed` solution, never a throw.
 * @module
 */
import type { MipLimits, MipModel, MipSolution, MipSolver, MipStatus } from '@prescale/core';
import loadHighs from 'highs';

type Highs = Awaited<ReturnType<typeof loadHighs>>;

/** HiGHS options for the optimizer's models (see the module comment). */
export const HIGHS_OPTIONS = {
  output_flag: false,
  random_seed: 0,
  mip_heuristic_effort: 0,
  mip_heuristic_run_feasibility_jump: false,
  mip_heuristic_run_rins: false,
  mip_heuristic_run_rens: false,
  mip_heuristic_run_root_reduced_cost: false,
  mip_heuristic_run_zi_round: false,
  mip_heuristic_run_shifting: false,
  mip_detect_symmetry: false,
  mip_allow_restart: false,
} as const;

/** Loads HiGHS and returns a solver. `options` are passed to the `highs` loader (e.g. `locateFile` in a browser). */
export async function createHighsSolver(options?: Parameters<typeof loadHighs>[0]): Promise<MipSolver> {
  const highs = await loadHighs(options);
  return highsSolver(highs);
}

/** A solver on an already loaded HiGHS module. */
export function highsSolver(highs: Highs): MipSolver {
  const name = `HiGHS ${highs.version.string} (highs-js, WebAssembly)`;
  return {
    name,
    solve(model, limits) {
      try {
        return solveOnce(highs, model, limits);
      } catch (error) {
        return failed(`HiGHS threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}

function failed(message: string, solverStatus = 'error'): MipSolution {
  return { status: 'Failed', solverStatus, values: null, objective: null, bound: null, gap: null, nodes: null, message };
}

function solveOnce(highs: Highs, m: MipModel, limits: MipLimits): MipSolution {
  const inf = highs.infinity;
  const toHighs = (v: number) => (v === Infinity ? inf : v === -Infinity ? -inf : v);
  const numCols = m.columnNames.length;
  const numRows = m.rowNames.length;
  const model = highs.createModel({
    numCols,
    numRows,
    colCost: m.cost,
    colLower: m.lower.map(toHighs),
    colUpper: m.upper.map(toHighs),
    rowLower: m.rowLower.map(toHighs),
    rowUpper: m.rowUpper.map(toHighs),
    matrix: { format: 'csc', numRows, numCols, starts: m.starts, indices: m.indices, values: m.values },
    integrality: Int32Array.from(m.integer, (i) => (i ? highs.constants.variableType.integer : highs.constants.variableType.continuous)),
  });
  try {
    model.options.set({
      ...HIGHS_OPTIONS,
      mip_rel_gap: limits.relativeGap,
      mip_max_nodes: Math.min(2 ** 31 - 1, Math.max(1, Math.floor(limits.maxNodes))),
      ...(limits.timeLimitSeconds !== null ? { time_limit: limits.timeLimitSeconds } : {}),
    });
    if (m.start !== null && m.start.length === numCols) model.setSolution({ colValue: m.start });
    model.run();
    const code = model.getModelStatus();
    const statuses = highs.constants.modelStatus;
    const bounded = m.lower.every(Number.isFinite) && m.upper.every(Number.isFinite);
    // With every column bounded the model cannot be unbounded: HiGHS's presolve says "unbounded or infeasible" for infeasible ones.
    const status = code === statuses.unboundedOrInfeasible && bounded ? 'Infeasible' : statusOf(code, statuses);
    const solverStatus = Object.entries(statuses).find(([, v]) => v === code)?.[0] ?? String(code);
    const hasSolution = Number(model.info.get('primal_solution_status')) === highs.constants.solutionStatus.feasible;
    const isMip = m.integer.some(Boolean);
    const values = hasSolution ? Array.from(model.getSolution().colValue, (v) => (Object.is(v, -0) ? 0 : v)) : null;
    const objective = hasSolution ? model.getObjectiveValue() : null;
    const bound = isMip ? finiteOrNull(Number(model.info.get('mip_dual_bound'))) : status === 'Optimal' ? objective : null;
    const gap = isMip ? finiteOrNull(Number(model.info.get('mip_gap'))) : status === 'Optimal' ? 0 : null;
    const nodes = isMip ? Number(model.info.get('mip_node_count')) : 0;
    if (status === 'Failed') return { ...failed(`HiGHS ended with model status ${solverStatus}`, solverStatus), values, objective };
    return { status, solverStatus, values, objective, bound, gap, nodes, message: null };
  } finally {
    model.dispose();
  }
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function statusOf(code: number, s: Highs['constants']['modelStatus']): MipStatus {
  switch (code) {
    case s.optimal:
      return 'Optimal';
    case s.infeasible:
      return 'Infeasible';
    case s.unbounded:
    case s.unboundedOrInfeasible:
      return 'Unbounded';
    case s.timeLimit:
      return 'TimeLimit';
    case s.solutionLimit:
    case s.iterationLimit:
    case s.interrupted:
      return 'NodeLimit';
    default:
      return 'Failed';
  }
}
