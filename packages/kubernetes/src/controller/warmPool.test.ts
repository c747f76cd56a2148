/**
 * The warm pool's balloon: its size is core's pre-warm term less what is ordered, in
 * balloon pods, within bounds; without that term (no forecast, mode preview, a core
 * without it) the balloon is left as it is and `WarmPool` says why. On the stand-in, a
 * predictive PodAutoscaler with a warm pool writes the condition and never touches the
 * balloon without a size.
 */
import { fc, test as prop } from '@fast-check/vitest';
import { createScaler, type ScalerDecision } from '@prescale/core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { validateSpec } from '../crd/validateSpec.js';
import { deployment, FakeHistory, kpaSpec, podAutoscaler, T0, TestCluster, waitFor } from '../testing/cluster.js';
import { balloonSize, warmPoolCondition } from './warmPool.js';

const RUNS = Math.max(1000, Number(process.env.PRESCALE_FC_RUNS ?? 0));
const HOUR = 3_600_000;
const T = Date.UTC(2026, 0, 5);

/** A real blend decision (a stub forecast of `rps` req/s), in `mode`, with `current` replicas. */
function blendDecision(mode: 'auto' | 'preview', rps: number, current: number): ScalerDecision {
  const scaler = createScaler(
    { algorithm: 'blend', reactive: { algorithm: 'fixed', replicas: current }, predictive: { mode, capacityPerReplica: 1, binSeconds: 3600 } },
    {
      forecaster: (r) => ({
        status: 'ok',
        model: 'auto',
        issuedMs: r.atMs!,
        binMs: HOUR,
        quantile: 0.9,
        history: { state: 'WeeklyPattern', haveMs: 21 * 86_400_000 },
        points: [{ targetMs: r.atMs!, horizonMs: HOUR, model: 'scryer', parameters: 'stub', point: rps * 3600, p50: rps * 3600, upper: rps * 3600, samples: 100, recentError: 0.1 }],
      }),
    },
  );
  return scaler.step(scaler.init({ now: T, readyPods: current }), { now: T, currentReplicas: current, pods: [] }).decision;
}

/** The decision with core's pre-warm term set (as the blend reports it with predictive.prewarmSeconds). */
function withPrewarm(decision: ScalerDecision, prewarm: number): ScalerDecision {
  if (decision.scaler !== 'blend') throw new Error('expected a blend decision');
  return { ...decision, detail: { ...decision.detail, prewarmReplicas: prewarm } };
}

const pool = { balloonRef: { name: 'llm-balloon' } };

describe('the balloon size', () => {
  prop.prop([fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 4 }), fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }), fc.integer({ min: 1, max: 20 })], { numRuns: RUNS })(
    'is (pre-warm − ordered) × podsPerReplica, never below 0 nor above the pool\u2019s bound',
    (prewarm, current, podsPerReplica, maxReplicas, targetMax) => {
      const decision = withPrewarm(blendDecision('auto', 0, current), prewarm);
      const p = { ...pool, podsPerReplica, ...(maxReplicas !== undefined ? { maxReplicas } : {}) };
      const size = balloonSize(p, decision, targetMax);
      expect(size.replicas).toBe(Math.min(maxReplicas ?? targetMax * podsPerReplica, Math.max(0, prewarm - decision.desiredReplicas) * podsPerReplica));
      expect(warmPoolCondition(p, size, null)).toMatchObject({ type: 'WarmPool', status: 'True', reason: 'Sized' });
    },
  );

  test('is none, with the reason, without core\u2019s pre-warm term or outside mode auto; a failed patch is False', () => {
    const none = balloonSize(pool, blendDecision('auto', 5, 1), 10);
    expect(none).toMatchObject({ replicas: null, reason: 'NoPrewarmForecast' });
    expect(balloonSize(pool, withPrewarm(blendDecision('preview', 5, 1), 9), 10)).toMatchObject({ replicas: null, reason: 'PredictionNotApplied' });
    expect(warmPoolCondition(pool, none, null)).toMatchObject({ status: 'False', reason: 'NoPrewarmForecast' });
    expect(warmPoolCondition(pool, { replicas: 2, message: 'm' }, 'forbidden')).toMatchObject({ status: 'False', reason: 'FailedUpdateScale', message: 'Deployment/llm-balloon: forbidden' });
  });
});

