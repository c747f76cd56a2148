import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { anyLoad, anyPositive, hostileMetric, LONG_TEST_TIMEOUT_MS, RUNS, stepGap, T0, viaJson } from '../testSupport.js';
import { type ApaConfig, apaConfig } from './apaConfig.js';
import { apaInit, type ApaState, apaStep } from './apa.js';

const config = fc
  .record({
    targetValue: fc.oneof(anyPositive(0.01, 100), fc.double({ min: Number.MIN_VALUE, max: 0.01, noNaN: true })),
    maxReplicas: fc.integer({ min: 1, max: 300 }),
    minFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    up: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), anyPositive(1, 10)),
    down: fc.double({ min: 0, max: 1, noNaN: true }),
    rUp: anyPositive(1.01, 10),
    rDown: anyPositive(1.01, 10),
    windowSeconds: fc.integer({ min: 1, max: 600 }),
    upCooldown: fc.integer({ min: 0, max: 600 }),
    downCooldown: fc.integer({ min: 0, max: 600 }),
  })
  .map(
    (r): ApaConfig =>
      apaConfig({
        targetValue: r.targetValue,
        maxReplicas: r.maxReplicas,
        minReplicas: Math.floor(r.minFraction * r.maxReplicas),
        upFluctuationTolerance: r.up,
        downFluctuationTolerance: r.down,
        maxScaleUpRate: r.rUp,
        maxScaleDownRate: r.rDown,
        windowSeconds: r.windowSeconds,
        scaleUpCooldownSeconds: r.upCooldown,
        scaleDownCooldownSeconds: r.downCooldown,
      }),
  );

const step = fc.record({ gap: stepGap, currentReplicas: fc.integer({ min: 0, max: 300 }), value: hostileMetric });
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;
const steps = fc.array(step, { minLength: 1, maxLength: 25 });

function run(c: ApaConfig, steps: Step[], from: ApaState = apaInit(c), start = T0) {
  let state = from;
  let now = start;
  const decisions = steps.map((s) => {
    now += s.gap;
    const r = apaStep(c, state, { now, currentReplicas: s.currentReplicas, value: s.value });
    state = r.state;
    return r.decision;
  });
  return { state, decisions, now };
}

test.prop([config, steps], { numRuns: RUNS })('desired replicas is an integer within [min, max], never NaN', (c, s) => {
  for (const d of run(c, s).decisions) {
    expect(Number.isInteger(d.desiredReplicas)).toBe(true);
    expect(d.desiredReplicas).toBeGreaterThanOrEqual(c.minReplicas);
    expect(d.desiredReplicas).toBeLessThanOrEqual(c.maxReplicas);
  }
}, LONG_TEST_TIMEOUT_MS);

test.prop([config, steps], { numRuns: RUNS })('deterministic', (c, s) => {
  expect(run(c, s)).toStrictEqual(run(c, s));
}, LONG_TEST_TIMEOUT_MS);

test.prop([config, steps, steps], { numRuns: RUNS })('state survives JSON and gives identical later decisions', (c, before, after) => {
  const first = run(c, before);
  expect(run(c, after, viaJson(first.state), first.now)).toStrictEqual(run(c, after, first.state, first.now));
}, LONG_TEST_TIMEOUT_MS);

test.prop(
  [config, steps, stepGap, fc.integer({ min: 0, max: 300 }), anyLoad, anyLoad],
  { numRuns: RUNS },
)('more load never gives fewer replicas from the same state', (c, s, gap, current, a, b) => {
  const { state, now } = run(c, s);
  const [low, high] = a <= b ? [a, b] : [b, a];
  const lo = apaStep(c, state, { now: now + gap, currentReplicas: current, value: low }).decision;
  const hi = apaStep(c, state, { now: now + gap, currentReplicas: current, value: high }).decision;
  expect(hi.desiredReplicas).toBeGreaterThanOrEqual(lo.desiredReplicas);
}, LONG_TEST_TIMEOUT_MS);
