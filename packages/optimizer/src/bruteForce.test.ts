/**
 * The optimizer against exhaustive search on small instances, where the optimum can be
 * found without a solver:
 *
 * - Mélange's and AIBrix's formulation (`slices` S): every assignment of every slice to
 *   a type that can serve it, each type at max(min, ⌈its load⌉) replicas
 *   (reference optimizer.md §1 "For a fixed A, the best choice is B_j = ⌈Σ_i A_ij·L_ij⌉");
 * - the default (a bucket split freely) with two types: every replica count pair, each
 *   checked by a fractional knapsack (move the flexible buckets to type 1 in the order
 *   of the capacity they cost there per capacity they free on type 2), which decides
 *   feasibility exactly.
 *
 * Throughputs are drawn from a set whose loads r/T are multiples of 1/128,000 (rates
 * k/40 req/s), so a load is either an integer or clearly not one, and the brute force's
 * tolerance cannot disagree with the solver's.
 */
import { fc, test } from '@fast-check/vitest';
import { optimizeAllocation, optimizerConfig, type ThroughputProfile } from '@prescale/core';
import { beforeAll, describe, expect } from 'vitest';
import { createHighsSolver } from './highsSolver.js';
import { demandOf, LONG_TEST_TIMEOUT_MS, RUNS } from './testSupport.js';

let solver: Awaited<ReturnType<typeof createHighsSolver>>;
beforeAll(async () => {
  solver = await createHighsSolver();
});

const EPS = 1e-7;
const TPUTS = [0, 0.5, 1, 2, 4, 5, 8, 10, 20];

interface Small {
  profiles: ThroughputProfile[];
  /** [output][input], req/s. */
  rates: number[][];
  bounds: Record<string, { min: number; max: number }>;
}

/** `minTypes`–`maxTypes` types on a 1–2 × 1–2 grid, rates k/40 up to 2 req/s, bounds that sometimes bind. */
const smallArb = (minTypes: number, maxTypes: number): fc.Arbitrary<Small> =>
  fc
    .record({ types: fc.integer({ min: minTypes, max: maxTypes }), rows: fc.integer({ min: 1, max: 2 }), cols: fc.integer({ min: 1, max: 2 }) })
    .chain(({ types, rows, cols }) => {
      const cells = <T>(arb: fc.Arbitrary<T>) => fc.array(fc.array(arb, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows });
      const type = fc.record({
        cost: fc.integer({ min: 30, max: 800 }).map((c) => c / 100),
        tputs: cells(fc.constantFrom(...TPUTS)),
        min: fc.integer({ min: 0, max: 2 }),
        extra: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constant(1000)),
      });
      return fc.record({ specs: fc.array(type, { minLength: types, maxLength: types }), rates: cells(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 80 }).map((k) => k / 40))) });
    })
    .map(({ specs, rates }) => {
      const indexes: [number[], number[]] = [rates.map((_, k) => 64 << (2 * k)), rates[0]!.map((_, k) => 128 << (2 * k))];
      const profiles = specs.map((s, j) => ({ gpu: `gpu${j}`, cost: s.cost, indexes, tputs: s.tputs }));
      const bounds = Object.fromEntries(specs.map((s, j) => [`gpu${j}`, { min: s.min, max: s.min + s.extra }]));
      return { profiles, rates, bounds };
    });

function buckets(x: Small): Array<{ o: number; i: number; rate: number }> {
  return x.rates.flatMap((row, o) => row.flatMap((rate, i) => (rate > 0 ? [{ o, i, rate }] : [])));
}

function replicasFor(x: Small, loads: readonly number[]): number[] | null {
  const y = x.profiles.map((p, j) => Math.max(x.bounds[p.gpu]!.min, Math.ceil(loads[j]! - EPS)));
  return y.every((n, j) => n <= x.bounds[x.profiles[j]!.gpu]!.max) ? y : null;
}

const costOf = (x: Small, y: readonly number[]) => y.reduce((s, n, j) => s + n * x.profiles[j]!.cost, 0);

/** The least cost over every assignment of S slices per bucket, or null if none fits the maxima. */
function bruteForceSlices(x: Small, S: number): number | null {
  const slices = buckets(x).flatMap((b) => Array.from({ length: S }, () => b));
  const G = x.profiles.length;
  const loads = new Array<number>(G).fill(0);
  let best: number | null = null;
  const visit = (k: number): void => {
    if (k === slices.length) {
      const y = replicasFor(x, loads);
      if (y !== null && (best === null || costOf(x, y) < best)) best = costOf(x, y);
      return;
    }
    const b = slices[k]!;
    for (let j = 0; j < G; j++) {
      const t = x.profiles[j]!.tputs[b.o]![b.i]!;
      if (!(t > 0) || x.bounds[x.profiles[j]!.gpu]!.max === 0) continue;
      loads[j]! += b.rate / S / t;
      visit(k + 1);
      loads[j]! -= b.rate / S / t;
    }
  };
  visit(0);
  return best;
}

