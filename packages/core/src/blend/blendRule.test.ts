import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { ReasonCode } from '../decision.js';
import { anyLoad, LONG_TEST_TIMEOUT_MS, RUNS } from '../testSupport.js';
import type { BlendForecast } from './blendForecast.js';
import { type BurstFactor, noBurst } from './burstFactor.js';
import { blendRule, type BlendRuleInput } from './blendRule.js';
import { type PredictiveConfigInput, predictiveConfig } from './predictiveConfig.js';

const BIN = 600_000;
const NOW = 1_700_000_400_000; // 2023-11-14T22:20Z, inside a 10-minute bin
const ISSUED = Math.floor(NOW / BIN) * BIN;
const bounds = { minReplicas: 1, maxReplicas: 20 };
const config = (input: Partial<PredictiveConfigInput> = {}) => predictiveConfig({ mode: 'auto', capacityPerReplica: 1, leadTimeSeconds: 480, ...input });

/** A forecast of `uppers` requests per second in consecutive bins from the current one. */
function forecast(uppers: number[], recentError = 0.1): BlendForecast {
  return {
    ok: true,
    history: { state: 'WeeklyPattern', haveMs: 21 * 86_400_000 },
    points: uppers.map((u, k) => ({ targetMs: ISSUED + k * BIN, p50: (u * 600) / 2, upper: u * 600, model: 'scryer', parameters: 'weekly k=4 pattern only', recentError })),
  };
}

const reactive = (desiredReplicas: number, reasons: ReasonCode[] = ['Stable'], valid = true) => ({ desiredReplicas, reasons, valid });
const input = (over: Partial<BlendRuleInput>): BlendRuleInput => ({ now: NOW, currentReplicas: 4, reactive: reactive(4), forecast: forecast([3, 9]), ...over });

describe('blendRule', () => {
  it('adds the replicas the forecast needs over the lead window', () => {
    // The lead window [22:20, 22:28] reaches the next bin (22:30 starts after it): only the current bin counts.
    expect(blendRule(config(), bounds, input({}))).toMatchObject({ desiredReplicas: 4, winner: 'reactive', predictedReplicas: 3, reasons: ['ReactiveAtLeastPredicted', 'Stable'] });
    const longer = blendRule(config({ leadTimeSeconds: 900 }), bounds, input({}));
    expect(longer).toMatchObject({ desiredReplicas: 9, winner: 'predicted', predictedReplicas: 9, wouldBeReplicas: 9, reasons: ['PredictedAboveReactive'] });
    expect(longer.forecast).toMatchObject({ value: 9, p50: 4.5, targetMs: ISSUED + BIN, model: 'scryer' });
  });

  it('divides by the target utilisation and clamps to the bounds, saying which', () => {
    expect(blendRule(config({ leadTimeSeconds: 900, targetUtilization: 0.5 }), bounds, input({}))).toMatchObject({ desiredReplicas: 18, predictedReplicas: 18 });
    expect(blendRule(config({ leadTimeSeconds: 900 }), { minReplicas: 1, maxReplicas: 6 }, input({}))).toMatchObject({ desiredReplicas: 6, reasons: ['PredictedAboveReactive', 'TooManyReplicas'] });
  });

  it('preview decides reactively and reports what auto would have done', () => {
    const r = blendRule(config({ mode: 'preview', leadTimeSeconds: 900 }), bounds, input({ reactive: reactive(2, ['MetricBelowTarget']) }));
    expect(r).toMatchObject({ desiredReplicas: 2, wouldBeReplicas: 9, winner: 'predicted', reasons: ['PredictionPreview', 'MetricBelowTarget'] });
  });

  it('holds a scale-down at the floor, never above the current count', () => {
    const floor = config({ scaleDownFloorSeconds: 1200 });
    expect(blendRule(floor, bounds, input({ currentReplicas: 12, reactive: reactive(2), forecast: forecast([1, 7, 30]) }))).toMatchObject({
      desiredReplicas: 12,
      winner: 'floor',
      floorReplicas: 12,
      reasons: ['PredictiveFloor'],
    });
    expect(blendRule(floor, bounds, input({ currentReplicas: 12, reactive: reactive(2), forecast: forecast([1, 5]) }))).toMatchObject({ desiredReplicas: 5, floorReplicas: 5 });
  });

  it('falls back to the reactive decision, with the reason, without a usable forecast', () => {
    const none: BlendForecast = { ok: false, history: null, reason: 'NotEnoughHistory', message: 'have 10 min of demand history, need 2880 min' };
    expect(blendRule(config(), bounds, input({ forecast: none }))).toMatchObject({ desiredReplicas: 4, reasons: ['NotEnoughHistory', 'Stable'], predictedReplicas: null, fallback: /need 2880 min/ });
    expect(blendRule(config({ mode: 'off' }), bounds, input({ forecast: null }))).toMatchObject({ reasons: ['PredictionOff', 'Stable'], fallback: 'mode off' });
    expect(blendRule(config(), bounds, input({ forecast: null, reactive: reactive(0, ['ScalingDisabled']) }))).toMatchObject({ desiredReplicas: 0, reasons: ['ScalingDisabled'] });
    const gated = blendRule(config({ maxRecentError: 0.2, leadTimeSeconds: 900 }), bounds, input({ forecast: forecast([3, 9], 0.4) }));
    expect(gated).toMatchObject({ desiredReplicas: 4, reasons: ['LowConfidence', 'Stable'], predictedReplicas: 9, fallback: /recent error 0.400/ });
  });
});

