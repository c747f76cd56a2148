import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../scaler/observation.js';
import type { ReactiveSpec } from '../scaler/reactive.js';
import { createScaler, type Scaler, type ScalerDecision, type ScalerState } from '../scaler/scaler.js';
import type { BinnedSeries } from '../series/binnedSeries.js';
import { anyDouble, anyPositive, hostileMetric, LONG_TEST_TIMEOUT_MS, RUNS, viaJson } from '../testSupport.js';
import type { BlendDetail, BlendForecaster } from './blend.js';
import type { PredictiveConfigInput } from './predictiveConfig.js';
import { emptyDemandHistory, recordRate, seedDemandHistory } from './demandHistory.js';
import { forecast } from '../forecast/forecast.js';
import type { ForecastResult } from '../forecast/forecastResult.js';
import { MAX_INT32 } from '../goMath.js';
import { replicasForLoad } from './replicasForLoad.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const reactive: ReactiveSpec = { algorithm: 'apa', metric: 'queue', config: { targetValue: 10, minReplicas: 1, maxReplicas: 40 } };
const base: PredictiveConfigInput = { mode: 'auto', capacityPerReplica: 1, binSeconds: 3600, leadTimeSeconds: 480, settings: { evaluationDays: 2, minEvaluationSamples: 12 } };

/** Three weeks of hourly demand (requests per hour) with a daily peak. */
function demand(weeks = 3): BinnedSeries {
  const values = Array.from({ length: weeks * 168 }, (_, i) => Math.round(3600 * (5 + 4 * Math.sin(((i % 24) - 6) / 24 * 2 * Math.PI)) + ((i * 7919) % 97)));
  return { startMs: T0, binMs: HOUR, values, utcOffsetMinutes: 0 };
}

function obs(now: number, currentReplicas: number, queue: number | null, requestRate: number | null): Observation {
  return { now, currentReplicas, pods: [{ name: 'p0', phase: 'Running', ready: true, metrics: { queue } }], requestRate };
}

/** The blend of `reactive` and `predictive`, with a custom forecaster if given. */
function blendScaler(predictive: PredictiveConfigInput, forecaster?: BlendForecaster): Scaler {
  return createScaler({ algorithm: 'blend', reactive, predictive }, forecaster ? { forecaster } : {});
}

/** The blend's detail of a decision (failing the test if another scaler made it). */
function detailOf(decision: ScalerDecision): BlendDetail {
  if (decision.scaler !== 'blend') throw new Error(`expected a blend decision, got ${decision.scaler}`);
  return decision.detail;
}

/** Demand as the blend is seeded with it: requests per second. */
function rates(series: BinnedSeries): BinnedSeries {
  return { ...series, values: series.values.map((v) => (v === null ? null : v / (series.binMs / 1000))) };
}

/** A forecaster that returns one point per bin with the given values, or throws. */
function stub(upper: number | number[] | 'throw'): BlendForecaster {
  return (request): ForecastResult => {
    if (upper === 'throw') throw new Error('model exploded');
    const issuedMs = request.atMs!;
    const values = Array.from({ length: request.horizonMs! / HOUR }, (_, k) => (typeof upper === 'number' ? upper : upper[Math.min(k, upper.length - 1)]!));
    return {
      status: 'ok',
      model: 'auto',
      issuedMs,
      binMs: HOUR,
      quantile: 0.9,
      history: { state: 'WeeklyPattern', haveMs: 3 * 7 * 86_400_000 },
      points: values.map((v, k) => ({ targetMs: issuedMs + k * HOUR, horizonMs: (k + 1) * HOUR, model: 'scryer', parameters: 'stub', point: v, p50: v, upper: v, samples: 100, recentError: 0.1 })),
    };
  };
}

