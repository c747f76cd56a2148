/**
 * A mixed-integer linear program as plain data, and the interface a solver implements.
 * Core builds models and reads solutions; solving needs a native or WebAssembly
 * solver, which lives in an adapter (`@prescale/optimizer` implements {@link MipSolver}
 * with HiGHS; reference optimizer.md §7). Keeping the model as data keeps core free of
 * dependencies and lets a test look at the model, or write it as CPLEX LP text
 * ({@link mipModelToLpText}) for any LP solver.
 *
 *     minimise Σ cost·x   subject to   rowLower ≤ A·x ≤ rowUpper,   lower ≤ x ≤ upper,   x_j integer where integer[j]
 * @module
 */

export interface MipModel {
  /** Column (variable) names: letters, digits and `_` only, so the LP text needs no quoting. */
  columnNames: string[];
  cost: number[];
  lower: number[];
  /** `Infinity` for no upper bound. */
  upper: number[];
  integer: boolean[];
  rowNames: string[];
  /** `-Infinity` for no lower bound. */
  rowLower: number[];
  /** `Infinity` for no upper bound. */
  rowUpper: number[];
  /** The constraint matrix, column-wise (CSC): column j's entries are `indices/values[starts[j] .. starts[j+1]]`. */
  starts: number[];
  indices: number[];
  values: number[];
  /** A feasible point to start from (a warm start), or null. */
  start: number[] | null;
}

/** When to stop a solve short of proven optimality. */
export interface MipLimits {
  /** Branch-and-bound nodes (deterministic). */
  maxNodes: number;
  /** Wall-clock seconds, or null for none (a time limit makes the result depend on the machine). */
  timeLimitSeconds: number | null;
  /** Stop when (best − bound) / best is at most this; 0 proves optimality. */
  relativeGap: number;
}

/**
 * - `Optimal`: proven optimal (within `relativeGap`).
 * - `TimeLimit` / `NodeLimit`: stopped at a limit; `values` is the best solution found, if any.
 * - `Infeasible`: no point satisfies the constraints.
 * - `Unbounded`: the objective has no lower bound (cannot happen for the optimizer's models).
 * - `Failed`: the solver threw or reported an error; `message` says what.
 */
export type MipStatus = 'Optimal' | 'TimeLimit' | 'NodeLimit' | 'Infeasible' | 'Unbounded' | 'Failed';

export interface MipSolution {
  status: MipStatus;
  /** The solver's own status text (e.g. HiGHS's `Time limit reached`). */
  solverStatus: string;
  /** Column values, or null when there is no solution. */
  values: number[] | null;
  objective: number | null;
  /** The best proven lower bound on the objective, if the solver reports one. */
  bound: number | null;
  /** (objective − bound) / |objective|, if known. */
  gap: number | null;
  /** Branch-and-bound nodes explored, if known. */
  nodes: number | null;
  message: string | null;
}

/** A solver of {@link MipModel}s. Synchronous: a scaler's step is. It must not throw; a failure is a `Failed` solution. */
export interface MipSolver {
  /** The solver's name and version, for decisions and reports. */
  readonly name: string;
  solve(model: MipModel, limits: MipLimits): MipSolution;
}

function term(coefficient: number, name: string, first: boolean): string {
  const sign = coefficient < 0 ? '-' : first ? '' : '+';
  const magnitude = Math.abs(coefficient);
  return `${sign}${sign === '' ? '' : ' '}${magnitude === 1 ? '' : `${magnitude} `}${name}`;
}

function finiteText(v: number): string {
  return v === Infinity ? 'inf' : v === -Infinity ? '-inf' : String(v);
}

/** The model as CPLEX LP text (reference optimizer.md §3 "LP text"; what `highs.solve` reads). */
export function mipModelToLpText(m: MipModel): string {
  const n = m.columnNames.length;
  const rows: string[][] = m.rowNames.map(() => []);
  for (let j = 0; j < n; j++) {
    for (let k = m.starts[j]!; k < m.starts[j + 1]!; k++) {
      const r = m.indices[k]!;
      rows[r]!.push(term(m.values[k]!, m.columnNames[j]!, rows[r]!.length === 0));
    }
  }
  const objective: string[] = [];
  for (let j = 0; j < n; j++) if (m.cost[j] !== 0) objective.push(term(m.cost[j]!, m.columnNames[j]!, objective.length === 0));
  const lines = ['Minimize', ` obj: ${objective.length > 0 ? objective.join(' ') : '0 ' + (m.columnNames[0] ?? 'x')}`, 'Subject To'];
  m.rowNames.forEach((name, r) => {
    const lhs = rows[r]!.length > 0 ? rows[r]!.join(' ') : `0 ${m.columnNames[0]}`;
    const lo = m.rowLower[r]!;
    const hi = m.rowUpper[r]!;
    if (lo === hi) lines.push(` ${name}: ${lhs} = ${finiteText(hi)}`);
    else {
      if (hi < Infinity) lines.push(` ${name}${lo > -Infinity ? '_hi' : ''}: ${lhs} <= ${finiteText(hi)}`);
      if (lo > -Infinity) lines.push(` ${name}${hi < Infinity ? '_lo' : ''}: ${lhs} >= ${finiteText(lo)}`);
    }
  });
  lines.push('Bounds');
  for (let j = 0; j < n; j++) lines.push(` ${finiteText(m.lower[j]!)} <= ${m.columnNames[j]} <= ${finiteText(m.upper[j]!)}`);
  const generals = m.columnNames.filter((_, j) => m.integer[j]);
  if (generals.length > 0) lines.push('Generals', ` ${generals.join(' ')}`);
  lines.push('End');
  return `${lines.join('\n')}\n`;
}