describe('spec.warmPool', () => {
  const predictive = { mode: 'auto', history: { endpoint: 'http://prometheus:9090', query: 'sum(rate(x[5m]))' }, capacityPerReplica: 2 };
  test('needs a predictive block and a balloon other than the target', () => {
    expect(validateSpec(kpaSpec('llm', { warmPool: pool })).ok).toBe(false);
    expect(validateSpec(kpaSpec('llm', { warmPool: pool, predictive })).ok).toBe(true);
    expect(validateSpec(kpaSpec('llm', { warmPool: { balloonRef: { name: 'llm' } }, predictive }))).toMatchObject({ ok: false, error: { field: 'spec.warmPool.balloonRef.name' } });
  });

  describe('on the stand-in', () => {
    let k: TestCluster;
    beforeEach(async () => {
      k = await new TestCluster().start();
    });
    afterEach(async () => {
      await k.stop();
    });
    test('the balloon grows one provisioning time before the forecast peak, by what core\u2019s pre-warm term needs beyond the replicas ordered', async () => {
      // 2 req/s, and 20 from 10:00 UTC every day; 2 req/s per replica.
      const history = new FakeHistory((ms) => (new Date(ms).getUTCHours() >= 10 && new Date(ms).getUTCHours() < 12 ? 20 : 2));
      const endpoint = 'http://prometheus.monitoring:9090';
      const spec = kpaSpec('llm', {
        maxReplicas: 12,
        warmPool: { balloonRef: { name: 'llm-balloon' }, leadSeconds: 1200, maxReplicas: 4 },
        predictive: { mode: 'auto', history: { endpoint, query: 'sum(rate(x[5m]))', lookbackDays: 21 }, capacityPerReplica: 2, leadTimeSeconds: 480, model: 'seasonal-naive-weekly' },
      });
      k.server.apply(deployment('llm', 1));
      k.server.apply(deployment('llm-balloon', 0));
      k.server.apply(podAutoscaler('llm', spec));
      const c = await k.controller({ history, allowedEndpoints: [endpoint] });
      await waitFor(() => c.keys().length === 1);
      const step = async (at: number) => {
        k.t = at;
        k.spreadLoad('llm', 3);
        k.metrics.external.requestRate = 2;
        const r = await c.reconcile('default/llm');
        expect(r.error).toBeUndefined();
        return r;
      };
      // 09:20: the peak is beyond the lead time and the provisioning time: no balloon.
      await step(T0 + 20 * 60_000);
      expect(k.replicas('llm-balloon')).toBe(0);
      await waitFor(() => k.condition('llm', 'WarmPool')?.reason === 'Sized', 2000, 'WarmPool Sized');
      // 09:40: the 10:00 peak is within lead + provisioning: core's pre-warm term is 10
      // replicas, 1 is ordered; the balloon takes its bound, 4 pods.
      const r = await step(T0 + 40 * 60_000);
      expect(r.decision?.scaler === 'blend' && r.decision.detail.prewarmReplicas).toBe(10);
      expect(k.replicas('llm')).toBe(1);
      expect(k.replicas('llm-balloon')).toBe(4);
    });

    test('without a pre-warm size from core the balloon is left as it is, and WarmPool says why', async () => {
      k.server.apply(deployment('llm', 1));
      k.server.apply(deployment('llm-balloon', 2));
      k.server.apply(podAutoscaler('llm', kpaSpec('llm', { warmPool: pool, predictive: { ...predictive, history: { ...predictive.history, endpoint: 'http://prometheus.monitoring:9090' } } })));
      const c = await k.controller({ allowedEndpoints: ['http://prometheus.monitoring:9090'] });
      await waitFor(() => c.keys().length === 1);
      k.metrics.set('llm-0', 'vllm:num_requests_waiting', 1);
      k.t += 10_000;
      expect((await c.reconcile('default/llm')).error).toBeUndefined();
      await waitFor(() => k.condition('llm', 'WarmPool') !== undefined, 2000, 'the WarmPool condition');
      expect(k.condition('llm', 'WarmPool')).toMatchObject({ status: 'False', reason: 'NoPrewarmForecast' });
      expect(k.replicas('llm-balloon')).toBe(2);
    });
  });
});