describe('blend', () => {
  const end = T0 + 3 * 168 * HOUR;

  it('adds capacity ahead of the daily peak from the learned pattern, and explains itself', () => {
    const scaler = blendScaler(base);
    const state = scaler.seed(scaler.init({ now: end, readyPods: 1 }), rates(demand()));
    // 11:55: the reactive scaler sees a calm queue, the forecast knows the noon peak.
    const { decision } = scaler.step(state, obs(end + 11.9 * HOUR, 3, 5, 3));
    const d = detailOf(decision);
    expect(d.history?.state).toBe('WeeklyPattern');
    expect(d.forecast).not.toBeNull();
    expect(d.predictedReplicas).toBe(Math.ceil(d.forecast!.value - 1e-9));
    expect(decision.desiredReplicas).toBe(Math.max(d.reactiveReplicas, d.predictedReplicas!));
    expect(decision.reasons[0]).toBe(d.winner === 'predicted' ? 'PredictedAboveReactive' : 'ReactiveAtLeastPredicted');
    expect(d.forecast!.value).toBeGreaterThan(8);
    expect(d.predictedReplicas).toBeGreaterThan(d.reactiveReplicas);
  });

  it('preview decides reactively and reports the would-be replicas', () => {
    const scaler = blendScaler({ ...base, mode: 'preview' }, stub(36_000));
    const { decision } = scaler.step(scaler.seed(scaler.init({ now: end, readyPods: 1 }), rates(demand())), obs(end + 60_000, 2, 20, 5));
    const d = detailOf(decision);
    expect(decision.desiredReplicas).toBe(d.reactiveReplicas);
    expect(d.predictedReplicas).toBe(10);
    expect(d.wouldBeReplicas).toBe(10);
    expect(decision.reasons[0]).toBe('PredictionPreview');
  });

  it('off: the reactive decision, and no forecast', () => {
    const scaler = blendScaler({ ...base, mode: 'off' }, stub('throw'));
    const { decision } = scaler.step(scaler.init({ now: end, readyPods: 1 }), obs(end, 2, 20, 5));
    expect(decision.reasons[0]).toBe('PredictionOff');
    expect(decision.desiredReplicas).toBe(detailOf(decision).reactiveReplicas);
  });

  it.each([
    ['throws', stub('throw'), /threw: model exploded/],
    ['returns NaN', stub(Number.NaN), /non-finite/],
    ['returns Infinity', stub(Infinity), /non-finite/],
    ['returns more than a billion requests per second', stub(2e9 * 3600), /not plausible demand/],
  ])('a forecaster that %s: the reactive decision, saying so', (_, forecaster, message) => {
    const scaler = blendScaler(base, forecaster);
    const { decision } = scaler.step(scaler.seed(scaler.init({ now: end, readyPods: 1 }), rates(demand())), obs(end + 60_000, 2, 20, 5));
    const d = detailOf(decision);
    expect(decision.reasons[0]).toBe('ForecastFailed');
    expect(decision.desiredReplicas).toBe(d.reactiveReplicas);
    expect(d.fallback).toMatch(message);
  });

  it('too little history: NotEnoughHistory, reactive only', () => {
    const scaler = blendScaler(base);
    const short = { ...demand(), values: demand().values.slice(0, 10) };
    const { decision } = scaler.step(scaler.seed(scaler.init({ now: T0, readyPods: 1 }), rates(short)), obs(T0 + 10 * HOUR + 1, 2, 20, 5));
    expect(decision.reasons[0]).toBe('NotEnoughHistory');
    expect(detailOf(decision).predictedReplicas).toBeNull();
  });

  it('confidence gating: a model whose recent error is too high is not used', () => {
    const scaler = blendScaler({ ...base, maxRecentError: 0.05 }, stub(36_000));
    const { decision } = scaler.step(scaler.seed(scaler.init({ now: end, readyPods: 1 }), rates(demand())), obs(end + 60_000, 2, 20, 5));
    expect(decision.reasons[0]).toBe('LowConfidence');
    expect(decision.desiredReplicas).toBe(detailOf(decision).reactiveReplicas);
  });

  it('the predictive floor holds a scale-down at what the forecast needs, never above the current count', () => {
    const scaler = blendScaler({ ...base, scaleDownFloorSeconds: 3600 }, stub([3600, 7 * 3600, 20 * 3600]));
    const state = scaler.seed(scaler.init({ now: end, readyPods: 1 }), rates(demand()));
    const { decision } = scaler.step(state, obs(end + 60_000, 12, 0.5, 1)); // floor window: this hour and the next
    const d = detailOf(decision);
    expect(d.reactiveReplicas).toBeLessThan(7);
    expect(d.predictedReplicas).toBe(1);
    expect(decision.desiredReplicas).toBe(7);
    expect(decision.reasons[0]).toBe('PredictiveFloor');
  });

  it('is a core Scaler: createScaler builds it; its state is bounded plain JSON', () => {
    const scaler = createScaler({ algorithm: 'blend', reactive, predictive: { ...base, settings: { ...base.settings, maxWeeks: 1 } } });
    let state = scaler.init({ now: T0, readyPods: 1 });
    for (let k = 0; k < 400; k++) state = scaler.step(state, obs(T0 + k * HOUR, 2, 10, 5)).state;
    expect(state.algorithm === 'blend' && state.blend.history.values.length).toBe(168);
    const a = scaler.step(state, obs(T0 + 400 * HOUR, 2, 10, 5)).decision;
    const b = scaler.step(viaJson(state), obs(T0 + 400 * HOUR, 2, 10, 5)).decision;
    expect(b).toEqual(a);
    expect(() => createScaler({ algorithm: 'blend', reactive: { algorithm: 'blend', reactive, predictive: base } as never, predictive: base })).toThrowError(/reactive/);
    expect(() => blendScaler({ ...base, capacityPerReplica: 0 })).toThrowError(expect.objectContaining({ field: 'predictive.capacityPerReplica' }));
  });
});