/** Can two types with y1 and y2 replicas cover the buckets, each split freely? (Exact: a fractional knapsack.) */
function coverable2(x: Small, y1: number, y2: number): boolean {
  const [p1, p2] = x.profiles as [ThroughputProfile, ThroughputProfile];
  let load1 = 0;
  let load2 = 0;
  const flexible: Array<{ a: number; c: number }> = [];
  for (const b of buckets(x)) {
    const t1 = y1 > 0 ? p1.tputs[b.o]![b.i]! : 0;
    const t2 = y2 > 0 ? p2.tputs[b.o]![b.i]! : 0;
    if (t1 > 0 && t2 > 0) {
      flexible.push({ a: b.rate / t1, c: b.rate / t2 });
      load2 += b.rate / t2;
    } else if (t1 > 0) load1 += b.rate / t1;
    else if (t2 > 0) load2 += b.rate / t2;
    else return false;
  }
  let excess = load2 - y2;
  flexible.sort((u, v) => u.a / u.c - v.a / v.c);
  for (const f of flexible) {
    if (excess <= EPS) break;
    const moved = Math.min(1, excess / f.c);
    load1 += moved * f.a;
    excess -= moved * f.c;
  }
  return excess <= EPS && load1 <= y1 + EPS;
}

/** The least cost of two types splitting freely, over every replica pair within the bounds (capped where more cannot help), or null. */
function bruteForceSplit2(x: Small): number | null {
  const all = buckets(x);
  const cap = (j: number) => {
    const b = x.bounds[x.profiles[j]!.gpu]!;
    const most = all.reduce((s, k) => s + (x.profiles[j]!.tputs[k.o]![k.i]! > 0 ? k.rate / x.profiles[j]!.tputs[k.o]![k.i]! : 0), 0);
    return Math.min(b.max, Math.max(b.min, Math.ceil(most) + 1));
  };
  let best: number | null = null;
  for (let y1 = x.bounds.gpu0!.min; y1 <= cap(0); y1++) {
    for (let y2 = x.bounds.gpu1!.min; y2 <= cap(1); y2++) {
      const c = costOf(x, [y1, y2]);
      if ((best === null || c < best) && coverable2(x, y1, y2)) best = c;
    }
  }
  return best;
}

function decide(x: Small, slices: number | null) {
  return optimizeAllocation(optimizerConfig({ profiles: x.profiles, bounds: x.bounds, slices }), { demand: demandOf(x.profiles[0]!, x.rates) }, solver);
}

/** The decision is exhaustive search's optimum when some allocation covers the demand; otherwise `uncovered` checks it. */
function expectBest(d: ReturnType<typeof decide>, best: number | null, uncovered: () => void): void {
  if (best === null) return uncovered();
  expect(d.status).toBe('Optimal');
  expect(d.uncoveredRps).toBe(0);
  expect(d.costPerHour).toBeCloseTo(best, 9);
}

describe('the optimizer against exhaustive search', () => {
  test.prop([smallArb(1, 3), fc.constantFrom(1, 2)], { numRuns: RUNS })(
    "with S slices per bucket: HiGHS's optimum costs what the cheapest of every slice assignment costs",
    (x, S) => {
      fc.pre(buckets(x).length > 0);
      const d = decide(x, S);
      // No whole-slice assignment fits the maxima: split freely if that covers, else cover the most.
      expectBest(d, bruteForceSlices(x, S), () =>
        expect(d.reasons.some((r) => r === 'SlicesTooCoarse' || r === 'DemandAboveMaximum' || r === 'BucketNotServable')).toBe(true),
      );
    },
    LONG_TEST_TIMEOUT_MS,
  );

  test.prop([smallArb(2, 2)], { numRuns: RUNS })(
    'split freely, two types: the optimum costs what the cheapest coverable replica pair costs',
    (x) => {
      fc.pre(buckets(x).length > 0);
      const d = decide(x, null);
      expectBest(d, bruteForceSplit2(x), () => {
        expect(d.status).toBe('PartiallyCovered');
        expect(d.uncoveredRps).toBeGreaterThan(0);
      });
    },
    LONG_TEST_TIMEOUT_MS,
  );
});
