import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { Random } from '../random/prng.js';
import { RUNS } from '../testSupport.js';
import { better, paretoFront, searchScaler, type TaskRunner } from './search.js';
import { latinHypercube, neighbour, TUNABLE_SCALERS, tuneSpace, type TunePoint } from './searchSpace.js';

const scaler = fc.constantFrom(...TUNABLE_SCALERS);

test.prop([scaler, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 2 ** 31 - 1 })], { numRuns: RUNS })(
  'a Latin hypercube sample stays in every range, whole where it must be, and uses each stratum of each parameter once',
  (name, n, seed) => {
    const space = tuneSpace(name);
    const points = latinHypercube(space, n, new Random(seed));
    expect(points).toHaveLength(n);
    const problems: string[] = [];
    for (const q of space.parameters) {
      const strata = new Set<number>();
      for (const point of points) {
        const v = point[q.name]!;
        if (!(v >= q.min && v <= q.max)) problems.push(`${q.name}=${v} outside [${q.min}, ${q.max}]`);
        if (q.integer && !Number.isInteger(v)) problems.push(`${q.name}=${v} is not whole`);
        const u = q.scale === 'log' ? (Math.log(v) - Math.log(q.min)) / (Math.log(q.max) - Math.log(q.min)) : (v - q.min) / (q.max - q.min);
        strata.add(Math.min(n - 1, Math.floor(u * n)));
      }
      // Rounding (whole seconds, four decimals) may move a value across a stratum's edge, and only
      // as far as the next stratum: most strata are still hit.
      if (!q.integer && n <= 20 && strata.size < n - Math.ceil(n / 4)) problems.push(`${q.name}: ${strata.size} of ${n} strata`);
    }
    expect(problems).toEqual([]);
  },
);

test.prop([scaler, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.double({ min: 0.01, max: 1, noNaN: true })], { numRuns: RUNS })(
  'a neighbour moves one or two parameters and stays in every range',
  (name, seed, step) => {
    const space = tuneSpace(name);
    const random = new Random(seed);
    const from = latinHypercube(space, 1, random)[0]!;
    const to = neighbour(space, from, step, random);
    const moved = space.parameters.filter((q) => to[q.name] !== from[q.name]);
    expect(moved.length).toBeLessThanOrEqual(2);
    for (const q of space.parameters) {
      expect(to[q.name]).toBeGreaterThanOrEqual(q.min);
      expect(to[q.name]).toBeLessThanOrEqual(q.max);
    }
  },
);

const metrics = fc.record({ gpuHours: fc.double({ min: 0, max: 1000, noNaN: true }), sloAttainment: fc.double({ min: 0, max: 1, noNaN: true }) });

test.prop([fc.array(metrics, { minLength: 1, maxLength: 60 })], { numRuns: RUNS })(
  'the Pareto front: no member is dominated, and every candidate is matched or beaten by one of its members',
  (ms) => {
    const front = paretoFront(ms.map((tuning) => ({ tuning })));
    const dominates = (a: typeof ms[number], b: typeof ms[number]) =>
      a.gpuHours <= b.gpuHours && a.sloAttainment >= b.sloAttainment && (a.gpuHours < b.gpuHours || a.sloAttainment > b.sloAttainment);
    for (const f of front) for (const m of ms) expect(dominates(m, f.tuning)).toBe(false);
    for (const m of ms) expect(front.some((f) => f.tuning.gpuHours <= m.gpuHours && f.tuning.sloAttainment >= m.sloAttainment)).toBe(true);
  },
);

test.prop([metrics, metrics, fc.double({ min: 0.5, max: 1, noNaN: true })], { numRuns: RUNS })('better is a strict order: never both ways, never of a candidate with itself', (a, b, target) => {
  expect(better(a, b, target) && better(b, a, target)).toBe(false);
  expect(better(a, a, target)).toBe(false);
});

/** A made-up landscape instead of simulations: cost grows with the target factor's inverse, attainment with it. */
const landscape: TaskRunner = async (tasks) =>
  tasks.map((t) => {
    const f = t.point?.targetFactor ?? 1;
    const tuning = { gpuHours: (t.fraction * 100) / f, sloAttainment: Math.min(1, 1.2 - 0.2 * f) };
    return { tuning, validation: null };
  });

test.prop([scaler, fc.integer({ min: 1, max: 80 }), fc.integer({ min: 0, max: 1000 })], { numRuns: Math.min(RUNS, 50) })(
  'a search spends no more than its budget, is the same for the same seed, and its winner meets the target and beats the defaults',
  async (name, budget, seed) => {
    const run = (s: number) => searchScaler({ scaler: name, budget, seed: s, target: 0.99, minFraction: 0.1, run: landscape });
    const [a, b] = await Promise.all([run(seed), run(seed)]);
    expect(a.spent).toBeLessThanOrEqual(budget + 1e-9);
    expect(a.full.map((e) => e.point)).toEqual(b.full.map((e) => e.point));
    // The defaults (target factor 1) meet 0.99 here, so there is always a winner, no dearer than they are.
    expect(a.best).not.toBeNull();
    expect(a.best!.tuning.sloAttainment).toBeGreaterThanOrEqual(0.99);
    expect(a.best!.tuning.gpuHours).toBeLessThanOrEqual(100);
    const point: TunePoint | null = a.best!.point;
    if (point !== null) expect(point.targetFactor).toBeLessThanOrEqual(1.05);
  },
);
