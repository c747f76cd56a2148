/**
 * The search of `prescale tune` for one scaler: the configuration with the fewest
 * GPU-hours whose SLO attainment on the tuning part meets the target, within a budget
 * of full-length simulations of the tuning part. It spends the budget in two phases:
 *
 * 1. **Successive halving** (Jamieson and Talwalkar 2016; Li et al., Hyperband, 2018)
 *    on about 70 % of the budget: the `prescale simulate` defaults and points spread by
 *    Latin hypercube sampling are screened on the first quarter of the tuning part, the
 *    best third go on to its first half, the best third of those to the whole of it (the
 *    defaults go on to every rung, as the reference a winner must beat).
 * 2. **Local refinement** with what is left: neighbours of the best configuration so far
 *    (one or two parameters moved), four at a time over the whole tuning part; the step
 *    shrinks when a round finds nothing better.
 *
 * Candidates are ranked by `better`: those that meet the target by GPU-hours, then those
 * that miss it by attainment. Deterministic for a seed: every random draw comes from one
 * seeded stream, batches do not depend on how many workers run them, and results are
 * read in submission order.
 * @module
 */
import { Random } from '../random/prng.js';
import { defaultPoint, latinHypercube, neighbour, pointKey, type TunableScaler, type TunePoint, tuneSpace } from './searchSpace.js';
import type { TaskResult, TuneMetrics, TuneTask } from './tuneTask.js';

/** Runs tasks (in parallel where it can) and gives their results in order; rejects when stopped. */
export type TaskRunner = (tasks: TuneTask[]) => Promise<TaskResult[]>;

export interface SearchOptions {
  scaler: TunableScaler;
  /** Full-length simulations of the tuning part to spend. */
  budget: number;
  seed: number;
  /** SLO attainment the configuration must meet on the tuning part, e.g. 0.99. */
  target: number;
  /** The shortest share of the tuning part worth screening on (1: no shortened runs). */
  minFraction: number;
  run: TaskRunner;
  /** True once the user asked to stop: the search returns what it has. */
  stopped?: () => boolean;
}

export interface Evaluated {
  /** null: the `prescale simulate` defaults. */
  point: TunePoint | null;
  fraction: number;
  tuning: TuneMetrics;
}

export interface SearchOutcome {
  /** The best candidate over the whole tuning part that meets the target; null if none did. */
  best: Evaluated | null;
  /** The best over the whole tuning part whether or not it met the target (the refinement's start). */
  incumbent: Evaluated | null;
  /** Every candidate run over the whole tuning part. */
  full: Evaluated[];
  /** Budget spent, in full-length simulations of the tuning part. */
  spent: number;
  /** Simulations run. */
  runs: number;
  stopped: boolean;
}

/** True when `a` is better than `b` for the target. */
export function better(a: TuneMetrics, b: TuneMetrics, target: number): boolean {
  const aOk = a.sloAttainment >= target;
  const bOk = b.sloAttainment >= target;
  if (aOk !== bOk) return aOk;
  if (aOk) return a.gpuHours < b.gpuHours || (a.gpuHours === b.gpuHours && a.sloAttainment > b.sloAttainment);
  return a.sloAttainment > b.sloAttainment || (a.sloAttainment === b.sloAttainment && a.gpuHours < b.gpuHours);
}

/** The Pareto front of GPU-hours (fewer) against SLO attainment (more), fewest GPU-hours first. */
export function paretoFront<T extends { tuning: TuneMetrics }>(candidates: readonly T[]): T[] {
  const sorted = [...candidates].sort((a, b) => a.tuning.gpuHours - b.tuning.gpuHours || b.tuning.sloAttainment - a.tuning.sloAttainment);
  const front: T[] = [];
  for (const c of sorted) if (front.length === 0 || c.tuning.sloAttainment > front[front.length - 1]!.tuning.sloAttainment) front.push(c);
  return front;
}

const SCREEN = [0.25, 0.5, 1];
const ETA = 3;
const HALVING_SHARE = 0.7;
const REFINE_BATCH = 4;

