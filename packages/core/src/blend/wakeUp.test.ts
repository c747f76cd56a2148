/**
 * Scale to zero and predictive wake-up in the blend (issue 21, item 2): with
 * `minReplicas: 0`, the forecast wakes the target one lead time before the traffic it
 * expects (upper quantile at or above `zeroBelowRps`); an unexpected request still
 * wakes it reactively; the decision says which path woke it. The examples here fix
 * `wakeUpWaitsPerGpuHour: 0` (no price gate, a paused target held while traffic is
 * expected); the bounded hold and the price gate are in wakeUpHold.test.ts.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { ReasonCode } from '../decision.js';
import type { Observation } from '../scaler/observation.js';
import { createScaler, type ScalerDecision } from '../scaler/scaler.js';
import { anyLoad, LONG_TEST_TIMEOUT_MS, RUNS } from '../testSupport.js';
import type { BlendForecaster } from './blend.js';
import type { BlendForecast } from './blendForecast.js';
import { blendRule, type BlendRuleInput } from './blendRule.js';
import { type PredictiveConfigInput, predictiveConfig } from './predictiveConfig.js';

const BIN = 600_000;
const NOW = 1_700_000_400_000; // the start of a 10-minute bin
const zeroBounds = { minReplicas: 0, maxReplicas: 20, activationScale: 2 };
const config = (input: Partial<PredictiveConfigInput> = {}) => predictiveConfig({ mode: 'auto', capacityPerReplica: 1, leadTimeSeconds: 480, zeroBelowRps: 0.01, wakeUpWaitsPerGpuHour: 0, ...input });

/** A forecast of `uppers` requests per second in consecutive bins from the current one. */
function forecast(uppers: number[]): BlendForecast {
  return {
    ok: true,
    history: { state: 'WeeklyPattern', haveMs: 21 * 86_400_000 },
    points: uppers.map((u, k) => ({ targetMs: NOW + k * BIN, p50: (u * 600) / 2, upper: u * 600, model: 'scryer', parameters: 'stub', recentError: 0.1 })),
  };
}

const reactive = (desiredReplicas: number, reasons: ReasonCode[] = ['Stable']) => ({ desiredReplicas, reasons, valid: true });
const input = (over: Partial<BlendRuleInput>): BlendRuleInput => ({ now: NOW, currentReplicas: 0, reactive: reactive(0), forecast: forecast([0, 0]), ...over });

describe('blendRule: scale to zero and wake-up', () => {
  it('lets the target go to zero only while the forecast over the lead time is below the threshold', () => {
    expect(blendRule(config(), zeroBounds, input({ currentReplicas: 1, forecast: forecast([0.009, 0.009]) }))).toMatchObject({ desiredReplicas: 0, predictedReplicas: 0, wokenBy: null });
    expect(blendRule(config(), zeroBounds, input({ currentReplicas: 1, forecast: forecast([0.01, 0]) }))).toMatchObject({ desiredReplicas: 2, predictedReplicas: 2, winner: 'predicted' });
  });

  it('wakes the target with the activation scale one lead time before the traffic the forecast expects, and says so', () => {
    // Traffic in the next bin (10 minutes ahead): not yet within an 8-minute lead time…
    expect(blendRule(config(), zeroBounds, input({ forecast: forecast([0, 5]) }))).toMatchObject({ desiredReplicas: 0, wokenBy: null });
    // …but within a 10-minute one.
    const woken = blendRule(config({ leadTimeSeconds: 600 }), zeroBounds, input({ forecast: forecast([0, 5]) }));
    expect(woken).toMatchObject({ desiredReplicas: 5, wokenBy: 'predicted', reasons: ['PredictedAboveReactive', 'PredictiveWakeUp'] });
    // A forecast under one replica's load still wakes the activation scale.
    expect(blendRule(config(), zeroBounds, input({ forecast: forecast([0.5]) }))).toMatchObject({ desiredReplicas: 2, wokenBy: 'predicted' });
  });

  it('still wakes the target for a request the forecast did not expect (reactive path), and says so', () => {
    const r = blendRule(config(), zeroBounds, input({ reactive: reactive(1, ['Stable']) }));
    expect(r).toMatchObject({ desiredReplicas: 1, wokenBy: 'reactive', reasons: ['ReactiveAtLeastPredicted', 'ReactiveWakeUp', 'Stable'] });
    const none: BlendForecast = { ok: false, history: null, reason: 'NotEnoughHistory', message: 'too little' };
    expect(blendRule(config(), zeroBounds, input({ reactive: reactive(1), forecast: none }))).toMatchObject({ desiredReplicas: 1, wokenBy: 'reactive', reasons: ['NotEnoughHistory', 'ReactiveWakeUp', 'Stable'] });
  });

  it('lets the scale-down floor reach zero only below the threshold', () => {
    const floor = config({ scaleDownFloorSeconds: 1200 });
    expect(blendRule(floor, zeroBounds, input({ currentReplicas: 3, forecast: forecast([0, 0, 0.001]) }))).toMatchObject({ desiredReplicas: 0 });
    expect(blendRule(floor, zeroBounds, input({ currentReplicas: 3, forecast: forecast([0, 0, 0.5]) }))).toMatchObject({ desiredReplicas: 2, winner: 'floor' });
  });

  it('reports the replicas to pre-warm for over the lead time plus prewarmSeconds', () => {
    const r = blendRule(config({ prewarmSeconds: 600 }), zeroBounds, input({ forecast: forecast([0, 3, 9]) }));
    expect(r).toMatchObject({ desiredReplicas: 0, prewarmReplicas: 3 });
    expect(blendRule(config(), zeroBounds, input({ forecast: forecast([0, 3]) })).prewarmReplicas).toBeNull();
  });

  it('changes nothing with minReplicas above zero', () => {
    expect(blendRule(config(), { minReplicas: 1, maxReplicas: 20 }, input({ forecast: forecast([0.001]) }))).toMatchObject({ desiredReplicas: 1, predictedReplicas: 1, wokenBy: null });
  });

  it('defaults the threshold to one request per lead time (at least a minute)', () => {
    expect(predictiveConfig({ capacityPerReplica: 1 }).zeroBelowRps).toBe(1 / 480);
    expect(predictiveConfig({ capacityPerReplica: 1, leadTimeSeconds: 533 }).zeroBelowRps).toBe(1 / 533);
    expect(predictiveConfig({ capacityPerReplica: 1, leadTimeSeconds: 0 }).zeroBelowRps).toBe(1 / 60);
    expect(() => predictiveConfig({ capacityPerReplica: 1, zeroBelowRps: -1 })).toThrow(/zeroBelowRps/);
  });
});