/** A computed burst factor. */
const burst = (factor: number): BurstFactor => ({ factor, quantile: 0.5, ratioQuantile: factor, ratios: 40, from: 'weekly-slot', note: null });

describe('blendRule: the burst factor', () => {
  it('multiplies the forecast of each bin before it becomes replicas, and says so when it decides', () => {
    const r = blendRule(config({ burstQuantile: 0.5 }), bounds, input({ forecast: forecast([3, 9]), burst: [burst(2), burst(1.1)] }));
    expect(r).toMatchObject({ desiredReplicas: 6, predictedReplicas: 6, winner: 'predicted', reasons: ['PredictedAboveReactive', 'BurstAllowance'] });
    expect(r.forecast).toMatchObject({ value: 3, burstFactor: 2, planned: 6, burst: { from: 'weekly-slot', ratios: 40, quantile: 0.5 } });
    // The bin with the highest planned load decides, not the highest forecast.
    const longer = blendRule(config({ burstQuantile: 0.5, leadTimeSeconds: 900 }), bounds, input({ forecast: forecast([6, 5]), burst: [burst(1), burst(1.5)] }));
    expect(longer).toMatchObject({ predictedReplicas: 8, forecast: { targetMs: ISSUED + BIN, value: 5, planned: 7.5 } });
  });

  it('no BurstAllowance when the reactive scaler wants at least as much', () => {
    const r = blendRule(config({ burstQuantile: 0.5 }), bounds, input({ reactive: reactive(8), forecast: forecast([3, 9]), burst: [burst(2), burst(2)] }));
    expect(r).toMatchObject({ desiredReplicas: 8, predictedReplicas: 6, reasons: ['ReactiveAtLeastPredicted', 'Stable'] });
  });

  it('raises the scale-down floor too, never above the current count', () => {
    const floor = config({ burstQuantile: 0.5, scaleDownFloorSeconds: 1200 });
    const r = blendRule(floor, bounds, input({ currentReplicas: 12, reactive: reactive(2), forecast: forecast([1, 4]), burst: [burst(1), burst(2)] }));
    expect(r).toMatchObject({ desiredReplicas: 8, floorReplicas: 8, reasons: ['PredictiveFloor', 'BurstAllowance'] });
    expect(blendRule(floor, bounds, input({ currentReplicas: 5, reactive: reactive(2), forecast: forecast([1, 4]), burst: [burst(1), burst(2)] }))).toMatchObject({
      desiredReplicas: 5,
    });
  });

  it('without factors, with factors of another length or unusable ones: factor 1, the decision of today', () => {
    const today = blendRule(config(), bounds, input({ forecast: forecast([5, 9]) }));
    for (const given of [undefined, null, [burst(2)], [burst(Number.NaN), burst(Infinity)], [burst(0.5), burst(-3)], [noBurst(0.5, 'only 3 bins with a known peak'), noBurst(0.5, 'x')]]) {
      const r = blendRule(config({ burstQuantile: 0.5 }), bounds, input({ forecast: forecast([5, 9]), ...(given !== undefined ? { burst: given } : {}) }));
      expect(r.desiredReplicas).toBe(today.desiredReplicas);
      expect(r.reasons).toEqual(today.reasons);
      expect(r.forecast!.burstFactor).toBe(1);
      expect(r.forecast!.planned).toBe(r.forecast!.value);
    }
  });
});

