/**
 * The Mélange integer program as a {@link MipModel} (reference optimizer.md §1 and §2;
 * Griggs et al. 2024 §5.4.3), with per-type bounds as §1 recommends:
 *
 *     minimise Σ_j c_j · y_j
 *     subject to  Σ_j x_bj = 1                          for every bucket b with demand      (one_b)
 *                 Σ_b (r_b / T_bj) · x_bj ≤ y_j          for every type j                   (cap_j)
 *                 lo_j ≤ y_j ≤ hi_j,  y_j integer
 *
 * y_j is the replicas of type j, x_bj the share of bucket b's rate r_b served by type j,
 * T_bj type j's max req/s per replica on b (so r_b/T_bj · x_bj is the fraction of one
 * replica it takes). No x_bj exists where T_bj = 0 (type j cannot serve b) or hi_j = 0.
 * With `slices` S, each bucket is S slices of r_b/S and each slice goes whole to one
 * type (x binary), Mélange's and AIBrix's form; without, x_bj is continuous in [0, 1],
 * which is that form as S grows (any slicing is a split), never costs more, and leaves
 * the solver only the y_j to branch on.
 *
 * One valid inequality is added, since the y_j are integers: the capacity rows summed
 * give Σ_j y_j ≥ Σ_b r_b · min_j 1/T_bj, so Σ_j y_j ≥ ⌈that⌉ (a Chvátal–Gomory
 * rounding), which closes much of the gap the solver would otherwise branch over.
 *
 * Two further forms serve a demand the bounds cannot cover (docs/optimizer.md): `coverage`
 * fixes every y_j at hi_j and minimises the uncovered rate Σ_b r_b·u_b (an LP), where
 * one_b becomes Σ_j x_bj + u_b = 1; `cheapestCoverage` then minimises cost with the
 * uncovered rate held at that minimum.
 * @module
 */
import type { MipModel } from './mipModel.js';
import type { OptimizerConfig } from './optimizerConfig.js';

/** A bucket with demand that some type can serve. */
export interface DemandBucket {
  /** Output and input tick indexes. */
  o: number;
  i: number;
  /** Requests per second to cover (headroom included). */
  rate: number;
}

export type ModelForm = { kind: 'cost' } | { kind: 'coverage' } | { kind: 'cheapestCoverage'; maxUncoveredRps: number };

/** Where each variable of the model is, to read a solution. */
export interface ModelLayout {
  types: number;
  buckets: readonly DemandBucket[];
  /** Slices per bucket (1 when split freely). */
  slices: number;
  /** Column of x for bucket b, slice s, type j at `(b · slices + s) · types + j`; -1 if none. */
  x: Int32Array;
  /** Column of u_b (uncovered share), -1 if none. */
  u: Int32Array;
}

/** The model for `form` and where its variables are. Columns: y_0 … y_{G−1}, then per bucket its x (slice by slice, type by type) and u. */
export function allocationModel(config: OptimizerConfig, buckets: readonly DemandBucket[], form: ModelForm, start: number[] | null = null): { model: MipModel; layout: ModelLayout } {
  const types = config.types;
  const G = types.length;
  const coverage = form.kind !== 'cost';
  const S = coverage || config.slices === null ? 1 : config.slices;
  const binary = !coverage && config.slices !== null;
  const m: MipModel = {
    columnNames: [], cost: [], lower: [], upper: [], integer: [],
    rowNames: [], rowLower: [], rowUpper: [], starts: [0], indices: [], values: [], start,
  };
  // Rows: cap_j, then one_b(_s), then the extra row.
  for (let j = 0; j < G; j++) addRow(m, `cap_${j}`, -Infinity, 0);
  for (let b = 0; b < buckets.length; b++) for (let s = 0; s < S; s++) addRow(m, S === 1 ? `one_${b}` : `one_${b}_${s}`, 1, 1);
  const extraRow = m.rowNames.length;
  if (form.kind === 'cost') addRow(m, 'gpus', gpuFloor(config, buckets), Infinity);
  if (form.kind === 'cheapestCoverage') addRow(m, 'uncovered', -Infinity, form.maxUncoveredRps);

  for (let j = 0; j < G; j++) {
    const t = types[j]!;
    const fixed = form.kind === 'coverage';
    const entries: Array<[number, number]> = [[j, -1]];
    if (form.kind === 'cost') entries.push([extraRow, 1]);
    addColumn(m, `y_${j}`, fixed ? 0 : t.costPerHour, fixed ? t.maxReplicas : t.minReplicas, t.maxReplicas, !fixed, entries);
  }
  const x = new Int32Array(buckets.length * S * G).fill(-1);
  const u = new Int32Array(buckets.length).fill(-1);
  buckets.forEach((bucket, b) => {
    for (let s = 0; s < S; s++) {
      const oneRow = G + b * S + s;
      for (let j = 0; j < G; j++) {
        const t = types[j]!;
        const tput = t.tputs[bucket.o]![bucket.i]!;
        if (!(tput > 0) || t.maxReplicas === 0) continue;
        x[(b * S + s) * G + j] = m.columnNames.length;
        const name = S === 1 ? `x_${b}_${j}` : `x_${b}_${s}_${j}`;
        addColumn(m, name, 0, 0, 1, binary, [[j, bucket.rate / S / tput], [oneRow, 1]]);
      }
    }
    if (coverage) {
      u[b] = m.columnNames.length;
      const entries: Array<[number, number]> = [[G + b, 1]];
      if (form.kind === 'cheapestCoverage') entries.push([extraRow, bucket.rate]);
      addColumn(m, `u_${b}`, form.kind === 'coverage' ? bucket.rate : 0, 0, 1, false, entries);
    }
  });
  return { model: m, layout: { types: G, buckets, slices: S, x, u } };
}

function addRow(m: MipModel, name: string, lower: number, upper: number): void {
  m.rowNames.push(name);
  m.rowLower.push(lower);
  m.rowUpper.push(upper);
}

function addColumn(m: MipModel, name: string, cost: number, lower: number, upper: number, integer: boolean, entries: Array<[number, number]>): void {
  m.columnNames.push(name);
  m.cost.push(cost);
  m.lower.push(lower);
  m.upper.push(upper);
  m.integer.push(integer);
  entries.sort((a, b) => a[0] - b[0]);
  for (const [row, value] of entries) {
    m.indices.push(row);
    m.values.push(value);
  }
  m.starts.push(m.indices.length);
}

/**
 * ⌈Σ_b r_b · min_j 1/T_bj⌉, the fewest replicas of any mix that covers the buckets, with
 * a relative slack of 1e-9 so rounding noise never cuts off a solution.
 */
function gpuFloor(config: OptimizerConfig, buckets: readonly DemandBucket[]): number {
  let total = 0;
  for (const b of buckets) {
    let best = 0;
    for (const t of config.types) {
      const tput = t.tputs[b.o]![b.i]!;
      if (tput > 0 && t.maxReplicas > 0 && tput > best) best = tput;
    }
    if (best > 0) total += b.rate / best;
  }
  return Math.max(0, Math.ceil(total - 1e-9 * Math.max(1, total)));
}