describe('blend: implausible demand', () => {
  const end = T0 + 3 * 168 * HOUR;

  it.each([1e300, 2e9, -5, Number.NaN, Infinity])('a seeded rate of %s is a gap, counted: the decision is the one with a gap there', (bad) => {
    const scaler = blendScaler(base);
    const at = 3 * 168 - 30;
    const seed = (v: number | null) => {
      const series = rates(demand());
      return scaler.seed(scaler.init({ now: end, readyPods: 1 }), { ...series, values: series.values.map((x, i) => (i === at ? v : x)) });
    };
    const o = obs(end + 11.9 * HOUR, 3, 5, 3);
    const withBad = scaler.step(seed(bad), o);
    const withGap = scaler.step(seed(null), o);
    const d = detailOf(withBad.decision);
    expect(d.implausibleDemand).toBe(1);
    expect(withBad.decision).toEqual({ ...withGap.decision, detail: { ...detailOf(withGap.decision), implausibleDemand: 1 } });
    expect(withBad.decision.desiredReplicas).toBeLessThan(40);
    expect(Number.isSafeInteger(d.predictedReplicas)).toBe(true);
  });

  it('an observed rate that is implausible is not recorded, is counted, and never makes the state unsafe for JSON', () => {
    const scaler = blendScaler(base, stub(36_000));
    let state = scaler.init({ now: end, readyPods: 1 });
    const seen: number[] = [];
    for (const [k, rate] of [Number.MAX_VALUE, Number.MAX_VALUE, 2e9, -1, 4, null].entries()) {
      const o = obs(end + k * 60_000, 2, 10, rate);
      const r = scaler.step(state, o);
      expect(scaler.step(viaJson(state), o)).toStrictEqual(r);
      seen.push(detailOf(r.decision).implausibleDemand);
      state = r.state;
    }
    expect(seen).toEqual([1, 2, 3, 4, 4, 4]);
    expect(state.algorithm === 'blend' && state.blend.history.open).toEqual({ bin: end / HOUR, rateSum: 4, samples: 1 });
  });

  it('predictedReplicas is always an int32: a plausible load far beyond one replica saturates at MAX_INT32', () => {
    const scaler = blendScaler({ ...base, capacityPerReplica: 1e-6 }, stub(3600 * 1e9));
    const { decision } = scaler.step(scaler.seed(scaler.init({ now: end, readyPods: 1 }), rates(demand())), obs(end + 60_000, 2, 20, 5));
    const d = detailOf(decision);
    expect(d.fallback).toBeNull();
    expect(d.predictedReplicas).toBe(MAX_INT32);
    expect(decision).toMatchObject({ desiredReplicas: 40, reasons: ['PredictedAboveReactive', 'TooManyReplicas'] });
    expect(replicasForLoad(Number.NaN, 1, 1)).toBe(0);
    expect(replicasForLoad(Infinity, 1, 1)).toBe(MAX_INT32);
    expect(replicasForLoad(-3, 1, 1)).toBe(0);
    expect(replicasForLoad(10.000000001, 1, 1)).toBe(10);
  });
});

