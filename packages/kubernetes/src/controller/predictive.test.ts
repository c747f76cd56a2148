/**
 * The `predictive` block end to end: the operator loads the demand history through the
 * HistoryLoader port, feeds the request rate every loop, decides with core's blend, and
 * reports reactive, predicted and would-be replicas in the status. In auto mode the
 * Deployment grows before the daily peak arrives.
 */
import { createScaler, type ScalerSpec, type ScalerState } from '@prescale/core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { deployment, FakeHistory, kpaSpec, podAutoscaler, T0, TestCluster, waitFor } from '../testing/cluster.js';
import { decodeState, MAX_HISTORY_CHARS } from './persistedState.js';

const BIN = 600_000;
const WEEK = 7 * 86_400_000;

/** Requests per second: 2 at night and most of the day, 20 from 10:00 to 12:00 UTC. */
const rateAt = (ms: number): number => {
  const hour = new Date(ms).getUTCHours();
  return hour >= 10 && hour < 12 ? 20 : 2;
};

let k: TestCluster;
beforeEach(async () => {
  k = await new TestCluster().start();
});
afterEach(async () => {
  await k.stop();
});

const predictive = (mode: 'preview' | 'auto') => ({
  mode,
  history: { endpoint: 'http://prometheus.monitoring:9090', query: 'sum(rate(vllm:request_success_total[5m]))', lookbackDays: 21 },
  capacityPerReplica: 2,
  leadTimeSeconds: 480,
  model: 'seasonal-naive-weekly',
});

describe('predictive scaling through the operator', () => {
  test.each(['preview', 'auto'] as const)('%s: decisions are core\u2019s blend on the same history and observations', async (mode) => {
    const history = new FakeHistory(rateAt);
    k.server.apply(deployment('llm', 1));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm', { maxReplicas: 12, predictive: predictive(mode) })));
    // Every loop writes its status, so the persisted state can be compared with the reference's after each step.
    const c = await k.controller({ history, allowedEndpoints: ['http://prometheus.monitoring:9090'], statusRefreshSeconds: 0 });
    await waitFor(() => c.keys().length === 1);
    const start = T0 + 30 * 60_000; // Monday 09:30 UTC, half an hour before the peak
    const reference: ScalerSpec = {
      algorithm: 'blend',
      reactive: {
        algorithm: 'kpa',
        metric: 'vllm:num_requests_waiting',
        config: { targetValue: 5, minReplicas: 1, maxReplicas: 12, stableWindowSeconds: 60, panicWindowPercentage: (20 / 60) * 100, granularitySeconds: 10, maxScaleUpRate: 2, maxScaleDownRate: 2, panicThreshold: 2, scaleDownDelaySeconds: 0 },
      },
      predictive: { mode, capacityPerReplica: 2, model: 'seasonal-naive-weekly', leadTimeSeconds: 480 },
    };
    const scaler = createScaler(reference);
    let state: ScalerState | null = null;
    let firstAbove: number | null = null;
    for (let s = 0; s <= 30 * 60; s += 10) {
      k.t = start + s * 1000;
      k.spreadLoad('llm', 3); // the pods see little load before the peak
      k.metrics.external.requestRate = rateAt(k.t);
      const pods = k.server.list('pods').filter((p) => p.metadata?.labels?.app === 'llm');
      const obs = {
        now: k.t,
        currentReplicas: k.replicas('llm'),
        pods: pods.map((p) => ({ name: p.metadata?.name ?? '', phase: 'Running' as const, ready: true, deleting: false, metrics: { 'vllm:num_requests_waiting': 3 / pods.length } })),
        requestRate: rateAt(k.t),
      };
      if (!state) {
        const to = Math.floor(k.t / BIN) * BIN;
        const rates = await new FakeHistory(rateAt).load({ endpoint: '', query: '', from: to - 3 * WEEK, to, stepMs: BIN });
        state = scaler.seed(scaler.init({ now: k.t, readyPods: pods.length }), rates);
      }
      const expected = scaler.step(state, obs);
      state = expected.state;
      const r = await c.reconcile('default/llm');
      expect(r.decision).toEqual(expected.decision);
      if (firstAbove === null && k.replicas('llm') > 1) firstAbove = s;
    }
    expect(history.requests).toHaveLength(1);
    expect(history.requests[0]).toMatchObject({ endpoint: 'http://prometheus.monitoring:9090', stepMs: BIN, to: Math.floor(start / BIN) * BIN, from: Math.floor(start / BIN) * BIN - 3 * WEEK });
    await waitFor(() => k.status('llm')?.prediction?.predictedReplicas !== undefined);
    const p = k.status('llm')?.prediction;
    expect(p).toMatchObject({ mode, predictedReplicas: 10, historyState: expect.stringMatching(/^WeeklyPattern/), model: 'seasonal-naive-weekly' });
    // The pods' own load asks for less: prediction is what adds the capacity.
    expect(p.reactiveReplicas).toBeLessThan(10);
    expect(p.wouldBeReplicas).toBe(10);
    expect(p.forecast.length).toBeGreaterThan(0);
    expect(p.message).toMatch(/loaded 3024 bins of demand history/);
    if (mode === 'preview') {
      // Preview changes nothing.
      expect(firstAbove).toBeNull();
      expect(k.replicas('llm')).toBe(1);
    } else {
      // Auto: ready for the 10:00 peak from 09:52, eight minutes (the lead time) ahead.
      expect(firstAbove).toBe(22 * 60);
      expect(k.replicas('llm')).toBe(10);
    }
    // The persisted state carries the demand history, encoded beside the state, and the fit.
    const text: string = k.status('llm')?.scalerState;
    const saved = JSON.parse(text);
    expect(saved.state.blend.history.values).toEqual([]);
    const final = state as ScalerState | null;
    if (final?.algorithm !== 'blend') throw new Error('the reference is not a blend');
    expect(saved.demand.bins).toBe(final.blend.history.values.length);
    expect(saved.state.blend.fit).toEqual(final.blend.fit);
    expect(text.length).toBeLessThan(MAX_HISTORY_CHARS + 16 * 1024);
  }, 60_000);

  test('a restarted controller resumes the demand history and the fit from status, loading nothing', async () => {
    const history = new FakeHistory(rateAt);
    k.server.apply(deployment('llm', 1));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm', { maxReplicas: 12, predictive: predictive('auto') })));
    const first = await k.controller({ history, allowedEndpoints: ['http://prometheus.monitoring:9090'] });
    await waitFor(() => first.keys().length === 1);
    const start = T0 + 30 * 60_000;
    const loop = async (c: Awaited<ReturnType<TestCluster['controller']>>, s: number) => {
      k.t = start + s * 1000;
      k.spreadLoad('llm', 3);
      k.metrics.external.requestRate = rateAt(k.t);
      return c.reconcile('default/llm');
    };
    for (let s = 0; s <= 20 * 60; s += 10) await loop(first, s);
    await first.stop();
    expect(history.requests).toHaveLength(1);
    const before = decodeState(k.status('llm')?.scalerState, JSON.parse(k.status('llm')?.scalerState).scaler);
    if (before?.state.algorithm !== 'blend') throw new Error('no blend state saved');

    const again = new FakeHistory(rateAt);
    const second = await k.controller({ history: again, allowedEndpoints: ['http://prometheus.monitoring:9090'] });
    await waitFor(() => second.keys().length === 1);
    const r = await loop(second, 30 * 60); // 10:00, a new bin: a forecast is issued
    expect(again.requests).toHaveLength(0);
    expect(r.prediction?.message).toMatch(/resumed \d+ bins of demand history/);
    expect(r.decision?.scaler).toBe('blend');
    if (r.decision?.scaler !== 'blend') return;
    // The fit came back with the state: the step did not refit from scratch.
    expect(r.decision.detail.fit).not.toBeNull();
    expect(r.decision.detail.fit?.refit).toBeNull();
    expect(before.state.blend.history.values.length).toBeGreaterThanOrEqual(3 * 1008);
  }, 60_000);
});

