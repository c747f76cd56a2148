import { describe, expect, it } from 'vitest';
import { T0 } from '../testSupport.js';
import { hpaCpuPodReady } from './cpuPodReady.js';
import { hpaConfig, type HpaConfigInput } from './hpaConfig.js';
import { type HpaInput, hpaInit, type HpaState, hpaStep } from './hpa.js';
import type { HpaMetricSpec, HpaPod } from './types.js';

const s = (seconds: number) => T0 + seconds * 1000;
const queue: HpaMetricSpec = { type: 'Pods', name: 'vllm:num_requests_waiting', target: { type: 'AverageValue', averageValueMilli: 5000 } };
const kv: HpaMetricSpec = { type: 'Pods', name: 'vllm:kv_cache_usage_perc', target: { type: 'AverageValue', averageValueMilli: 500 } };
const pods = (n: number): HpaPod[] => Array.from({ length: n }, (_, i) => ({ name: `p${i}`, phase: 'Running', ready: true }));
const each = (n: number, v: number | null) => Object.fromEntries(pods(n).map((p) => [p.name, v]));

function hpa(input: Partial<HpaConfigInput> = {}) {
  const config = hpaConfig({ maxReplicas: 20, metrics: [queue], ...input });
  let state: HpaState = hpaInit();
  return {
    step(t: number, current: number, metrics: HpaInput['metrics'], extra: Partial<HpaInput> = {}) {
      const r = hpaStep(config, state, { now: s(t), currentReplicas: current, pods: pods(current), metrics, ...extra });
      state = r.state;
      return r.decision;
    },
    get state() {
      return state;
    },
  };
}

describe('hpa scaler', () => {
  it('scales a Pods metric by the ratio to its target', () => {
    const d = hpa().step(0, 2, [{ podValuesMilli: { p0: 9000, p1: 11000 } }]);
    expect(d).toMatchObject({ desiredReplicas: 4, reasons: ['MetricAboveTarget'] });
    expect(d.detail.metrics[0]).toMatchObject({ replicas: 4, rawValueMilli: 10000, usageRatio: 2 });
  });

  it('takes the largest proposal of several metrics', () => {
    const d = hpa({ metrics: [queue, kv] }).step(0, 4, [{ podValuesMilli: each(4, 5000) }, { podValuesMilli: each(4, 1000) }]);
    expect(d.desiredReplicas).toBe(8);
  });

  it('lets a failed metric block scale-down but not scale-up', () => {
    const h = hpa({ metrics: [queue, kv] });
    const up = h.step(0, 4, [{ podValuesMilli: each(4, 10000) }, { error: 'scrape failed' }]);
    expect(up.desiredReplicas).toBe(8);
    const down = hpa({ metrics: [queue, kv] }).step(0, 4, [{ podValuesMilli: each(4, 100) }, { error: 'scrape failed' }]);
    expect(down).toMatchObject({ valid: false, desiredReplicas: 4, reasons: ['MetricError'] });
  });

  it('does nothing when every metric is missing, and never reads a missing pod as zero', () => {
    const d = hpa().step(0, 5, [{ podValuesMilli: each(5, null) }]);
    expect(d).toMatchObject({ valid: false, desiredReplicas: 5, reasons: ['NoMetrics'] });
  });

  it('stabilises scale-down over the legacy five-minute window', () => {
    const h = hpa();
    h.step(0, 4, [{ podValuesMilli: each(4, 5000) }]);
    const d = h.step(60, 4, [{ podValuesMilli: each(4, 1000) }]);
    expect(d).toMatchObject({ desiredReplicas: 4, reasons: ['MetricBelowTarget', 'ScaleDownStabilized'] });
    expect(h.step(400, 4, [{ podValuesMilli: each(4, 1000) }]).desiredReplicas).toBe(1);
  });

  it('caps scale-up at max(2 × current, 4) on the legacy path', () => {
    const d = hpa().step(0, 3, [{ podValuesMilli: each(3, 50000) }]);
    expect(d).toMatchObject({ desiredReplicas: 6, reasons: ['MetricAboveTarget', 'ScaleUpLimit'] });
  });

  it('applies behavior policies and counts its own scale events against them', () => {
    const h = hpa({ behavior: { scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } } });
    expect(h.step(0, 2, [{ podValuesMilli: each(2, 50000) }]).desiredReplicas).toBe(4);
    expect(h.state.scaleUpEvents).toEqual([{ change: 2, at: s(0), outdated: false }]);
    // 30 s later the 60 s period still holds the +2 from 2 replicas: the limit is 2 + 2.
    expect(h.step(30, 4, [{ podValuesMilli: each(4, 50000) }])).toMatchObject({ desiredReplicas: 4, reasons: ['MetricAboveTarget', 'ScaleUpLimit'] });
    expect(h.step(61, 4, [{ podValuesMilli: each(4, 50000) }]).desiredReplicas).toBe(6);
  });

  it('uses per-direction tolerance from behavior (KEP-4951)', () => {
    const values = [{ podValuesMilli: each(4, 5500) }];
    expect(hpa().step(0, 4, values).desiredReplicas).toBe(4); // ratio 1.1 is inside the default band
    expect(hpa({ behavior: { scaleUp: { tolerance: 0.05 } } }).step(0, 4, values).desiredReplicas).toBe(5);
  });

  it('an External Value target with every pod still starting proposes nothing, not 0: no scale-down during a cold start', () => {
    const external: HpaMetricSpec = { type: 'External', name: 'queue', target: { type: 'Value', valueMilli: 10_000 } };
    const starting: HpaPod[] = [0, 1, 2].map((i) => ({ name: `p${i}`, phase: 'Pending', ready: false }));
    // Twice the target on the queue: Kubernetes multiplies the ratio by 0 ready pods and proposes 0.
    const d = hpa({ minReplicas: 1, metrics: [external] }).step(0, 3, [{ valuesMilli: [20_000] }], { pods: starting });
    expect(d).toMatchObject({ desiredReplicas: 3, valid: false });
    expect(d.detail.metrics[0]?.replicas).toBeNull();
    // Another metric that asks for more still scales up.
    const both = hpa({ metrics: [external, queue] }).step(0, 3, [{ valuesMilli: [20_000] }, { podValuesMilli: { p0: 30_000, p1: null, p2: null } }], {
      pods: [{ name: 'p0', phase: 'Running', ready: true }, ...starting.slice(1)],
    });
    expect(both.desiredReplicas).toBeGreaterThan(3);
  });

  it('goes to the bounds without metrics when the current count is outside them', () => {
    expect(hpa({ minReplicas: 3 }).step(0, 1, [])).toMatchObject({ desiredReplicas: 3, reasons: ['TooFewReplicas'] });
    expect(hpa({ maxReplicas: 5 }).step(0, 9, [])).toMatchObject({ desiredReplicas: 5, reasons: ['TooManyReplicas'] });
  });

  it('leaves a target scaled to zero by its user alone, as Kubernetes does', () => {
    expect(hpa().step(0, 0, [{ podValuesMilli: {} }])).toMatchObject({ desiredReplicas: 0, reasons: ['ScalingDisabled'] });
  });

  it('leaves a target scaled to zero alone on an out-of-order sample too, rather than holding it at minReplicas', () => {
    const h = hpa({ minReplicas: 3 });
    h.step(10, 0, [{ podValuesMilli: {} }]);
    const before = h.state;
    expect(h.step(5, 0, [{ podValuesMilli: {} }])).toMatchObject({ desiredReplicas: 0, reasons: ['ScalingDisabled'] });
    expect(h.state).toBe(before);
  });
});