describe('blend: an observation older than the previous one', () => {
  const end = T0 + 3 * 168 * HOUR;

  it('holds as the reactive scaler does, says so, and neither forecasts for the past nor refits', () => {
    const scaler = blendScaler(base);
    const seeded = scaler.seed(scaler.init({ now: end, readyPods: 1 }), rates(demand()));
    const first = scaler.step(seeded, obs(end + 11.9 * HOUR, 3, 5, 3));
    expect(detailOf(first.decision).predictedReplicas).toBeGreaterThan(3);
    const late = scaler.step(first.state, obs(end + 2 * HOUR, 3, 5, 3));
    const d = detailOf(late.decision);
    expect(late.decision).toMatchObject({ desiredReplicas: 3, valid: false, reasons: ['OutOfOrderSample'] });
    expect(d).toMatchObject({ winner: 'reactive', predictedReplicas: null, fit: null, fallback: expect.stringMatching(/older than the previous/) });
    expect(late.state).toStrictEqual(first.state);
  });
});

describe('blend: fitted now and then, forecast at every bin', () => {
  const end = T0 + 3 * 168 * HOUR;
  const seeded = (predictive: PredictiveConfigInput) => {
    const scaler = blendScaler(predictive);
    return { scaler, state: scaler.seed(scaler.init({ now: end, readyPods: 1 }), rates(demand())) };
  };

  it('forecasts from the kept fit between refits, refits on the cadence, and says when and why', () => {
    const { scaler, state: s0 } = seeded({ ...base, refitSeconds: 6 * 3600 });
    let state = s0;
    const fits: Array<{ at: number; fittedMs: number; refit: string | null }> = [];
    for (let k = 0; k < 14 * 6; k++) {
      const now = end + k * 600_000;
      const { state: next, decision } = scaler.step(state, obs(now, 3, 5, 3));
      state = viaJson(next);
      const d = detailOf(decision);
      expect(d.fit).not.toBeNull();
      expect(d.fit!.horizons.map((h) => h.model)).toContain(d.forecast!.model);
      expect(d.fit!.nextFitMs).toBe(d.fit!.fittedMs + 6 * HOUR);
      fits.push({ at: now, fittedMs: d.fit!.fittedMs, refit: d.fit!.refit });
    }
    const made = fits.filter((f) => f.refit !== null);
    expect(made.map((f) => f.at)).toEqual([end, end + 6 * HOUR, end + 12 * HOUR]);
    expect(made[0]!.refit).toBe('no fit yet');
    expect(made[1]!.refit).toMatch(/360 min since the last fit/);
    for (const f of fits) expect(f.fittedMs).toBe(made.filter((m) => m.at <= f.at).at(-1)!.at);
  });

  it('refits at once when the history state changes', () => {
    const scaler = blendScaler({ ...base, refitSeconds: 86_400 });
    const history = demand(2);
    const start = history.startMs + 13.5 * 24 * HOUR;
    let state = scaler.seed(scaler.init({ now: start, readyPods: 1 }), rates({ ...history, values: history.values.slice(0, 13.5 * 24) }));
    const refits: string[] = [];
    for (let k = 0; k < 24; k++) {
      const { state: next, decision } = scaler.step(state, obs(start + k * HOUR, 3, 5, 3));
      state = next;
      const fit = detailOf(decision).fit;
      if (fit?.refit) refits.push(fit.refit);
    }
    expect(refits[0]).toBe('no fit yet');
    expect(refits).toContainEqual(expect.stringMatching(/history state changed \(DailyPattern → WeeklyPattern\)/));
  });

  it('with refitSeconds 0 it forecasts exactly as a fresh forecast at every bin', () => {
    // The lead time stays within the bin at these instants, so both forecast one bin ahead.
    const fitted = seeded({ ...base, refitSeconds: 0 });
    const fresh = blendScaler(base, forecast);
    let a = fitted.state;
    let b = fresh.seed(fresh.init({ now: end, readyPods: 1 }), rates(demand()));
    for (let k = 0; k < 30; k++) {
      const o = obs(end + k * HOUR + 600_000, 3, 5 + (k % 7), 2 + (k % 5));
      const x = fitted.scaler.step(a, o);
      const y = fresh.step(b, o);
      expect(detailOf(x.decision).fit!.fittedMs).toBe(end + k * HOUR);
      expect({ ...x.decision, detail: { ...detailOf(x.decision), fit: null } }).toEqual(y.decision);
      a = x.state;
      b = y.state;
    }
  });
});