/** The screening fractions, none below `minFraction` (duplicates merged). */
function rungFractions(minFraction: number): number[] {
  return [...new Set(SCREEN.map((f) => Math.min(1, Math.max(f, minFraction))))];
}

export async function searchScaler(o: SearchOptions): Promise<SearchOutcome> {
  const space = tuneSpace(o.scaler);
  const random = new Random(o.seed, 7 + ['kpa', 'hpa', 'apa', 'predictive'].indexOf(o.scaler));
  // A budget too small to screen and still run the defaults over the whole tuning part
  // runs everything over the whole of it.
  const ladder = rungFractions(o.minFraction);
  const fractions = o.budget < 2 * ladder.reduce((sum, f) => sum + f, 0) ? [1] : ladder;
  const rungCost = fractions.reduce((sum, f, i) => sum + f / ETA ** i, 0);
  const first = Math.max(1, Math.floor((HALVING_SHARE * o.budget) / rungCost));
  const seen = new Map<string, Evaluated>();
  const full: Evaluated[] = [];
  let spent = 0;
  let runs = 0;
  let stopped = false;

  const evaluate = async (points: Array<TunePoint | null>, fraction: number): Promise<Evaluated[]> => {
    const todo = points.filter((pt) => !seen.has(`${fraction}|${pt === null ? 'default' : pointKey(pt)}`));
    if (todo.length > 0 && !stopped && !(o.stopped?.() ?? false)) {
      let results: TaskResult[];
      try {
        results = await o.run(todo.map((point) => ({ scaler: o.scaler, point, fraction, whole: false })));
      } catch (error) {
        if (!(o.stopped?.() ?? false)) throw error;
        stopped = true;
        results = [];
      }
      results.forEach((r, i) => {
        const e: Evaluated = { point: todo[i]!, fraction, tuning: r.tuning };
        seen.set(`${fraction}|${e.point === null ? 'default' : pointKey(e.point)}`, e);
        spent += fraction;
        runs++;
        if (fraction === 1) full.push(e);
      });
    }
    if (o.stopped?.() ?? false) stopped = true;
    return points.map((pt) => seen.get(`${fraction}|${pt === null ? 'default' : pointKey(pt)}`)).filter((e): e is Evaluated => e !== undefined);
  };
  const rank = (es: Evaluated[]) => [...es].sort((a, b) => (better(a.tuning, b.tuning, o.target) ? -1 : better(b.tuning, a.tuning, o.target) ? 1 : 0));

  // 1. Successive halving.
  let pool: Array<TunePoint | null> = [null, ...latinHypercube(space, first - 1, random)];
  for (let i = 0; i < fractions.length && pool.length > 0 && !stopped; i++) {
    // Never past the budget: what is left after the defaults' runs on the later rungs.
    const later = fractions.slice(i + 1).reduce((sum, f) => sum + f, 0);
    pool = pool.slice(0, Math.max(1, Math.floor((o.budget - spent - later) / fractions[i]! + 1e-9)));
    const ranked = rank(await evaluate(pool, fractions[i]!));
    if (i === fractions.length - 1) break;
    // The defaults go on to every rung, first: a tuned configuration must beat them over the whole tuning part.
    const next = ranked.slice(0, Math.max(1, Math.ceil(ranked.length / ETA))).map((e) => e.point);
    pool = [null, ...next.filter((pt) => pt !== null)];
  }

  // 2. Local refinement around the best over the whole tuning part.
  let incumbent = rank(full)[0] ?? null;
  let step = 0.2;
  while (incumbent !== null && !stopped && spent + REFINE_BATCH <= o.budget && step >= 0.02) {
    const from = incumbent.point ?? defaultPoint(space);
    const batch = Array.from({ length: REFINE_BATCH }, () => neighbour(space, from, step, random));
    const top = rank(await evaluate(batch, 1))[0];
    if (top !== undefined && better(top.tuning, incumbent.tuning, o.target)) incumbent = top;
    else step *= 0.6;
  }
  const ranked = rank(full);
  const best = ranked[0] !== undefined && ranked[0].tuning.sloAttainment >= o.target ? ranked[0] : null;
  return { best, incumbent: ranked[0] ?? null, full, spent, runs, stopped };
}
