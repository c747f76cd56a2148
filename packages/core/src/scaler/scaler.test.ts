import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Observation, PodSample } from './observation.js';
import { createScaler, type ScalerSpec } from './scaler.js';
import { hostileMetric, LONG_TEST_TIMEOUT_MS, RUNS, stepGap, T0, viaJson } from '../testSupport.js';

const pod = (name: string, value: number | null, over: Partial<PodSample> = {}): PodSample => ({
  name,
  phase: 'Running',
  ready: true,
  metrics: value === null ? {} : { waiting: value },
  ...over,
});
const obs = (pods: PodSample[], over: Partial<Observation> = {}): Observation => ({ now: T0 + 10_000, currentReplicas: pods.length, pods, ...over });

describe('createScaler', () => {
  it('kpa: estimates the revision total from the serving pods that reported, as Knative scrapes', () => {
    const s = createScaler({ algorithm: 'kpa', metric: 'waiting', config: { targetValue: 10, maxReplicas: 20 } });
    const pods = [pod('a', 10), pod('b', 20), pod('c', null), pod('d', 99, { phase: 'Pending', ready: false })];
    const { decision } = s.step(s.init({ now: T0, readyPods: 1 }), obs(pods));
    expect(decision.detail).toMatchObject({ decider: { stable: 45, readyPods: 3 } });
    expect(decision.desiredReplicas).toBe(5);
  });

  it('kpa: a global value in external is used as the total', () => {
    const s = createScaler({ algorithm: 'kpa', metric: 'waiting', config: { targetValue: 10, maxReplicas: 20 } });
    const { decision } = s.step(s.init({ now: T0, readyPods: 1 }), obs([pod('a', 1)], { external: { waiting: 70 } }));
    expect(decision.desiredReplicas).toBe(7);
  });

  it('apa: averages over the serving pods that reported', () => {
    const s = createScaler({ algorithm: 'apa', metric: 'waiting', config: { targetValue: 10, maxReplicas: 20 } });
    const { decision } = s.step(s.init({ now: T0, readyPods: 2 }), obs([pod('a', 30), pod('b', 10), pod('c', null), pod('x', 500, { deleting: true })], { currentReplicas: 2 }));
    expect(decision.detail).toMatchObject({ metricPerPod: 20 });
    expect(decision.desiredReplicas).toBe(4);
  });

  it('hpa: per-pod values become milli-units and Object metrics come from external', () => {
    const s = createScaler({
      algorithm: 'hpa',
      config: {
        maxReplicas: 20,
        metrics: [
          { type: 'Pods', name: 'waiting', target: { type: 'AverageValue', averageValueMilli: 5000 } },
          { type: 'Object', name: 'gateway_queue', target: { type: 'Value', valueMilli: 100_000 } },
        ],
      },
    });
    const step = (external: Record<string, number | null>) => s.step(s.init({ now: T0, readyPods: 2 }), obs([pod('a', 9), pod('b', 11)], { external })).decision;
    expect(step({ gateway_queue: 10 }).desiredReplicas).toBe(4);
    const busy = step({ gateway_queue: 400 });
    expect(busy.detail).toMatchObject({ metrics: [{ replicas: 4 }, { replicas: 8, rawValueMilli: 400_000 }] });
    expect(busy).toMatchObject({ desiredReplicas: 4, reasons: ['MetricAboveTarget', 'ScaleUpLimit'] }); // legacy: at most max(2 × 2, 4)
    expect(step({ gateway_queue: null }).desiredReplicas).toBe(4); // a failed metric may not block a scale-up
  });

  it('fixed: always the same count', () => {
    const s = createScaler({ algorithm: 'fixed', replicas: 3 });
    expect(s.step(s.init({ now: T0, readyPods: 0 }), obs([])).decision).toMatchObject({ desiredReplicas: 3, reasons: ['Fixed'] });
  });

  it('rejects an unknown algorithm, a bad config and a state of another scaler', () => {
    expect(() => createScaler({ algorithm: 'vpa' } as never)).toThrowError(expect.objectContaining({ field: 'spec.algorithm' }));
    expect(() => createScaler({ algorithm: 'apa', metric: 'x', config: { targetValue: -1, maxReplicas: 3 } })).toThrowError(
      expect.objectContaining({ code: 'InvalidTarget' }),
    );
    const kpa = createScaler({ algorithm: 'kpa', metric: 'x', config: { targetValue: 1, maxReplicas: 3 } });
    expect(() => kpa.step({ algorithm: 'hpa', hpa: { recommendations: [], scaleUpEvents: [], scaleDownEvents: [], lastNow: null } }, obs([]))).toThrowError(
      expect.objectContaining({ field: 'state.algorithm' }),
    );
  });
});

const spec: fc.Arbitrary<ScalerSpec> = fc.oneof(
  fc.record({ algorithm: fc.constant('kpa' as const), metric: fc.constant('waiting'), config: fc.record({ targetValue: fc.double({ min: 0.5, max: 50, noNaN: true }), maxReplicas: fc.integer({ min: 1, max: 40 }) }) }),
  fc.record({ algorithm: fc.constant('apa' as const), metric: fc.constant('waiting'), config: fc.record({ targetValue: fc.double({ min: 0.5, max: 50, noNaN: true }), maxReplicas: fc.integer({ min: 1, max: 40 }) }) }),
  fc.integer({ min: 1, max: 40 }).map((max): ScalerSpec => ({
    algorithm: 'hpa',
    config: { maxReplicas: max, metrics: [{ type: 'Pods', name: 'waiting', target: { type: 'AverageValue', averageValueMilli: 4000 } }] },
  })),
);
const sample = fc.record({
  phase: fc.constantFrom('Running' as const, 'Pending' as const),
  ready: fc.boolean(),
  value: hostileMetric,
});
const loop = fc.array(fc.record({ gap: stepGap, current: fc.integer({ min: 1, max: 40 }), pods: fc.array(sample, { maxLength: 10 }) }), { minLength: 1, maxLength: 20 });

test.prop([spec, loop], { numRuns: RUNS })('every scaler stays within its bounds on any observation, and its state survives JSON', (s, steps) => {
  const scaler = createScaler(s);
  let state = scaler.init({ now: T0, readyPods: 1 });
  let now = T0;
  for (const st of steps) {
    now += st.gap;
    const o: Observation = { now, currentReplicas: st.current, pods: st.pods.map((p, i) => pod(`p${i}`, p.value, { phase: p.phase, ready: p.ready })) };
    const r = scaler.step(state, o);
    expect(scaler.step(viaJson(state), o)).toStrictEqual(r);
    expect(Number.isInteger(r.decision.desiredReplicas)).toBe(true);
    expect(r.decision.desiredReplicas).toBeGreaterThanOrEqual(scaler.minReplicas);
    expect(r.decision.desiredReplicas).toBeLessThanOrEqual(scaler.maxReplicas);
    state = r.state;
  }
}, LONG_TEST_TIMEOUT_MS);