describe('predictive scaling through the operator, learning bursts', () => {
  /** The rate of {@link rateAt}, three times as high in the fifth minute of every ten. */
  const burstyAt = (ms: number): number => rateAt(ms) * (Math.floor((ms % BIN) / 60_000) === 4 ? 3 : 1);

  test('loads the history at the burst window, plans for the peak, reports the factor and persists the peaks with the history', async () => {
    const history = new FakeHistory(burstyAt);
    k.server.apply(deployment('llm', 1));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm', { maxReplicas: 20, predictive: { ...predictive('preview'), burstQuantile: 0.5 } })));
    const c = await k.controller({ history, allowedEndpoints: ['http://prometheus.monitoring:9090'] });
    await waitFor(() => c.keys().length === 1);
    k.t = T0 + 30 * 60_000;
    k.spreadLoad('llm', 3);
    k.metrics.external.requestRate = burstyAt(k.t);
    const r = await c.reconcile('default/llm');
    expect(history.requests).toHaveLength(1);
    expect(history.requests[0]).toMatchObject({ stepMs: 60_000, to: Math.floor(k.t / 60_000) * 60_000 });
    const d = r.decision;
    if (d?.scaler !== 'blend') throw new Error('expected a blend decision');
    expect(d.detail.forecast).toMatchObject({ burst: { from: 'weekly-slot', quantile: 0.5 } });
    expect(d.detail.forecast!.burstFactor).toBeGreaterThan(1);
    await waitFor(() => k.status('llm')?.prediction?.burstFactor !== undefined);
    expect(k.status('llm')?.prediction?.burstFactor).toBe(d.detail.forecast!.burstFactor);
    const text: string = k.status('llm')?.scalerState;
    const saved = JSON.parse(text);
    expect(saved.state.blend.history).toMatchObject({ values: [], peaks: [] });
    // The peaks ride encoded beside the values, and come back aligned with them.
    expect(typeof saved.demand.peaks).toBe('string');
    const restored = decodeState(text, saved.scaler);
    if (restored?.state.algorithm !== 'blend') throw new Error('no blend state saved');
    const h = restored.state.blend.history;
    expect(h.peaks).toHaveLength(h.values.length);
    expect(h.peaks!.some((p) => p !== null && p > 0)).toBe(true);
  }, 60_000);
});
