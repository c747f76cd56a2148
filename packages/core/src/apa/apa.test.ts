import { describe, expect, it } from 'vitest';
import { T0 } from '../testSupport.js';
import { apaConfig, type ApaConfigInput } from './apaConfig.js';
import { apaInit, type ApaState, apaStep } from './apa.js';
import { apaRecommend } from './apaRecommend.js';

const s = (seconds: number) => T0 + seconds * 1000;

function apa(input: Partial<ApaConfigInput> = {}) {
  const config = apaConfig({ targetValue: 50, maxReplicas: 20, ...input });
  let state: ApaState = apaInit(config);
  return (t: number, currentReplicas: number, value: number | null) => {
    const r = apaStep(config, state, { now: s(t), currentReplicas, value });
    state = r.state;
    return r.decision;
  };
}

describe('apa formula', () => {
  const p = { targetValue: 50, upFluctuationTolerance: 0.1, downFluctuationTolerance: 0.1, maxScaleUpRate: 2, maxScaleDownRate: 2 };
  it('does not act inside the fluctuation band, compared strictly in doubles', () => {
    expect(apaRecommend(p, 5, 55)).toMatchObject({ replicas: 5, reason: 'WithinTolerance' }); // 1.1 is not > 1 + 0.1
    expect(apaRecommend(p, 5, 56)).toMatchObject({ replicas: 6, reason: 'MetricAboveTarget' });
  });
  it('caps each step by the rate limits and says so', () => {
    expect(apaRecommend(p, 2, 500)).toMatchObject({ replicas: 4, reason: 'ScaleUpLimit' });
    expect(apaRecommend(p, 8, 1)).toMatchObject({ replicas: 4, reason: 'ScaleDownLimit' });
  });
  it('holds with InvalidTarget instead of dividing by a zero target', () => {
    expect(apaRecommend({ ...p, targetValue: 0 }, 3, 10)).toMatchObject({ replicas: 3, reason: 'InvalidTarget' });
  });
});

describe('apa scaler', () => {
  it('averages the per-pod metric over its window', () => {
    const step = apa({ windowSeconds: 60 });
    step(0, 4, 100);
    expect(step(10, 4, 0)).toMatchObject({ desiredReplicas: 4, detail: { metricPerPod: 50, samples: 2 } });
  });

  it('damps scale-down with the cooldown (the highest recent recommendation), unlike AIBrix HEAD', () => {
    const step = apa({ windowSeconds: 10, scaleDownCooldownSeconds: 300 });
    expect(step(0, 4, 50).desiredReplicas).toBe(4);
    const d = step(20, 4, 10);
    expect(d).toMatchObject({ desiredReplicas: 4, reasons: ['ScaleDownLimit', 'ScaleDownStabilized'] });
    expect(step(320, 4, 10).desiredReplicas).toBe(2);
  });

  it('holds when the window has no sample younger than the window', () => {
    const step = apa({ windowSeconds: 30 });
    step(0, 3, 90);
    expect(step(100, 3, null)).toMatchObject({ valid: false, desiredReplicas: 3, reasons: ['NoMetrics'] });
  });

  it.each([Number.NaN, Infinity, -Infinity, -2])('holds on a metric value of %s', (v) => {
    expect(apa()(0, 3, v)).toMatchObject({ valid: false, desiredReplicas: 3, reasons: ['InvalidMetricValue'] });
  });

  it('stores a sample of -0 as 0, so its state decides the same after a JSON round trip (JSON has no -0)', () => {
    const config = apaConfig({ targetValue: 50, maxReplicas: 20 });
    const first = apaStep(config, apaInit(config), { now: s(0), currentReplicas: 1, value: -0 });
    const next = { now: s(1), currentReplicas: 1, value: null };
    expect(apaStep(config, JSON.parse(JSON.stringify(first.state)) as ApaState, next)).toStrictEqual(apaStep(config, first.state, next));
    expect(Object.is(first.decision.detail.metricPerPod, 0)).toBe(true);
  });

  it('holds on out-of-order samples and throws on a bad replica count', () => {
    const step = apa();
    step(10, 3, 50);
    expect(step(5, 3, 500).reasons).toEqual(['OutOfOrderSample']);
    expect(() => step(20, -1, 50)).toThrowError(expect.objectContaining({ code: 'InvalidReplicaCount' }));
  });

  it('rejects a zero target and a window of zero seconds, naming the field', () => {
    expect(() => apaConfig({ targetValue: 0, maxReplicas: 3 })).toThrowError(expect.objectContaining({ code: 'InvalidTarget', field: 'config.targetValue' }));
    expect(() => apaConfig({ targetValue: 1, maxReplicas: 3, windowSeconds: 0 })).toThrowError(expect.objectContaining({ field: 'config.windowSeconds' }));
  });
});