describe('hpa bad input', () => {
  it.each([Number.NaN, Infinity, -1000])('treats a metric with a value of %s as failed', (v) => {
    const d = hpa().step(0, 3, [{ podValuesMilli: { p0: 1000, p1: v, p2: 1000 } }]);
    expect(d).toMatchObject({ valid: false, desiredReplicas: 3, reasons: ['InvalidMetricValue'] });
  });

  it.each([-2, 1.5, Number.NaN])('throws InvalidReplicaCount for currentReplicas %s', (current) => {
    expect(() => hpaStep(hpaConfig({ maxReplicas: 3 }), hpaInit(), { now: s(0), currentReplicas: current, pods: [], metrics: [] })).toThrowError(
      expect.objectContaining({ code: 'InvalidReplicaCount' }),
    );
  });

  it('holds on an out-of-order sample and keeps its state', () => {
    const h = hpa();
    h.step(10, 2, [{ podValuesMilli: each(2, 5000) }]);
    const before = h.state;
    expect(h.step(5, 2, [{ podValuesMilli: each(2, 50000) }])).toMatchObject({ valid: false, reasons: ['OutOfOrderSample'] });
    expect(h.state).toBe(before);
  });

  it.each([0, -1])('rejects a target of %s, naming the field', (v) => {
    expect(() => hpaConfig({ maxReplicas: 3, metrics: [{ ...queue, target: { type: 'AverageValue', averageValueMilli: v } }] })).toThrowError(
      expect.objectContaining({ code: 'InvalidTarget', field: 'config.metrics[0].target.averageValueMilli' }),
    );
  });

  it('rejects a target type the metric type does not allow and an empty policy list', () => {
    expect(() => hpaConfig({ maxReplicas: 3, metrics: [{ type: 'Pods', name: 'x', target: { type: 'Value', valueMilli: 1 } } as never] })).toThrowError(/config\.metrics\[0\]\.target\.type/);
    expect(() => hpaConfig({ maxReplicas: 3, behavior: { scaleDown: { policies: [] } } })).toThrowError(/config\.behavior\.scaleDown\.policies/);
  });
});

describe('hpaCpuPodReady', () => {
  const base = { now: s(600), metricTimestamp: s(590), metricWindowMs: 30_000 };
  it('needs a ready condition and a start time', () => {
    expect(hpaCpuPodReady({ ...base, startTime: null, readyCondition: { status: true, lastTransitionTime: s(0) } })).toBe(false);
    expect(hpaCpuPodReady({ ...base, startTime: s(0), readyCondition: null })).toBe(false);
  });
  it('requires a young pod to have been ready for a whole metric window', () => {
    expect(hpaCpuPodReady({ ...base, startTime: s(500), readyCondition: { status: true, lastTransitionTime: s(570) } })).toBe(false);
    expect(hpaCpuPodReady({ ...base, startTime: s(500), readyCondition: { status: true, lastTransitionTime: s(550) } })).toBe(true);
  });
  it('counts an old unready pod as ready only if it was ready once after the readiness delay', () => {
    expect(hpaCpuPodReady({ ...base, startTime: s(0), readyCondition: { status: false, lastTransitionTime: s(10) } })).toBe(false);
    expect(hpaCpuPodReady({ ...base, startTime: s(0), readyCondition: { status: false, lastTransitionTime: s(200) } })).toBe(true);
  });
});
