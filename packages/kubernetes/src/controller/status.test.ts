/**
 * statusFor on its own, without an API server: the conditions a loop writes when it
 * scales up or down, holds, stays, fails to patch or halts; the scaling history; the
 * bounds; the prediction from a blend decision; the Events.
 */
import { createScaler, type FixedDecision, type ScalerDecision, type ScalerSpec } from '@prescale/core';
import { describe, expect, test } from 'vitest';
import type { PodAutoscalerSpec } from '../crd/spec.js';
import type { Condition, PodAutoscalerStatus, ScalingHistoryEntry } from '../crd/status.js';
import { decodeState, STATE_FORMAT } from './persistedState.js';
import { committedState, type DecidedLoop, type HaltedLoop, type StatusUpdate, statusFor } from './status.js';

const NOW = Date.UTC(2026, 0, 5, 9, 30);
const NOW_ISO = new Date(NOW).toISOString();
const EARLIER = '2026-01-05T09:00:00.000Z';
const REF = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'llm' };

/** A decision with the fields statusFor reads (the `fixed` scaler's detail is empty). */
function decision(current: number, desired: number, reasons: FixedDecision['reasons'] = ['Fixed'], valid = true): FixedDecision {
  const verb = valid ? (desired === current ? 'stay at' : 'scale to') : 'hold at';
  return { scaler: 'fixed', now: NOW, currentReplicas: current, desiredReplicas: desired, valid, reasons, message: `fixed: ${verb} ${desired} from ${current} (${reasons.join(', ')})`, detail: {} };
}

function decided(d: ScalerDecision, more: Partial<DecidedLoop> = {}): DecidedLoop {
  return {
    now: NOW,
    generation: 3,
    previous: {},
    spec: { scaleTargetRef: REF },
    bounds: { minReplicas: 1, maxReplicas: 10 },
    currentReplicas: d.currentReplicas,
    decision: d,
    patch: d.desiredReplicas === d.currentReplicas ? { result: 'unchanged' } : { result: 'scaled' },
    seedNote: null,
    failures: [],
    scaler: { fingerprint: 'fixed', before: { algorithm: 'fixed' }, state: { algorithm: 'fixed' } },
    ...more,
  };
}

/** The conditions of an update as `type: status/reason`. */
function conditions(u: StatusUpdate): string[] {
  return (u.status.conditions ?? []).map((c) => `${c.type}: ${c.status}/${c.reason}`);
}

function condition(u: StatusUpdate, type: string): Condition | undefined {
  return u.status.conditions?.find((c) => c.type === type);
}

