/**
 * The bounded predictive wake-up (blend/wakeUpHold.ts): a false wake-up costs the lead
 * time plus the hold, not the whole stretch the forecast expected; a stretch wakes the
 * target once; a paused target is held for as long as the requests it would make wait
 * are worth (`wakeUpWaitsPerGpuHour`); a request still wakes the target reactively.
 */
import { describe, expect, it } from 'vitest';
import type { Observation } from '../scaler/observation.js';
import { createScaler, type ScalerDecision } from '../scaler/scaler.js';
import type { BlendForecaster } from './blend.js';
import { type PredictiveConfigInput, predictiveConfig } from './predictiveConfig.js';
import { ARMED, wakeUpState, wakeUpStep } from './wakeUpHold.js';

const BIN = 600_000;
const NOW = 1_700_000_400_000; // the start of a 10-minute bin
const LOOP = 10_000;

/** A forecaster whose median and upper quantile are `rps(targetMs)` requests per second. */
function shaped(rps: (targetMs: number) => number): BlendForecaster {
  return (request) => {
    const atMs = request.atMs!;
    const points = Array.from({ length: request.horizonMs! / BIN }, (_, k) => {
      const targetMs = atMs + k * BIN;
      const v = rps(targetMs) * 600;
      return { targetMs, horizonMs: (k + 1) * BIN, model: 'scryer' as const, parameters: 'stub', point: v, p50: v, upper: v, samples: 100, recentError: 0.1 };
    });
    return { status: 'ok', model: 'auto', issuedMs: atMs, binMs: BIN, quantile: 0.9, history: { state: 'WeeklyPattern', haveMs: 21 * 86_400_000 }, points };
  };
}

/**
 * Runs the blend over a KPA with minReplicas 0 every 10 s for `seconds`, the target
 * taking the desired count at once; `requests(t)` requests arrive in the step ending at
 * t (they wait in an activator while no replica is up).
 */
function run(predictive: Partial<PredictiveConfigInput>, forecastRps: (t: number) => number, seconds: number, requests: (t: number) => number = () => 0): ScalerDecision[] {
  const scaler = createScaler(
    {
      algorithm: 'blend',
      reactive: { algorithm: 'kpa', metric: 'running', config: { targetValue: 2, minReplicas: 0, maxReplicas: 10 } },
      predictive: { mode: 'auto', capacityPerReplica: 1, leadTimeSeconds: 480, zeroBelowRps: 0.002, ...predictive },
    },
    { forecaster: shaped(forecastRps) },
  );
  let state = scaler.seed(scaler.init({ now: NOW, readyPods: 0 }), { startMs: NOW - 144 * BIN, binMs: BIN, values: Array.from({ length: 144 }, () => 0), utcOffsetMinutes: 0 });
  let current = 0;
  const out: ScalerDecision[] = [];
  for (let now = NOW + LOOP; now <= NOW + seconds * 1000; now += LOOP) {
    const n = requests(now);
    const observation: Observation = {
      now,
      currentReplicas: current,
      pods: Array.from({ length: current }, (_, i) => ({ name: `p${i}`, phase: 'Running' as const, ready: true, metrics: { running: n > 0 ? 1 : 0 } })),
      ...(current === 0 ? { external: { running: n } } : {}),
      requestRate: n / (LOOP / 1000),
    };
    const step = scaler.step(state, observation);
    state = step.state;
    out.push(step.decision);
    current = step.decision.desiredReplicas;
  }
  return out;
}

const secondsUp = (ds: readonly ScalerDecision[]) => ds.filter((d) => d.desiredReplicas > 0).length * (LOOP / 1000);
const wokenBy = (d: ScalerDecision) => (d.scaler === 'blend' ? d.detail.wokenBy : null);