describe('demand history', () => {
  it('bins rate samples, marks bins without samples as gaps, and merges a seed without overwriting what it saw', () => {
    let h = emptyDemandHistory(HOUR, 10);
    h = recordRate(h, T0, 2);
    h = recordRate(h, T0 + 60_000, 4);
    h = recordRate(h, T0 + 2 * HOUR, 1); // closes the first hour; the second is a gap
    h = recordRate(h, T0 + 3 * HOUR, Number.NaN); // not recorded
    expect(h.values).toEqual([3 * 3600, null, 3600]);
    const seeded = seedDemandHistory(h, { startMs: T0 - HOUR, binMs: HOUR / 2, values: [1, 1, 5, 5, 7, 7], utcOffsetMinutes: 0 });
    expect(seeded.values).toEqual([2, 3 * 3600, 14, 3600]);
  });
});

const spec = fc.record({
  mode: fc.constantFrom('preview' as const, 'auto' as const),
  floor: fc.constantFrom(0, 7200),
  gate: fc.option(fc.double({ min: 0.01, max: 1, noNaN: true }), { nil: undefined }),
  forecast: fc.oneof(fc.double({ min: 0, max: 1e7, noNaN: true }), anyDouble, fc.constant('throw' as const)),
  capacity: fc.oneof(anyPositive(0.5, 50), fc.double({ min: Number.MIN_VALUE, max: 0.5, noNaN: true })),
});
// Steps of up to 4 hours, sometimes back in time.
const gap = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 4 * HOUR }) }, { weight: 2, arbitrary: fc.integer({ min: -2 * HOUR, max: -1 }) });
const steps = fc.array(fc.record({ gap, queue: hostileMetric, rate: hostileMetric, current: fc.integer({ min: 0, max: 60 }) }), { minLength: 1, maxLength: 12 });

// The built-in forecaster, fitted on a cadence, with the quicker models (each run refits
// up to a dozen times); its state goes through JSON at every step.
const fittedConfig: PredictiveConfigInput = { ...base, settings: { ...base.settings, autoModels: ['persistence', 'seasonal-naive-daily', 'holt-winters'] } };

const seededEnd = T0 + 3 * 168 * HOUR;
const seededState = (() => {
  const scaler = blendScaler(fittedConfig);
  return scaler.seed(scaler.init({ now: seededEnd, readyPods: 1 }), rates(demand()));
})();

interface Step {
  gap: number;
  queue: number | null;
  rate: number | null;
  current: number;
}

/**
 * Steps the blend (its state through JSON) and its reactive scaler alone through the
 * same observations. Whatever the inputs, predictedReplicas is an int32, and a step the
 * reactive scaler holds as out of order the blend holds too.
 */
function sideBySide(blend: Scaler, state: ScalerState, start: number, trace: Step[], check: (b: ScalerDecision, r: ScalerDecision, step: Step, now: number) => void): void {
  const alone = createScaler(reactive);
  let bs = state;
  let rs = alone.init({ now: start, readyPods: 1 });
  let now = start;
  for (const step of trace) {
    now += step.gap;
    const o = obs(now, step.current, step.queue, step.rate);
    const b = blend.step(bs, o);
    const r = alone.step(rs, o);
    bs = viaJson(b.state);
    rs = r.state;
    const predicted = detailOf(b.decision).predictedReplicas;
    if (predicted !== null) expect(Number.isInteger(predicted) && predicted >= 0 && predicted <= MAX_INT32).toBe(true);
    if (r.decision.reasons.includes('OutOfOrderSample')) expect(b.decision).toMatchObject({ desiredReplicas: r.decision.desiredReplicas, reasons: r.decision.reasons });
    check(b.decision, r.decision, step, now);
  }
}

test.prop([spec, steps], { numRuns: RUNS })('prediction only ever adds capacity; preview never changes the decision', (s, trace) => {
  const predictive: PredictiveConfigInput = { ...base, mode: s.mode, capacityPerReplica: s.capacity, scaleDownFloorSeconds: s.floor, ...(s.gate !== undefined ? { maxRecentError: s.gate } : {}) };
  const blend = blendScaler(predictive, stub(s.forecast));
  sideBySide(blend, blend.init({ now: T0, readyPods: 1 }), T0, trace, (d, r, step) => {
    expect(Number.isInteger(d.desiredReplicas)).toBe(true);
    expect(detailOf(d).reactiveReplicas).toBe(r.desiredReplicas);
    expect(d.desiredReplicas).toBeLessThanOrEqual(blend.maxReplicas);
    expect(d.desiredReplicas).toBeGreaterThanOrEqual(blend.minReplicas);
    const floorApplied = detailOf(d).winner === 'floor';
    if (s.mode === 'preview') expect(d.desiredReplicas).toBe(r.desiredReplicas);
    else if (!floorApplied) expect(d.desiredReplicas).toBeGreaterThanOrEqual(r.desiredReplicas);
    else expect(d.desiredReplicas).toBeLessThanOrEqual(step.current);
    if (typeof s.forecast !== 'number' || !Number.isFinite(s.forecast) || s.forecast < 0) {
      expect(d.desiredReplicas).toBe(r.desiredReplicas);
    }
  });
}, LONG_TEST_TIMEOUT_MS);

