import { describe, expect, it } from 'vitest';
import { PrescaleError } from '../errors.js';
import { T0, viaJson } from '../testSupport.js';
import { createKpaDecider, kpaDecide, type KpaDeciderSpec } from './decider.js';
import { kpaConfig, type KpaConfigInput } from './kpaConfig.js';
import { kpaInit, type KpaInput, type KpaState, kpaStep } from './kpa.js';

const s = (seconds: number) => T0 + seconds * 1000;

function scaler(overrides: Partial<KpaConfigInput> = {}, readyPods = 1) {
  const config = kpaConfig({ targetValue: 10, maxReplicas: 50, ...overrides });
  let state: KpaState = kpaInit(config, { now: s(0), readyPods });
  return {
    config,
    step(input: Partial<KpaInput> & { t: number }) {
      const r = kpaStep(config, state, { now: s(input.t), currentReplicas: 1, readyPods: 1, value: null, ...input });
      state = r.state;
      return r.decision;
    },
    get state() {
      return state;
    },
  };
}

describe('kpa scaler', () => {
  it('scales to the stable value over the target', () => {
    const k = scaler();
    for (let t = 1; t <= 10; t++) k.step({ t, value: 45 });
    const d = k.step({ t: 11, value: 45 });
    expect(d.desiredReplicas).toBe(5);
    expect(d.valid).toBe(true);
    expect(d.detail.decider?.stable).toBe(45);
  });

  it('enters panic on a burst and refuses to scale down during it', () => {
    const k = scaler({ maxScaleDownRate: 10 });
    k.step({ t: 1, readyPods: 2, currentReplicas: 2, value: 20 });
    const burst = k.step({ t: 2, readyPods: 2, currentReplicas: 2, value: 300 });
    expect(burst.reasons[0]).toBe('Panic');
    expect(burst.detail.decider?.inPanic).toBe(true);
    const after = k.step({ t: 20, readyPods: 16, currentReplicas: 16, value: 10 });
    expect(after.reasons[0]).toBe('PanicHold');
    expect(after.desiredReplicas).toBe(burst.desiredReplicas);
    // Knative leaves panic only after a full stable window without crossing the threshold.
    const calm = k.step({ t: 63, readyPods: 16, currentReplicas: 16, value: 10 });
    expect(calm.reasons[0]).toBe('Stable');
    expect(calm.desiredReplicas).toBeLessThan(burst.desiredReplicas);
  });

  it('starts in panic when more than one pod is ready, as Knative does after a restart', () => {
    const k = scaler({}, 8);
    const d = k.step({ t: 1, readyPods: 8, currentReplicas: 8, value: 1 });
    expect(d.detail.decider?.inPanic).toBe(true);
    expect(d.desiredReplicas).toBe(8);
  });

  it('holds at initialScale until the target first reaches it', () => {
    const k = scaler({ initialScale: 3 });
    expect(k.step({ t: 1, value: 1 }).desiredReplicas).toBe(3);
    expect(k.step({ t: 2, value: 1 }).reasons).toContain('InitialScale');
    k.step({ t: 3, readyPods: 3, currentReplicas: 3, value: 1 });
    expect(k.step({ t: 100, readyPods: 3, currentReplicas: 3, value: 1 }).desiredReplicas).toBe(1);
  });

  it('scales to zero only with minReplicas 0 and after the grace period', () => {
    const k = scaler({ minReplicas: 0, scaleToZeroGracePeriodSeconds: 30 });
    k.step({ t: 1, value: 0 });
    const early = k.step({ t: 20, value: 0 });
    expect(early.desiredReplicas).toBe(1);
    expect(early.reasons).toContain('ScaleToZeroGrace');
    expect(k.step({ t: 32, value: 0 }).desiredReplicas).toBe(0);
    expect(scaler().step({ t: 1, value: 0 }).desiredReplicas).toBe(1);
  });

  it('delays scale-down by the scale-down delay', () => {
    const k = scaler({ scaleDownDelaySeconds: 60, stableWindowSeconds: 6, maxScaleDownRate: 100 });
    for (let t = 1; t <= 6; t++) k.step({ t, value: 50, readyPods: 5, currentReplicas: 5 });
    const held = k.step({ t: 30, value: 10, readyPods: 5, currentReplicas: 5 });
    expect(held.desiredReplicas).toBe(5);
    expect(held.reasons[0]).toBe('ScaleDownDelayed');
    expect(k.step({ t: 70, value: 10, readyPods: 5, currentReplicas: 5 }).desiredReplicas).toBe(1);
  });

  it('explains the decision with the window values and the decider path', () => {
    const d = scaler().step({ t: 1, value: 25 });
    expect(d.message).toMatch(/^kpa: scale to 3 from 1 \(/);
    expect(d.detail).toMatchObject({ effectiveMinReplicas: 1, decider: { stable: 25, panic: 25, desiredStablePodCount: 3 } });
  });
});

describe('kpa bad input', () => {
  const bad = [Number.NaN, Infinity, -Infinity, -3];
  it.each(bad)('holds the current scale on a metric value of %s', (value) => {
    const k = scaler();
    k.step({ t: 1, value: 40, currentReplicas: 4, readyPods: 4 });
    const d = k.step({ t: 2, value, currentReplicas: 4, readyPods: 4 });
    expect(d).toMatchObject({ valid: false, desiredReplicas: 4, reasons: ['InvalidMetricValue'] });
  });

  it('holds rather than scaling to zero when there are no metrics', () => {
    const d = scaler({ minReplicas: 0 }).step({ t: 1, value: null, currentReplicas: 6, readyPods: 6 });
    expect(d).toMatchObject({ valid: false, desiredReplicas: 6, reasons: ['NoMetrics'] });
  });

  it('holds when the only samples are older than the stable window', () => {
    const k = scaler();
    k.step({ t: 1, value: 40, currentReplicas: 4, readyPods: 4 });
    expect(k.step({ t: 100, value: null, currentReplicas: 4, readyPods: 4 }).reasons).toEqual(['NoMetrics']);
  });

  it('holds a current scale above maxReplicas at the bound, not above it', () => {
    const d = scaler({ maxReplicas: 5 }).step({ t: 1, value: Number.NaN, currentReplicas: 9 });
    expect(d).toMatchObject({ desiredReplicas: 5, reasons: ['InvalidMetricValue', 'TooManyReplicas'] });
  });

  it.each([-1, 2.5, Number.NaN])('holds on an unusable ready-pod count (%s)', (readyPods) => {
    expect(scaler().step({ t: 1, value: 40, readyPods, currentReplicas: 3 })).toMatchObject({ valid: false, desiredReplicas: 3, reasons: ['InvalidReadyPods'] });
  });

  it.each([-1, 2.5, Number.NaN, Infinity])('throws InvalidReplicaCount for currentReplicas %s', (currentReplicas) => {
    expect(() => scaler().step({ t: 1, value: 1, currentReplicas })).toThrowError(expect.objectContaining({ code: 'InvalidReplicaCount', field: 'input.currentReplicas' }));
  });

  it('holds on a sample older than the previous step and keeps its state', () => {
    const k = scaler();
    k.step({ t: 10, value: 30, currentReplicas: 3, readyPods: 3 });
    const before = k.state;
    const d = k.step({ t: 5, value: 90, currentReplicas: 3, readyPods: 3 });
    expect(d).toMatchObject({ valid: false, desiredReplicas: 3, reasons: ['OutOfOrderSample'] });
    expect(k.state).toBe(before);
  });

  it('throws InvalidTime for a time that is not a finite, non-negative number', () => {
    expect(() => scaler().step({ t: Number.NaN })).toThrowError(expect.objectContaining({ code: 'InvalidTime' }));
  });

  it.each([0, -5, Number.NaN])('rejects a target value of %s', (targetValue) => {
    expect(() => kpaConfig({ targetValue, maxReplicas: 3 })).toThrowError(expect.objectContaining({ code: 'InvalidTarget', field: 'config.targetValue' }));
  });

  it('rejects a panic window shorter than the bucket granularity', () => {
    expect(() => kpaConfig({ targetValue: 1, maxReplicas: 3, granularitySeconds: 10 })).toThrowError(
      expect.objectContaining({ code: 'WindowShorterThanGranularity', field: 'config.panicWindowPercentage' }),
    );
  });

  it('rejects bad bounds and unknown settings by name', () => {
    expect(() => kpaConfig({ targetValue: 1, maxReplicas: 3, minReplicas: 4 })).toThrowError(expect.objectContaining({ field: 'config.minReplicas' }));
    expect(() => kpaConfig({ targetValue: 1, maxReplicas: 2.5 })).toThrowError(expect.objectContaining({ field: 'config.maxReplicas' }));
    expect(() => kpaConfig({ targetValue: 1, maxReplicas: 3, stableWindow: 60 } as never)).toThrowError(/config\.stableWindow is not a known setting/);
    expect(() => kpaConfig({ targetValue: 1, maxReplicas: 3, maxScaleDownRate: 1 })).toThrowError(PrescaleError);
  });
});

describe('kpa state at the extremes of the number range', () => {
  it('extreme finite samples saturate instead of storing Infinity, so the state gives the same decisions after a JSON round trip', () => {
    const config = kpaConfig({ targetValue: 10, maxReplicas: 50, stableWindowSeconds: 60, panicWindowPercentage: 10 });
    const steps: Array<Partial<KpaInput> & { t: number }> = [
      { t: 1, value: Number.MAX_VALUE },
      { t: 1.5, value: Number.MAX_VALUE }, // the same 1 s bucket: the sum overflows a double
      { t: 2, value: 5 },
      { t: 8, value: 5 },
      { t: 20, value: 5 },
      { t: 75, value: 5 }, // the extreme bucket has left both windows
      { t: 80, value: 5 },
    ];
    const run = (restoreAfter: number | null) => {
      let state = kpaInit(config, { now: s(0), readyPods: 1 });
      return steps.map((step, i) => {
        const r = kpaStep(config, state, { now: s(step.t), currentReplicas: 2, readyPods: 2, value: null, ...step });
        state = i === restoreAfter ? viaJson(r.state) : r.state;
        for (const w of [r.state.stableWindow, r.state.panicWindow]) {
          expect(w.buckets.every(Number.isFinite)).toBe(true);
          expect(Number.isFinite(w.windowTotal)).toBe(true);
        }
        return r.decision;
      });
    };
    const straight = run(null);
    for (let i = 0; i < steps.length - 1; i++) expect(run(i)).toStrictEqual(straight);
    // Once the extreme samples have left the windows, the running totals come back down:
    // the stable window holds 5 + 5 over its 60 buckets, the 6 s panic window just the 5.
    expect(straight.at(-2)!.detail.decider).toMatchObject({ stable: 0.166667, panic: 5 });
  });
});

describe('kpa: an extreme but finite load', () => {
  it.each(['linear' as const, 'weighted-exponential' as const])('scales up to maxReplicas with %s aggregation instead of holding as if the value were invalid', (aggregation) => {
    const config = kpaConfig({ targetValue: 10, maxReplicas: 50, aggregation });
    const state = kpaInit(config, { now: s(0), readyPods: 2 });
    const { decision } = kpaStep(config, state, { now: s(1), currentReplicas: 2, readyPods: 2, value: Number.MAX_VALUE });
    expect(decision).toMatchObject({ desiredReplicas: 50, valid: true });
    expect(Number.isFinite(decision.detail.decider!.stable)).toBe(true);
  });
});

describe('kpa decider', () => {
  const spec: KpaDeciderSpec = {
    targetValue: 10, totalValue: 10, targetBurstCapacity: 0, panicThreshold: 2, maxScaleUpRate: 10,
    maxScaleDownRate: 2, stableWindowSeconds: 60, scaleDownDelaySeconds: 0, activationScale: 0, reachable: true,
  };
  it('reports no decision, with its reason, when a window value is missing or unusable', () => {
    const state = createKpaDecider(spec, s(0), 1);
    expect(kpaDecide(spec, state, { now: s(1), readyPods: 1, stable: null, panic: 3 }).result).toEqual({ valid: false, reason: 'NoMetrics' });
    expect(kpaDecide(spec, state, { now: s(1), readyPods: 1, stable: Number.NaN, panic: 3 }).result).toEqual({ valid: false, reason: 'InvalidMetricValue' });
    expect(kpaDecide(spec, state, { now: s(1), readyPods: null, stable: 1, panic: 1 }).result).toEqual({ valid: false, reason: 'InvalidReadyPods' });
  });

  it('says when a rate limit bounded the count', () => {
    const r = kpaDecide(spec, createKpaDecider(spec, s(0), 0), { now: s(1), readyPods: 1, stable: 1000, panic: 10 }).result;
    expect(r).toMatchObject({ valid: true, desiredPodCount: 10, rateLimited: 'ScaleUpLimit' });
  });
});