describe('wake-up hold', () => {
  it('a predicted wake-up that no traffic follows costs the lead time plus the hold, not the whole expected stretch', () => {
    // Three hours of expected traffic (0.5 req/s) that never comes.
    const ds = run({ wakeUpHoldSeconds: 600, wakeUpWaitsPerGpuHour: 10 }, () => 0.5, 3 * 3600);
    expect(wokenBy(ds[0]!)).toBe('predicted');
    expect(secondsUp(ds)).toBeLessThanOrEqual(480 + 600 + LOOP / 1000);
    // The same stretch does not wake it again.
    expect(ds.filter((d) => wokenBy(d) === 'predicted')).toHaveLength(1);
  });

  it('a new stretch of expected traffic (the forecast fell below the threshold in between) wakes the target again', () => {
    const stretch = (t: number) => ((t - NOW) % (4 * 3600_000) < 2 * 3600_000 ? 0.5 : 0);
    const ds = run({ wakeUpHoldSeconds: 600, wakeUpWaitsPerGpuHour: 10 }, stretch, 7 * 3600);
    expect(ds.filter((d) => wokenBy(d) === 'predicted')).toHaveLength(2);
  });

  it('a request the forecast did not expect still wakes the target, by the reactive path', () => {
    const ds = run({ wakeUpWaitsPerGpuHour: 10 }, () => 0, 3600, (t) => (t === NOW + 1800_000 ? 3 : 0));
    const woken = ds.filter((d) => wokenBy(d) !== null);
    expect(woken.map(wokenBy)).toEqual(['reactive']);
    expect(woken[0]!.reasons).toContain('ReactiveWakeUp');
  });

  it('holds a paused target while the forecast expects traffic for as long as the waits it would cause are worth, then lets it go', () => {
    // One request a minute for 20 minutes, then a pause; the forecast expects 0.1 req/s throughout.
    const traffic = (t: number) => (t - NOW <= 1200_000 && (t - NOW) % 60_000 === 0 ? 1 : 0);
    // 0.1 req/s × 480 s = 48 requests would wait for a cold start: worth 48 / 24 = 2 GPU-hours at 24 a GPU-hour.
    const worth = run({ wakeUpWaitsPerGpuHour: 24 }, () => 0.1, 4 * 3600, traffic);
    const cheap = run({ wakeUpWaitsPerGpuHour: 480 }, () => 0.1, 4 * 3600, traffic);
    // The last request at 20 min; held about two hours after it, against six minutes (0.1 h) at 480 a GPU-hour…
    expect(secondsUp(worth)).toBeGreaterThanOrEqual(1200 + 2 * 3600 - LOOP / 1000);
    expect(secondsUp(worth)).toBeLessThanOrEqual(1200 + 2 * 3600 + 600);
    expect(secondsUp(cheap)).toBeLessThan(secondsUp(worth));
    // …and then released: at zero by the end.
    expect(worth.at(-1)!.desiredReplicas).toBe(0);
  });

  it('wakes the target only when the requests a cold start would make wait are worth the wake-up', () => {
    // 0.002 req/s: about one request per lead time; not worth 18 minutes of a GPU at 10 a GPU-hour.
    expect(run({ wakeUpWaitsPerGpuHour: 10 }, () => 0.002, 3600).some((d) => wokenBy(d) === 'predicted')).toBe(false);
    expect(run({ wakeUpWaitsPerGpuHour: 0 }, () => 0.002, 3600).some((d) => wokenBy(d) === 'predicted')).toBe(true);
    expect(run({ wakeUpWaitsPerGpuHour: 10 }, () => 0.5, 3600).some((d) => wokenBy(d) === 'predicted')).toBe(true);
  });

  it('wakes later with a shorter wake-up lead time', () => {
    // Traffic expected from the third bin (20 minutes ahead): woken 480 s ahead by default, 300 s with wakeUpLeadSeconds 300.
    const later = (t: number) => (t >= NOW + 2 * BIN ? 0.5 : 0);
    const first = (ds: ScalerDecision[]) => ds.findIndex((d) => d.desiredReplicas > 0) * LOOP + LOOP;
    expect(first(run({ wakeUpWaitsPerGpuHour: 10 }, later, 3600))).toBe(2 * BIN - 480_000);
    expect(first(run({ wakeUpWaitsPerGpuHour: 10, wakeUpLeadSeconds: 300 }, later, 3600))).toBe(2 * BIN - 300_000);
  });

  it('validates the knobs and documents their defaults', () => {
    const c = predictiveConfig({ capacityPerReplica: 1, leadTimeSeconds: 533 });
    expect(c.wakeUpLeadMs).toBe(533_000);
    expect(c.wakeUpHoldMs).toBeGreaterThan(0);
    expect(c.wakeUpWaitsPerGpuHour).toBeGreaterThan(0);
    expect(() => predictiveConfig({ capacityPerReplica: 1, leadTimeSeconds: 480, wakeUpLeadSeconds: 481 })).toThrow(/wakeUpLeadSeconds/);
    expect(() => predictiveConfig({ capacityPerReplica: 1, wakeUpHoldSeconds: -1 })).toThrow(/wakeUpHoldSeconds/);
    expect(() => predictiveConfig({ capacityPerReplica: 1, wakeUpWaitsPerGpuHour: Number.NaN })).toThrow(/wakeUpWaitsPerGpuHour/);
  });

  it('reads a missing or malformed saved state as armed, and counts a saved time in the future from now', () => {
    expect(wakeUpState(undefined)).toEqual(ARMED);
    expect(wakeUpState({ phase: 'asleep', sinceMs: Number.NaN })).toEqual(ARMED);
    const holds = { wokenMs: 1000, idleMs: 1000, wake: true };
    const r = wakeUpStep(holds, { phase: 'woken', sinceMs: NOW + 86_400_000 }, { now: NOW, expected: true, traffic: false });
    expect(r).toMatchObject({ hold: true, state: { phase: 'woken', sinceMs: NOW } });
  });
});
