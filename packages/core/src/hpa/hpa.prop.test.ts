import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { anyLoad, hostileMetric, LONG_TEST_TIMEOUT_MS, RUNS, stepGap, T0, viaJson } from '../testSupport.js';
import { type HpaConfig, hpaConfig } from './hpaConfig.js';
import { type HpaInput, hpaInit, type HpaState, hpaStep } from './hpa.js';
import type { HpaBehavior, HpaMetricSpec, HpaMetricValue, HpaPod, HpaScalingRules, PodPhase } from './types.js';

/** A target in milli-units: usually modest, sometimes as large as an int64 quantity gets. */
const milli = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 50_000 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }) });
const metricSpec: fc.Arbitrary<HpaMetricSpec> = fc.oneof(
  fc.integer({ min: 1, max: 200 }).map((u): HpaMetricSpec => ({ type: 'Resource', name: 'cpu', target: { type: 'Utilization', averageUtilization: u } })),
  milli.map((v): HpaMetricSpec => ({ type: 'Pods', name: 'queue', target: { type: 'AverageValue', averageValueMilli: v } })),
  milli.map((v): HpaMetricSpec => ({ type: 'Object', name: 'obj', target: { type: 'Value', valueMilli: v } })),
  milli.map((v): HpaMetricSpec => ({ type: 'External', name: 'ext', target: { type: 'AverageValue', averageValueMilli: v } })),
);

const rules: fc.Arbitrary<HpaScalingRules | null> = fc.option(
  fc.record(
    {
      stabilizationWindowSeconds: fc.integer({ min: 0, max: 600 }),
      selectPolicy: fc.constantFrom('Max' as const, 'Min' as const, 'Disabled' as const),
      policies: fc.array(
        fc.record({ type: fc.constantFrom('Pods' as const, 'Percent' as const), value: fc.integer({ min: 1, max: 200 }), periodSeconds: fc.integer({ min: 1, max: 600 }) }),
        { minLength: 1, maxLength: 3 },
      ),
      tolerance: fc.double({ min: 0, max: 0.5, noNaN: true }),
    },
    { requiredKeys: [] },
  ),
);

const behavior: fc.Arbitrary<HpaBehavior | null> = fc.option(fc.record({ scaleUp: rules, scaleDown: rules }));

const config = fc
  .record({ max: fc.integer({ min: 1, max: 100 }), minFraction: fc.double({ min: 0, max: 1, noNaN: true }), metrics: fc.array(metricSpec, { minLength: 1, maxLength: 3 }), behavior })
  .map((r): HpaConfig => hpaConfig({ maxReplicas: r.max, minReplicas: Math.floor(r.minFraction * r.max), metrics: r.metrics, behavior: r.behavior }));

/** A pod of the target, its readiness, and its metric value (null: missing). */
const pod = fc.record({
  phase: fc.constantFrom<PodPhase>('Running', 'Running', 'Running', 'Running', 'Pending', 'Failed'),
  ready: fc.boolean(),
  deleting: fc.boolean(),
  // Milli-units as an adapter hands them over: usually whole, sometimes any double, missing or hostile.
  value: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 100_000 }) }, { weight: 3, arbitrary: hostileMetric }),
});

/** Pods matching the current replica count, and one reading per metric. */
const observation = (c: HpaConfig) =>
  fc.record({
    gap: stepGap,
    currentReplicas: fc.integer({ min: 0, max: 120 }),
    pods: fc.array(pod, { maxLength: 8 }),
    scalar: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 200_000 }) }, { weight: 3, arbitrary: hostileMetric.map((v) => v ?? 0) }),
    // A metric fails one time in five.
    fail: fc.array(fc.integer({ min: 0, max: 4 }).map((x) => x === 0), { minLength: c.metrics.length, maxLength: c.metrics.length }),
  });
type Obs = { gap: number; currentReplicas: number; pods: Array<{ phase: PodPhase; ready: boolean; deleting: boolean; value: number | null }>; scalar: number; fail: boolean[] };