test.prop([fc.constantFrom(0, 3600, 21_600), steps], { numRuns: RUNS })('with the built-in fitted forecaster, prediction only ever adds capacity, from a fit no older than the cadence', (refitSeconds, trace) => {
  const blend = blendScaler({ ...fittedConfig, refitSeconds });
  sideBySide(blend, seededState, seededEnd, trace, (d, r, _, now) => {
    expect(d.desiredReplicas).toBeGreaterThanOrEqual(r.desiredReplicas);
    expect(d.desiredReplicas).toBeLessThanOrEqual(blend.maxReplicas);
    // A forecast never comes from a fit older than the cadence (or than this bin, at 0).
    const detail = detailOf(d);
    if (detail.forecast !== null) {
      const issuedMs = Math.floor(now / HOUR) * HOUR;
      expect(issuedMs - detail.fit!.fittedMs).toBeGreaterThanOrEqual(0);
      expect(issuedMs - detail.fit!.fittedMs).toBeLessThan(Math.max(refitSeconds * 1000, HOUR));
    }
  });
}, LONG_TEST_TIMEOUT_MS);

describe('blend: bursts inside a bin', () => {
  const end = T0 + 3 * 168 * HOUR;
  const burst: PredictiveConfigInput = { ...base, burstQuantile: 0.5, burstWindowSeconds: 600 };

  it('learns the peak within each hour from a finer seed and plans for it, and says so', () => {
    const scaler = blendScaler(burst, stub(3 * 3600));
    const state = scaler.seed(scaler.init({ now: end, readyPods: 1 }), tenMinuteRates());
    const { decision } = scaler.step(state, obs(end + 60_000, 2, 5, 3));
    const d = detailOf(decision);
    // At hourly bins the weekly slot (within an hour) holds 3 bins a week, 9 in three weeks:
    // fewer than 12, so the last 7 days' 168 ratios stand in.
    expect(d.forecast).toMatchObject({ value: 3, burst: { from: 'recent', quantile: 0.5, ratios: 168, note: null } });
    // Every seeded hour peaks at PEAK_RATIO times its mean (see tenMinuteRates).
    expect(d.forecast!.burstFactor).toBeCloseTo(PEAK_RATIO, 9);
    expect(d.forecast!.planned).toBeCloseTo(3 * PEAK_RATIO, 9);
    expect(d.predictedReplicas).toBe(Math.ceil(3 * PEAK_RATIO - 1e-9));
    expect(decision.reasons).toEqual(['PredictedAboveReactive', 'BurstAllowance']);
    expect(d.bins.map((b) => b.burstFactor)).toEqual(d.bins.map(() => d.forecast!.burstFactor));
  });

  it('seeded at the bin’s own step, the peaks are unknown: factor 1, saying why', () => {
    const scaler = blendScaler(burst, stub(3 * 3600));
    const state = scaler.seed(scaler.init({ now: end, readyPods: 1 }), rates(demand()));
    const { decision } = scaler.step(state, obs(end + 60_000, 2, 5, 3));
    const d = detailOf(decision);
    expect(d.forecast).toMatchObject({ burstFactor: 1, planned: 3, burst: { from: 'none', ratios: 0, note: expect.stringMatching(/only 0 bins with a known peak/) } });
    expect(decision.reasons).toEqual(['PredictedAboveReactive']);
  });

  it('loads history at the burst window while it learns bursts (demandStepMs), else at the bin', () => {
    expect(blendScaler(burst).demandStepMs).toBe(600_000);
    expect(blendScaler(base).demandStepMs).toBe(HOUR);
    expect(createScaler(reactive).demandStepMs).toBeNull();
    expect(() => blendScaler({ ...base, burstWindowSeconds: 700 })).toThrowError(expect.objectContaining({ field: 'predictive.burstWindowSeconds' }));
    expect(() => blendScaler({ ...base, burstQuantile: 1.5 })).toThrowError(expect.objectContaining({ field: 'predictive.burstQuantile' }));
  });

  it('its state, peaks included, is bounded plain JSON that decides the same after a round trip', () => {
    const scaler = createScaler({ algorithm: 'blend', reactive, predictive: { ...burst, settings: { ...base.settings, maxWeeks: 1 } } });
    let state = scaler.seed(scaler.init({ now: end, readyPods: 1 }), tenMinuteRates());
    for (let k = 0; k < 400; k++) state = viaJson(scaler.step(state, obs(end + k * 600_000, 2, 10, 3 + (k % 6 === 0 ? 4 : 0))).state);
    const history = state.algorithm === 'blend' ? state.blend.history : null;
    expect(history!.values).toHaveLength(168);
    expect(history!.peaks).toHaveLength(168);
    const a = scaler.step(state, obs(end + 400 * 600_000, 2, 10, 5)).decision;
    const b = scaler.step(viaJson(state), obs(end + 400 * 600_000, 2, 10, 5)).decision;
    expect(b).toEqual(a);
  });
});