describe('a loop that decided', () => {
  test('scaling up: ScalingActive, not Ready, the scale and time recorded, a history entry and a SuccessfulRescale Event', () => {
    const u = statusFor(decided(decision(2, 5)));
    expect(conditions(u)).toEqual([
      'ValidSpec: True/ValidSpec',
      'MultiPodAutoscalerConflict: False/NoConflict',
      'AbleToScale: True/SucceededRescale',
      'ScalingActive: True/ScalingUp',
      'Ready: False/Scaling',
      'MetricsAvailable: True/SourcesAnswered',
    ]);
    expect(condition(u, 'AbleToScale')?.message).toBe('read the scale of Deployment/llm');
    expect(condition(u, 'Ready')?.message).toBe('fixed: scale to 5 from 2 (Fixed)');
    expect(u.status).toMatchObject({ observedGeneration: 3, desiredScale: 5, actualScale: 5, lastScaleTime: NOW_ISO });
    expect(u.status.scalingHistory).toEqual([{ timestamp: NOW_ISO, previousScale: 2, newScale: 5, reason: 'Fixed', success: true }]);
    expect(u.status.lastDecision).toEqual({ time: NOW_ISO, algorithm: 'fixed', valid: true, reasons: ['Fixed'], message: 'fixed: scale to 5 from 2 (Fixed)' });
    expect(u.events).toEqual([{ type: 'Normal', reason: 'SuccessfulRescale', action: 'Scale', note: 'New size: 5 (from 2); reason: Fixed' }]);
    // Every condition carries the generation it was computed for and the loop's time.
    expect(u.status.conditions?.every((c) => c.observedGeneration === 3 && c.lastTransitionTime === NOW_ISO)).toBe(true);
  });

  test('scaling down', () => {
    const u = statusFor(decided(decision(6, 4)));
    expect(condition(u, 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ScalingDown' });
    expect(u.status).toMatchObject({ desiredScale: 4, actualScale: 4 });
    expect(u.status.scalingHistory?.[0]).toMatchObject({ previousScale: 6, newScale: 4, success: true });
  });

  test('stable: Ready, no history entry, no Event, the last scale time kept', () => {
    const history: ScalingHistoryEntry[] = [{ timestamp: EARLIER, previousScale: 1, newScale: 3, reason: 'Fixed', success: true }];
    const u = statusFor(decided(decision(3, 3), { previous: { lastScaleTime: EARLIER, scalingHistory: history } }));
    expect(conditions(u).slice(2, 5)).toEqual(['AbleToScale: True/SucceededGetScale', 'ScalingActive: False/Stable', 'Ready: True/Ready']);
    expect(condition(u, 'Ready')?.message).toBe('the autoscaler is ready');
    expect(u.status).toMatchObject({ desiredScale: 3, actualScale: 3, lastScaleTime: EARLIER, scalingHistory: history });
    expect(u.events).toEqual([]);
  });

  test('a first stable loop writes null for what it does not have (a merge patch removes it)', () => {
    const u = statusFor(decided(decision(3, 3), { generation: undefined }));
    expect(u.status).toMatchObject({ observedGeneration: null, lastScaleTime: null, scalingHistory: null, prediction: null, optimizer: null });
    expect(u.status.conditions?.every((c) => !('observedGeneration' in c))).toBe(true);
  });

  test('a hold (the inputs were unusable): ScalingActive False with the hold reason', () => {
    const scaler = createScaler({ algorithm: 'kpa', metric: 'waiting', config: { targetValue: 5, maxReplicas: 10 } });
    const step = scaler.step(scaler.init({ now: NOW, readyPods: 3 }), {
      now: NOW,
      currentReplicas: 3,
      pods: [{ name: 'a', phase: 'Running', ready: true, deleting: false, metrics: { waiting: null } }],
    });
    expect(step.decision.valid).toBe(false);
    const u = statusFor(decided(step.decision));
    expect(conditions(u).slice(2, 5)).toEqual(['AbleToScale: True/SucceededGetScale', 'ScalingActive: False/NoMetrics', 'Ready: True/Ready']);
    expect(condition(u, 'ScalingActive')?.message).toBe(step.decision.message);
    expect(u.status.lastDecision).toMatchObject({ algorithm: 'kpa', valid: false, reasons: ['NoMetrics'] });
  });

  test('a failed patch: AbleToScale False, the actual scale unchanged, a failed history entry and a Warning', () => {
    const u = statusFor(decided(decision(1, 6), { patch: { result: 'failed', error: 'scale Deployment/llm to 6: injected fault 503' } }));
    expect(conditions(u).slice(2, 5)).toEqual(['AbleToScale: False/FailedUpdateScale', 'ScalingActive: True/ScalingUp', 'Ready: False/Scaling']);
    expect(condition(u, 'AbleToScale')?.message).toBe('scale Deployment/llm to 6: injected fault 503');
    expect(u.status).toMatchObject({ desiredScale: 6, actualScale: 1, lastScaleTime: null });
    expect(u.status.scalingHistory).toEqual([
      { timestamp: NOW_ISO, previousScale: 1, newScale: 6, reason: 'Fixed', success: false, error: 'scale Deployment/llm to 6: injected fault 503' },
    ]);
    expect(u.events).toEqual([
      { type: 'Warning', reason: 'FailedRescale', action: 'Scale', note: 'New size: 6 (from 1); reason: Fixed; error: scale Deployment/llm to 6: injected fault 503' },
    ]);
  });

  test('the scaler state written is the step\u2019s, or, when the patch failed, the one the step started from', () => {
    const spec: ScalerSpec = { algorithm: 'hpa', config: { maxReplicas: 10, metrics: [{ type: 'Pods', name: 'm', target: { type: 'AverageValue', averageValueMilli: 5000 } }] } };
    const scaler = createScaler(spec);
    const before = scaler.init({ now: NOW, readyPods: 1 });
    const pods = [{ name: 'a', phase: 'Running' as const, ready: true, deleting: false, metrics: { m: 50 } }];
    const step = scaler.step(before, { now: NOW, currentReplicas: 1, pods });
    expect(step.state).not.toEqual(before);
    const scalerState = (patch: DecidedLoop['patch']) =>
      decodeState(statusFor(decided(step.decision, { patch, scaler: { fingerprint: 'f', before, state: step.state } })).status.scalerState, 'f')?.state;
    expect(scalerState({ result: 'scaled' })).toEqual(step.state);
    expect(scalerState({ result: 'failed', error: 'boom' })).toEqual(before);
    expect(committedState({ result: 'failed', error: 'boom' }, { before, state: step.state })).toBe(before);
    expect(committedState({ result: 'unchanged' }, { before, state: step.state })).toBe(step.state);
  });

  test('a failed patch on a hold: Ready False with the patch failure as its reason', () => {
    const u = statusFor(decided(decision(0, 1, ['NoMetrics', 'TooFewReplicas'], false), { patch: { result: 'failed', error: 'boom' } }));
    expect(conditions(u).slice(2, 5)).toEqual(['AbleToScale: False/FailedUpdateScale', 'ScalingActive: False/NoMetrics', 'Ready: False/FailedUpdateScale']);
    expect(condition(u, 'Ready')?.message).toBe('boom');
  });

  test('a condition keeps its transition time while its status holds, and takes the loop time when it changes', () => {
    const previous: PodAutoscalerStatus = {
      conditions: [
        { type: 'ValidSpec', status: 'True', reason: 'ValidSpec', lastTransitionTime: EARLIER },
        { type: 'ScalingActive', status: 'False', reason: 'Stable', lastTransitionTime: EARLIER },
        { type: 'Ready', status: 'True', reason: 'Ready', lastTransitionTime: EARLIER },
      ],
    };
    const u = statusFor(decided(decision(2, 4), { previous }));
    expect(condition(u, 'ValidSpec')?.lastTransitionTime).toBe(EARLIER);
    expect(condition(u, 'ScalingActive')?.lastTransitionTime).toBe(NOW_ISO);
    expect(condition(u, 'Ready')?.lastTransitionTime).toBe(NOW_ISO);
  });

  test('the scaling history keeps the last 5 entries, and does not repeat an entry within 5 s', () => {
    const old: ScalingHistoryEntry[] = [1, 2, 3, 4, 5].map((i) => ({ timestamp: `2026-01-05T09:0${i}:00.000Z`, previousScale: i, newScale: i + 1, reason: 'Fixed', success: true }));
    const u = statusFor(decided(decision(6, 7), { previous: { scalingHistory: old } }));
    expect(u.status.scalingHistory?.map((h) => h.newScale)).toEqual([3, 4, 5, 6, 7]);
    // The same failure 2 s after the last entry is not added again.
    const failed = { result: 'failed', error: 'boom' } as const;
    const first = statusFor(decided(decision(1, 6), { patch: failed }));
    const again = statusFor(decided(decision(1, 6), { now: NOW + 2000, patch: failed, previous: { scalingHistory: first.status.scalingHistory ?? [] } }));
    expect(again.status.scalingHistory).toHaveLength(1);
  });

  test('bounds: the schedule in force and the effective bounds', () => {
    const scheduled = statusFor(decided(decision(4, 4), { bounds: { minReplicas: 4, maxReplicas: 16, activeSchedule: 'business-hours' } }));
    expect(scheduled.status.scheduledBounds).toEqual({ activeSchedule: 'business-hours', effectiveMinReplicas: 4, effectiveMaxReplicas: 16 });
    const base = statusFor(decided(decision(4, 4)));
    expect(base.status.scheduledBounds).toEqual({ effectiveMinReplicas: 1, effectiveMaxReplicas: 10 });
  });

  test('the scaler state is saved with its fingerprint and the loop time', () => {
    const u = statusFor(decided(decision(4, 4)));
    expect(decodeState(u.status.scalerState, 'fixed')).toEqual({ format: STATE_FORMAT, scaler: 'fixed', savedAt: NOW, state: { algorithm: 'fixed' } });
    expect(decodeState(u.status.scalerState, 'another scaler')).toBeNull();
  });
});

describe('prediction', () => {
  const BIN = 600_000;
  const WEEK = 7 * 86_400_000;
  /** Requests per second: 2, and 20 from 10:00 to 12:00 UTC. */
  const rateAt = (ms: number): number => (new Date(ms).getUTCHours() >= 10 && new Date(ms).getUTCHours() < 12 ? 20 : 2);
  const predictive = { mode: 'preview', history: { endpoint: 'http://prometheus:9090', query: 'sum(rate(r[5m]))' }, capacityPerReplica: 2 } satisfies PodAutoscalerSpec['predictive'];

  /**
   * A real blend decision at NOW (Monday 09:30), after three weeks of history at `stepMs`
   * with `model`; with `burstQuantile`, each bin's fifth minute is three times as busy.
   */
  function blendDecision({ burstQuantile = 0, stepMs = BIN, model = 'seasonal-naive-weekly' }: { burstQuantile?: number; stepMs?: number; model?: 'seasonal-naive-weekly' | 'auto' } = {}) {
    const spec: ScalerSpec = {
      algorithm: 'blend',
      reactive: { algorithm: 'kpa', metric: 'waiting', config: { targetValue: 5, maxReplicas: 12 } },
      predictive: { mode: 'preview', capacityPerReplica: 2, leadTimeSeconds: 480, model, burstQuantile },
    };
    const scaler = createScaler(spec);
    const to = Math.floor(NOW / BIN) * BIN;
    const values: number[] = [];
    for (let t = to - 3 * WEEK; t < to; t += stepMs) values.push(rateAt(t) * (burstQuantile > 0 && Math.floor((t % BIN) / 60_000) === 4 ? 3 : 1));
    const state = scaler.seed(scaler.init({ now: NOW, readyPods: 1 }), { startMs: to - 3 * WEEK, binMs: stepMs, values, utcOffsetMinutes: 0 });
    const pods = [{ name: 'a', phase: 'Running' as const, ready: true, deleting: false, metrics: { waiting: 3 } }];
    return scaler.step(state, { now: NOW, currentReplicas: 1, pods, requestRate: rateAt(NOW) }).decision;
  }

  test('MetricsAvailable names every failed source, the first one\u2019s kind as its reason', () => {
    const failures = [
      { source: 'metricsSources[1]', kind: 'Unauthorized' as const, message: 'HTTP 401 from http://prometheus:9090/' },
      { source: 'predictive.history', kind: 'EndpointNotAllowed' as const, message: 'http://elsewhere:9090/ is not an endpoint this operator may query' },
    ];
    const u = statusFor(decided(decision(2, 2), { failures }));
    expect(condition(u, 'MetricsAvailable')).toMatchObject({
      status: 'False',
      reason: 'Unauthorized',
      message: 'metricsSources[1]: HTTP 401 from http://prometheus:9090/; predictive.history: http://elsewhere:9090/ is not an endpoint this operator may query',
    });
    expect(condition(statusFor(decided(decision(2, 2))), 'MetricsAvailable')).toMatchObject({ status: 'True', reason: 'SourcesAnswered' });
  });

  test('from a blend decision: reactive, predicted and would-be replicas, history state, model, forecast and the seed note', () => {
    const d = blendDecision();
    if (d.scaler !== 'blend') throw new Error('expected a blend decision');
    expect(d.detail.predictedReplicas).not.toBeNull();
    const u = statusFor(decided(d, { spec: { scaleTargetRef: REF, predictive }, seedNote: 'loaded 3024 bins of demand history from http://prometheus:9090' }));
    const p = u.status.prediction;
    expect(p).toMatchObject({
      mode: 'preview',
      reactiveReplicas: d.detail.reactiveReplicas,
      predictedReplicas: d.detail.predictedReplicas,
      wouldBeReplicas: d.detail.wouldBeReplicas,
      historyState: expect.stringMatching(/^WeeklyPattern/),
      model: 'seasonal-naive-weekly',
    });
    expect(p?.message).toMatch(/loaded 3024 bins of demand history/);
    // The forecast is the upper quantile per bin, at most 32 bins.
    expect(p?.forecast).toEqual(d.detail.bins.slice(0, 32).map((b) => ({ time: new Date(b.startMs).toISOString(), value: b.upper })));
    expect(p?.forecast?.length).toBeGreaterThan(0);
    expect(p).not.toHaveProperty('burstFactor');
  });

  test('with burstQuantile: the burst factor, or why there is none yet', () => {
    const spec = { scaleTargetRef: REF, predictive: { ...predictive, burstQuantile: 0.5 } };
    const fine = blendDecision({ burstQuantile: 0.5, stepMs: 60_000 });
    if (fine.scaler !== 'blend') throw new Error('expected a blend decision');
    expect(fine.detail.forecast!.burstFactor).toBeGreaterThan(1);
    expect(statusFor(decided(fine, { spec })).status.prediction).toMatchObject({ burstFactor: fine.detail.forecast!.burstFactor });
    // History at the bin's own step shows no peak within a bin.
    const coarse = statusFor(decided(blendDecision({ burstQuantile: 0.5 }), { spec })).status.prediction;
    expect(coarse).toMatchObject({ burstFactor: 1, message: expect.stringMatching(/only 0 bins with a known peak/) });
  });

  test("auto's model is said with the models it combines and their weights", () => {
    const d = blendDecision({ model: 'auto' });
    if (d.scaler !== 'blend' || d.detail.forecast === null) throw new Error('expected a blend decision with a forecast');
    expect(d.detail.forecast.model).toBe('auto');
    const p = statusFor(decided(d, { spec: { scaleTargetRef: REF, predictive } })).status.prediction;
    expect(p?.model).toBe(`auto (${d.detail.forecast.parameters})`);
    expect(p?.model).toMatch(/^auto \([a-z-]+ \d+ %( \+ [a-z-]+ \d+ %)*\)$/);
  });

  test('mode off, or a reactive decision: { mode: off }; no predictive block: null', () => {
    const d = decision(2, 2);
    expect(statusFor(decided(d, { spec: { scaleTargetRef: REF, predictive: { ...predictive, mode: 'off' } } })).status.prediction).toEqual({ mode: 'off' });
    expect(statusFor(decided(d, { spec: { scaleTargetRef: REF, predictive } })).status.prediction).toEqual({ mode: 'off' });
    expect(statusFor(decided(d)).status.prediction).toBeNull();
  });
});

describe('a loop that halted', () => {
  const halted = (facts: Pick<HaltedLoop, 'halt'> & Partial<HaltedLoop>): HaltedLoop => ({
    now: NOW,
    generation: 2,
    previous: {},
    announced: false,
    ...facts,
  });

  test('an invalid spec: ValidSpec False naming the field, and an InvalidSpec Warning once per generation', () => {
    const message = 'spec.panicWindowSeconds: must be less than or equal to observeWindowSeconds';
    const u = statusFor(halted({ halt: { reason: 'InvalidSpec', message } }));
    expect(conditions(u)).toEqual(['ValidSpec: False/InvalidSpec', 'MultiPodAutoscalerConflict: False/NoConflict', 'AbleToScale: False/InvalidSpec', 'Ready: False/InvalidSpec']);
    expect(condition(u, 'ValidSpec')?.message).toBe(message);
    expect(condition(u, 'AbleToScale')?.message).toBe('not scaling until the spec is fixed');
    // Only the generation and the conditions: the rest of the status is left as it is.
    expect(Object.keys(u.status)).toEqual(['observedGeneration', 'conditions']);
    expect(u.events).toEqual([{ type: 'Warning', reason: 'InvalidSpec', action: 'Validate', note: message }]);
    expect(statusFor(halted({ halt: { reason: 'InvalidSpec', message }, announced: true })).events).toEqual([]);
  });

  test('two PodAutoscalers on one target: the conflict condition, no Event', () => {
    const message = 'Deployment/llm is also the target of PodAutoscaler other; none of them scales it';
    const u = statusFor(halted({ halt: { reason: 'Conflict', message } }));
    expect(conditions(u)).toEqual([
      'ValidSpec: True/ValidSpec',
      'MultiPodAutoscalerConflict: True/MultiplePodAutoscalers',
      'AbleToScale: False/MultiplePodAutoscalers',
      'Ready: False/MultiplePodAutoscalers',
    ]);
    expect(condition(u, 'MultiPodAutoscalerConflict')?.message).toBe(message);
    expect(u.events).toEqual([]);
  });

  test.each(['FailedGetScale', 'FailedListPods', 'FailedDecision'] as const)('%s: AbleToScale False with the error', (reason) => {
    const u = statusFor(halted({ halt: { reason, message: 'no answer in time' }, generation: undefined }));
    expect(conditions(u)).toEqual(['ValidSpec: True/ValidSpec', 'MultiPodAutoscalerConflict: False/NoConflict', `AbleToScale: False/${reason}`, `Ready: False/${reason}`]);
    expect(condition(u, 'AbleToScale')?.message).toBe('no answer in time');
    expect(condition(u, 'Ready')?.message).toBe('no answer in time');
    expect(u.status.observedGeneration).toBeNull();
    expect(u.events).toEqual([]);
  });

  test('the conditions a halted loop does not set are kept as they were (the merge patch replaces the list)', () => {
    const previous = statusFor(decided(decision(2, 2), { failures: [{ source: 'metricsSources[0]', kind: 'Timeout', message: 'no answer' }] })).status;
    const u = statusFor(halted({ halt: { reason: 'FailedGetScale', message: 'no answer in time' }, previous: { conditions: previous.conditions ?? [] } }));
    expect(conditions(u)).toEqual([
      'ValidSpec: True/ValidSpec',
      'MultiPodAutoscalerConflict: False/NoConflict',
      'AbleToScale: False/FailedGetScale',
      'Ready: False/FailedGetScale',
      'ScalingActive: False/Stable',
      'MetricsAvailable: False/Timeout',
    ]);
    const kept = (type: string) => previous.conditions?.find((c) => c.type === type);
    expect(condition(u, 'ScalingActive')).toEqual(kept('ScalingActive'));
    expect(condition(u, 'MetricsAvailable')).toEqual(kept('MetricsAvailable'));
  });
});
