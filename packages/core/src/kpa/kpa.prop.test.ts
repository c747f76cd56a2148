import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { anyLoad, anyPositive, hostileMetric, LONG_TEST_TIMEOUT_MS, RUNS, stepGap, T0, viaJson } from '../testSupport.js';
import { type KpaConfig, kpaConfig } from './kpaConfig.js';
import { type KpaInput, kpaInit, type KpaState, kpaStep } from './kpa.js';

const config = fc
  .record({
    targetValue: fc.oneof(anyPositive(0.1, 100), fc.double({ min: Number.MIN_VALUE, max: 0.1, noNaN: true })),
    maxReplicas: fc.integer({ min: 1, max: 300 }),
    minFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    panicThreshold: fc.double({ min: 1.1, max: 10, noNaN: true }),
    stableWindowSeconds: fc.integer({ min: 6, max: 600 }),
    granularitySeconds: fc.integer({ min: 1, max: 6 }),
    maxScaleUpRate: anyPositive(1.01, 1000),
    maxScaleDownRate: anyPositive(1.01, 10),
    scaleDownDelaySeconds: fc.integer({ min: 0, max: 600 }),
    aggregation: fc.constantFrom('linear' as const, 'weighted-exponential' as const),
    activation: fc.integer({ min: 0, max: 5 }),
    initialScale: fc.integer({ min: 1, max: 5 }),
    reachable: fc.boolean(),
  })
  .map((r): KpaConfig => {
    const minReplicas = Math.floor(r.minFraction * r.maxReplicas);
    return kpaConfig({
      targetValue: r.targetValue,
      maxReplicas: r.maxReplicas,
      minReplicas,
      panicThreshold: r.panicThreshold,
      stableWindowSeconds: r.stableWindowSeconds,
      // Big enough that the panic window holds at least one bucket.
      panicWindowPercentage: Math.min(100, Math.ceil((100 * r.granularitySeconds) / r.stableWindowSeconds) + 10),
      granularitySeconds: r.granularitySeconds,
      maxScaleUpRate: r.maxScaleUpRate,
      maxScaleDownRate: r.maxScaleDownRate,
      scaleDownDelaySeconds: r.scaleDownDelaySeconds,
      aggregation: r.aggregation,
      activationScale: Math.min(r.activation, r.maxReplicas),
      initialScale: Math.min(r.initialScale, r.maxReplicas),
      reachable: r.reachable,
    });
  });

const step = fc.record({
  gap: stepGap,
  currentReplicas: fc.integer({ min: 0, max: 300 }),
  readyPods: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 300 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1.5, Number.NaN) }),
  value: hostileMetric,
});
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function run(c: KpaConfig, initialReady: number, steps: Step[]) {
  let state: KpaState = kpaInit(c, { now: T0, readyPods: initialReady });
  let now = T0;
  const out = [];
  for (const s of steps) {
    now += s.gap;
    const input: KpaInput = { now, currentReplicas: s.currentReplicas, readyPods: s.readyPods, value: s.value };
    const r = kpaStep(c, state, input);
    state = r.state;
    out.push(r.decision);
  }
  return { state, decisions: out, now };
}

const initialReady = fc.integer({ min: 0, max: 300 });
const steps = fc.array(step, { minLength: 1, maxLength: 25 });

test.prop([config, initialReady, steps], { numRuns: RUNS })('desired replicas is an integer within [min, max], never NaN', (c, ready, s) => {
  for (const d of run(c, ready, s).decisions) {
    expect(Number.isInteger(d.desiredReplicas)).toBe(true);
    expect(d.desiredReplicas).toBeGreaterThanOrEqual(c.minReplicas);
    expect(d.desiredReplicas).toBeLessThanOrEqual(c.maxReplicas);
    expect(d.reasons.length).toBeGreaterThan(0);
  }
}, LONG_TEST_TIMEOUT_MS);

test.prop([config, initialReady, steps], { numRuns: RUNS })('deterministic: the same inputs give identical decisions and state', (c, ready, s) => {
  expect(run(c, ready, s)).toStrictEqual(run(c, ready, s));
}, LONG_TEST_TIMEOUT_MS);

test.prop([config, initialReady, steps, steps], { numRuns: RUNS })('state survives JSON and gives identical later decisions', (c, ready, before, after) => {
  const first = run(c, ready, before);
  const continueFrom = (state: KpaState) => {
    let st = state;
    let now = first.now;
    return after.map((s) => {
      now += s.gap;
      const r = kpaStep(c, st, { now, currentReplicas: s.currentReplicas, readyPods: s.readyPods, value: s.value });
      st = r.state;
      return r;
    });
  };
  expect(continueFrom(viaJson(first.state))).toStrictEqual(continueFrom(first.state));
}, LONG_TEST_TIMEOUT_MS);

test.prop(
  [config, initialReady, steps, fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), anyLoad, anyLoad],
  { numRuns: RUNS },
)('more load never gives fewer replicas from the same state', (c, ready, s, gap, current, readyPods, a, b) => {
  const { state, now } = run(c, ready, s);
  const [low, high] = a <= b ? [a, b] : [b, a];
  const at = now + gap;
  const lo = kpaStep(c, state, { now: at, currentReplicas: current, readyPods, value: low }).decision;
  const hi = kpaStep(c, state, { now: at, currentReplicas: current, readyPods, value: high }).decision;
  expect(hi.desiredReplicas).toBeGreaterThanOrEqual(lo.desiredReplicas);
}, LONG_TEST_TIMEOUT_MS);