/** How far an hour of {@link tenMinuteRates} peaks above its mean over a ten-minute window. */
const PEAK_RATIO = 3 / ((5 * 1 + 3) / 6);

/** Three weeks of demand in requests per second at 10-minute steps: 1 req/s, and 3 in the first ten minutes of each hour. */
function tenMinuteRates(weeks = 3): BinnedSeries {
  return { startMs: T0, binMs: 600_000, values: Array.from({ length: weeks * 168 * 6 }, (_, i) => (i % 6 === 0 ? 3 : 1)), utcOffsetMinutes: 0 };
}

const burstSeeded = (() => {
  const scaler = blendScaler({ ...base, burstQuantile: 0.5, burstWindowSeconds: 600 });
  return scaler.seed(scaler.init({ now: seededEnd, readyPods: 1 }), tenMinuteRates());
})();

test.prop([spec, fc.constantFrom(0.5, 0.9, 1), steps], { numRuns: RUNS })(
  'with bursts learned: prediction only adds capacity, never less than without them, within the bounds, and bad rates never reach the decision',
  (s, quantile, trace) => {
    const predictive: PredictiveConfigInput = { ...base, mode: 'auto', capacityPerReplica: s.capacity, scaleDownFloorSeconds: s.floor, burstWindowSeconds: 600, ...(s.gate !== undefined ? { maxRecentError: s.gate } : {}) };
    const on = blendScaler({ ...predictive, burstQuantile: quantile }, stub(s.forecast));
    const off = blendScaler(predictive, stub(s.forecast));
    const alone = createScaler(reactive);
    let states = { on: burstSeeded, off: off.seed(off.init({ now: seededEnd, readyPods: 1 }), tenMinuteRates()), alone: alone.init({ now: seededEnd, readyPods: 1 }) };
    let now = seededEnd;
    for (const step of trace) {
      now += step.gap;
      const o = obs(now, step.current, step.queue, step.rate);
      const a = on.step(states.on, o);
      const b = off.step(states.off, o);
      const r = alone.step(states.alone, o);
      states = { on: viaJson(a.state), off: viaJson(b.state), alone: r.state };
      const d = a.decision;
      expect(Number.isInteger(d.desiredReplicas)).toBe(true);
      expect(d.desiredReplicas).toBeGreaterThanOrEqual(on.minReplicas);
      expect(d.desiredReplicas).toBeLessThanOrEqual(on.maxReplicas);
      expect(d.desiredReplicas).toBeGreaterThanOrEqual(b.decision.desiredReplicas);
      if (detailOf(d).winner !== 'floor') expect(d.desiredReplicas).toBeGreaterThanOrEqual(r.decision.desiredReplicas);
      else expect(d.desiredReplicas).toBeLessThanOrEqual(step.current);
      const f = detailOf(d).forecast;
      if (f !== null) {
        expect(Number.isFinite(f.planned) && f.burstFactor >= 1).toBe(true);
      }
      if (typeof s.forecast !== 'number' || !Number.isFinite(s.forecast) || s.forecast < 0) expect(d.desiredReplicas).toBe(r.decision.desiredReplicas);
    }
  },
  LONG_TEST_TIMEOUT_MS,
);