test.prop(
  [
    fc.constantFrom<'auto' | 'preview'>('auto', 'preview'),
    fc.array(anyLoad, { minLength: 1, maxLength: 4 }),
    fc.integer({ min: 0, max: 40 }),
    fc.integer({ min: 0, max: 40 }),
    fc.constantFrom(0, 1800),
  ],
  { numRuns: RUNS },
)('prediction only adds capacity (the floor apart, which never goes above the current count), within the bounds', (mode, uppers, desired, current, floorSeconds) => {
  const r = blendRule(config({ mode, scaleDownFloorSeconds: floorSeconds }), bounds, input({ currentReplicas: current, reactive: reactive(desired), forecast: forecast(uppers) }));
  expect(Number.isInteger(r.desiredReplicas)).toBe(true);
  if (mode === 'preview') expect(r.desiredReplicas).toBe(desired);
  else if (r.winner === 'floor') expect(r.desiredReplicas).toBeLessThanOrEqual(Math.max(current, bounds.minReplicas));
  else expect(r.desiredReplicas).toBeGreaterThanOrEqual(Math.min(desired, bounds.maxReplicas));
  if (r.winner !== 'reactive' && mode === 'auto') {
    expect(r.desiredReplicas).toBeGreaterThanOrEqual(bounds.minReplicas);
    expect(r.desiredReplicas).toBeLessThanOrEqual(bounds.maxReplicas);
  }
}, LONG_TEST_TIMEOUT_MS);

test.prop(
  [
    fc.array(fc.tuple(anyLoad, fc.oneof(fc.double({ min: 0, max: 10, noNaN: false }), fc.constantFrom(Number.NaN, Infinity, -1, Number.MAX_VALUE))), { minLength: 1, maxLength: 4 }),
    fc.integer({ min: 0, max: 40 }),
    fc.integer({ min: 0, max: 40 }),
    fc.constantFrom(0, 1800),
  ],
  { numRuns: RUNS },
)('a burst factor only ever adds to what prediction without it decides, within the bounds, and never lets a bad factor through', (points, desired, current, floorSeconds) => {
  const uppers = points.map((p) => p[0]);
  const given = points.map((p) => burst(p[1]));
  const on = blendRule(config({ burstQuantile: 0.5, scaleDownFloorSeconds: floorSeconds }), bounds, input({ currentReplicas: current, reactive: reactive(desired), forecast: forecast(uppers), burst: given }));
  const off = blendRule(config({ scaleDownFloorSeconds: floorSeconds }), bounds, input({ currentReplicas: current, reactive: reactive(desired), forecast: forecast(uppers) }));
  expect(Number.isInteger(on.desiredReplicas)).toBe(true);
  expect(on.desiredReplicas).toBeGreaterThanOrEqual(off.desiredReplicas);
  expect(on.desiredReplicas).toBeGreaterThanOrEqual(bounds.minReplicas);
  expect(on.desiredReplicas).toBeLessThanOrEqual(bounds.maxReplicas);
  if (on.winner === 'floor') expect(on.desiredReplicas).toBeLessThanOrEqual(Math.max(current, bounds.minReplicas));
  expect(Number.isFinite(on.forecast!.planned)).toBe(true);
  expect(on.forecast!.burstFactor).toBeGreaterThanOrEqual(1);
}, LONG_TEST_TIMEOUT_MS);