const rule = fc.record({
  threshold: fc.double({ min: 0, max: 10, noNaN: true }),
  lead: fc.integer({ min: 0, max: 3600 }),
  wakeLeadShare: fc.double({ min: 0, max: 1, noNaN: true }),
  hold: fc.integer({ min: 0, max: 3600 }),
  price: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1000, noNaN: true })),
  uppers: fc.array(anyLoad, { minLength: 1, maxLength: 8 }),
  current: fc.integer({ min: 0, max: 40 }),
  reactive: fc.integer({ min: 0, max: 40 }),
  max: fc.integer({ min: 1, max: 40 }),
  activation: fc.integer({ min: 0, max: 5 }),
  capacity: fc.double({ min: 0.01, max: 100, noNaN: true }),
  phase: fc.constantFrom('armed', 'woken', 'serving', 'spent'),
  sinceAgo: fc.integer({ min: -3_600_000, max: 86_400_000 }),
  traffic: fc.boolean(),
});

test.prop([rule], { numRuns: RUNS })('never zero while the wake-up rule holds; woken only when the forecast expects traffic; an integer within the bounds, never NaN', (s) => {
  const c = config({ zeroBelowRps: s.threshold, leadTimeSeconds: s.lead, wakeUpLeadSeconds: s.lead * s.wakeLeadShare, wakeUpHoldSeconds: s.hold, wakeUpWaitsPerGpuHour: s.price, capacityPerReplica: s.capacity });
  const bounds = { minReplicas: 0, maxReplicas: s.max, activationScale: Math.min(s.activation, s.max) };
  const f = forecast(s.uppers.map((u) => u / 600));
  const wakeUp = { phase: s.phase, sinceMs: NOW - s.sinceAgo };
  const r = blendRule(c, bounds, input({ currentReplicas: s.current, reactive: reactive(Math.min(s.reactive, s.max)), forecast: f, wakeUp, traffic: s.traffic }));
  expect(Number.isInteger(r.desiredReplicas)).toBe(true);
  expect(r.desiredReplicas).toBeGreaterThanOrEqual(0);
  expect(r.desiredReplicas).toBeLessThanOrEqual(s.max);
  expect(r.wakeUp).not.toBeNull();
  const w = r.wakeUp!;
  if (w.hold) expect(r.desiredReplicas).toBeGreaterThanOrEqual(Math.max(1, bounds.activationScale));
  const ahead = f.ok ? f.points.filter((p) => p.targetMs <= NOW + c.wakeUpLeadMs).map((p) => p.upper / 600) : [];
  expect(w.expected).toBe(ahead.some((rps) => rps >= s.threshold));
  if (w.hold) expect(w.expected).toBe(true);
  if (!w.expected) expect(w.phase).toBe(s.traffic ? 'serving' : 'armed');
  if (r.wokenBy !== null) expect(s.current === 0 && r.desiredReplicas > 0).toBe(true);
  if (s.current === 0 && r.desiredReplicas > 0) expect(r.reasons[1]).toBe(r.wokenBy === 'predicted' ? 'PredictiveWakeUp' : 'ReactiveWakeUp');
  // A reactive scaler that wants replicas always gets them: the surprise request still wakes.
  expect(r.desiredReplicas).toBeGreaterThanOrEqual(Math.min(s.reactive, s.max));
}, LONG_TEST_TIMEOUT_MS);