function input(c: HpaConfig, o: Obs, now: number, extra = 0): HpaInput {
  const pods: HpaPod[] = o.pods.map((p, i) => ({ name: `p${i}`, phase: p.phase, ready: p.ready, deleting: p.deleting, requestsMilli: { cpu: 1000 } }));
  const metrics: HpaMetricValue[] = c.metrics.map((m, k) => {
    if (o.fail[k]) return { error: 'unavailable' };
    if (m.type === 'Resource' || m.type === 'Pods') {
      return { podValuesMilli: Object.fromEntries(o.pods.map((p, i) => [`p${i}`, p.value === null ? null : p.value + extra])) };
    }
    return m.type === 'Object' ? { valueMilli: o.scalar + extra } : { valuesMilli: [o.scalar + extra] };
  });
  return { now, currentReplicas: o.currentReplicas, pods, metrics };
}

const scenario = config.chain((c) => fc.tuple(fc.constant(c), fc.array(observation(c), { minLength: 1, maxLength: 15 }), fc.array(observation(c), { minLength: 1, maxLength: 5 })));

function run(c: HpaConfig, obs: Obs[], from: HpaState = hpaInit(), start = T0) {
  let state = from;
  let now = start;
  const decisions = obs.map((o) => {
    now += o.gap;
    const r = hpaStep(c, state, input(c, o, now));
    state = r.state;
    return r.decision;
  });
  return { state, decisions, now };
}

test.prop([scenario], { numRuns: RUNS })('desired replicas is an integer within [min, max], never NaN', ([c, obs]) => {
  for (const d of run(c, obs).decisions) {
    expect(Number.isInteger(d.desiredReplicas)).toBe(true);
    if (d.currentReplicas === 0 && c.minReplicas > 0) {
      // Kubernetes leaves a target its user scaled to zero alone.
      expect(d.desiredReplicas).toBe(0);
      expect(d.reasons).toEqual(['ScalingDisabled']);
      continue;
    }
    expect(d.desiredReplicas).toBeGreaterThanOrEqual(c.minReplicas);
    expect(d.desiredReplicas).toBeLessThanOrEqual(c.maxReplicas);
  }
}, LONG_TEST_TIMEOUT_MS);

test.prop([scenario], { numRuns: RUNS })('deterministic', ([c, obs]) => {
  expect(run(c, obs)).toStrictEqual(run(c, obs));
}, LONG_TEST_TIMEOUT_MS);

test.prop([scenario], { numRuns: RUNS })('state survives JSON and gives identical later decisions', ([c, before, after]) => {
  const first = run(c, before);
  expect(run(c, after, viaJson(first.state), first.now)).toStrictEqual(run(c, after, first.state, first.now));
}, LONG_TEST_TIMEOUT_MS);

test.prop([scenario, fc.integer({ min: 0, max: 50_000 }), fc.array(anyLoad, { minLength: 8, maxLength: 8 }), anyLoad], { numRuns: RUNS })('more load never gives fewer replicas from the same state', ([c, before, after], extra, loads, scalar) => {
  const { state, now } = run(c, before);
  // The same load, and more: valid readings over the whole finite range (hostile ones are not "load").
  const o: Obs = { ...after[0]!, scalar, pods: after[0]!.pods.map((p, i) => ({ ...p, value: p.value === null ? null : loads[i]! })) };
  // Pods as the HPA expects them in steady state: one per replica, Running and ready.
  // (With no ready pod, Kubernetes' Object/External Value path proposes ceil(ratio × 0) = 0
  // however high the load; prescale keeps that upstream behaviour, see docs/algorithms.md.)
  const replicas = Math.min(Math.max(o.pods.length, c.minReplicas), c.maxReplicas);
  const steady: Obs = {
    ...o,
    currentReplicas: replicas,
    pods: Array.from({ length: replicas }, (_, i) => ({ value: o.pods[i]?.value ?? 1000, phase: 'Running', ready: true, deleting: false })),
  };
  const lo = hpaStep(c, state, input(c, steady, now + o.gap)).decision;
  const hi = hpaStep(c, state, input(c, steady, now + o.gap, extra)).decision;
  expect(hi.desiredReplicas).toBeGreaterThanOrEqual(lo.desiredReplicas);
}, LONG_TEST_TIMEOUT_MS);
