import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { GPU_PROFILES } from '../gpu/gpuProfile.js';
import { RUNS } from '../testSupport.js';
import { IterationRun } from './iterationRun.js';

/** The last step of the run ending at or before t, by binary search over the run's step ends. */
function bySearch(run: IterationRun, t: number): number {
  let lo = run.applied;
  let hi = run.steps;
  if (run.start + run.seconds(hi) <= t) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (run.start + run.seconds(mid) <= t) lo = mid;
    else hi = mid;
  }
  return lo;
}

const gpuName = fc.constantFrom(...Object.keys(GPU_PROFILES));

test.prop(
  [gpuName, fc.integer({ min: 1, max: 256 }), fc.integer({ min: 0, max: 400_000 }), fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true })],
  { numRuns: RUNS },
)('stepsEndingBy finds the step a binary search over the step ends finds', (name, batch, ctxSum, steps, start, appliedPick, at) => {
  const run = new IterationRun();
  run.begin(start);
  run.planDecode(GPU_PROFILES[name]!, steps, batch, ctxSum);
  run.applied = appliedPick % steps;
  // Times from the applied step's end to past the run's end, and exact step ends.
  const from = start + run.seconds(run.applied);
  const span = run.endSeconds - run.seconds(run.applied);
  const k = run.applied + Math.floor(at * (steps - run.applied));
  for (const t of [from + at * span * 1.1, start + run.seconds(k), start + run.seconds(k) - 1e-12, from]) {
    expect(run.stepsEndingBy(t)).toBe(bySearch(run, t));
  }
});