/** A forecaster with the same upper quantile, `rps` requests per second, in every bin. */
function flat(rps: number): BlendForecaster {
  return (request) => {
    const atMs = request.atMs!;
    const points = Array.from({ length: request.horizonMs! / BIN }, (_, k) => ({ targetMs: atMs + k * BIN, horizonMs: (k + 1) * BIN, model: 'scryer' as const, parameters: 'stub', point: rps * 600, p50: rps * 600, upper: rps * 600, samples: 100, recentError: 0.1 }));
    return { status: 'ok', model: 'auto', issuedMs: atMs, binMs: BIN, quantile: 0.9, history: { state: 'WeeklyPattern', haveMs: 21 * 86_400_000 }, points };
  };
}

const steps = fc.array(
  fc.record({ gapSeconds: fc.integer({ min: 1, max: 900 }), running: fc.oneof(fc.constant(null), fc.nat({ max: 30 }), fc.constant(Number.NaN)), queued: fc.oneof(fc.constant(undefined), fc.nat({ max: 30 })), rps: fc.double({ min: 0, max: 1, noNaN: true }), current: fc.nat({ max: 10 }) }),
  { minLength: 1, maxLength: 20 },
);

test.prop([fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 200, noNaN: true }), steps], { numRuns: RUNS })(
  'the blend scaler over a KPA with minReplicas 0: never zero while the wake-up rule holds, and a waiting request always wakes the target, whatever the metrics',
  (threshold, forecastRps, price, trace) => {
    const scaler = createScaler(
      {
        algorithm: 'blend',
        reactive: { algorithm: 'kpa', metric: 'running', config: { targetValue: 2, minReplicas: 0, maxReplicas: 10, activationScale: 2 } },
        predictive: { mode: 'auto', capacityPerReplica: 1, zeroBelowRps: threshold, wakeUpWaitsPerGpuHour: price },
      },
      { forecaster: flat(forecastRps) },
    );
    let now = NOW + 1000;
    // A day of history, so the forecaster is asked from the first step.
    let state = scaler.seed(scaler.init({ now, readyPods: 0 }), { startMs: NOW - 144 * BIN, binMs: BIN, values: Array.from({ length: 144 }, () => 0), utcOffsetMinutes: 0 });
    for (const s of trace) {
      now += s.gapSeconds * 1000;
      const observation: Observation = {
        now,
        currentReplicas: s.current,
        pods: Array.from({ length: s.current }, (_, i) => ({ name: `p${i}`, phase: 'Running' as const, ready: true, metrics: { running: s.running } })),
        ...(s.current === 0 && s.queued !== undefined ? { external: { running: s.queued } } : {}),
        requestRate: s.rps,
      };
      const step: { state: typeof state; decision: ScalerDecision } = scaler.step(state, observation);
      state = step.state;
      expect(JSON.parse(JSON.stringify(state))).toEqual(state);
      const d = step.decision;
      expect(Number.isInteger(d.desiredReplicas) && d.desiredReplicas >= 0 && d.desiredReplicas <= 10).toBe(true);
      if (d.scaler !== 'blend') throw new Error('not the blend');
      if (d.detail.wakeUp?.hold) expect(d.desiredReplicas).toBeGreaterThanOrEqual(2);
      if (s.current === 0 && (s.queued ?? 0) > 0) {
        expect(d.desiredReplicas).toBeGreaterThan(0);
        expect(d.detail.wokenBy).not.toBeNull();
        if (!d.detail.wakeUp?.hold) expect(d.detail.wokenBy).toBe('reactive');
      }
    }
  },
  LONG_TEST_TIMEOUT_MS,
);
