/**
 * Fault tests of the controller against the stand-in API server, for the faults a real
 * server cannot be made to produce on demand: API errors and calls that never answer, a
 * dropped watch; and pods without metrics, and a restart in the middle of a panic
 * window. Leadership is tested in leadership.test.ts. A compacted history (410 Gone) and
 * a conflict on the scale patch are tested on a real API server (e2e/).
 */
import { createScaler, type ScalerSpec, type ScalerState } from '@prescale/core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { kpaSpec, deployment, pod, podAutoscaler, T0, TestCluster, waitFor } from '../testing/cluster.js';

const METRIC = 'vllm:num_requests_waiting';
let k: TestCluster;

beforeEach(async () => {
  k = await new TestCluster().start();
});

afterEach(async () => {
  await k.stop();
});

describe('API errors and timeouts', () => {
  test('a 500 on reading the scale is reported and the next loop recovers', async () => {
    k.server.apply(deployment('llm', 1));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm', { maxScaleUpRate: 10 })));
    const c = await k.controller();
    await waitFor(() => c.keys().length === 1);
    k.spreadLoad('llm', 30);
    k.server.addFault({ method: 'GET', path: /\/scale$/, status: 500, times: 1 });
    const failed = await c.reconcile('default/llm');
    expect(failed.error?.message).toMatch(/read scale of Deployment\/llm: injected fault 500/);
    expect(k.replicas('llm')).toBe(1);
    await waitFor(() => k.condition('llm', 'AbleToScale')?.reason === 'FailedGetScale');
    k.t += 10_000;
    const ok = await c.reconcile('default/llm');
    expect(ok.error).toBeUndefined();
    expect(k.replicas('llm')).toBe(6);
    await waitFor(() => k.condition('llm', 'AbleToScale')?.status === 'True');
  });

  test('a call that never answers times out, holds the scale, and the next loop recovers', async () => {
    k.server.apply(deployment('llm', 2));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm')));
    const c = await k.controller({ client: k.client('operator-a', 200) });
    await waitFor(() => c.keys().length === 1);
    k.spreadLoad('llm', 40);
    const remove = k.server.addFault({ method: 'GET', path: /\/pods$/, delayMs: 1500 });
    const started = Date.now();
    const slow = await c.reconcile('default/llm');
    expect(Date.now() - started).toBeLessThan(1200);
    expect(slow.error?.message).toMatch(/list pods .*no answer in time/);
    expect(k.replicas('llm')).toBe(2);
    await waitFor(() => k.condition('llm', 'AbleToScale')?.reason === 'FailedListPods');
    remove();
    k.t += 10_000;
    expect((await c.reconcile('default/llm')).error).toBeUndefined();
    expect(k.replicas('llm')).toBe(4);
  });

  test('a failed scale patch is recorded in history and a Warning event, not retried blindly', async () => {
    k.server.apply(deployment('llm', 1));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm', { maxScaleUpRate: 10 })));
    const c = await k.controller();
    await waitFor(() => c.keys().length === 1);
    k.spreadLoad('llm', 30);
    k.server.addFault({ method: 'PATCH', path: /\/scale$/, status: 503, times: 1 });
    const r = await c.reconcile('default/llm');
    expect(r.error?.message).toMatch(/scale Deployment\/llm to 6/);
    expect(k.replicas('llm')).toBe(1);
    await waitFor(() => k.status('llm')?.scalingHistory?.length === 1);
    expect(k.status('llm')?.scalingHistory[0]).toMatchObject({ previousScale: 1, newScale: 6, success: false });
    expect(k.server.list('events.events.k8s.io').map((e) => [e.type, e.reason])).toEqual([['Warning', 'FailedRescale']]);
  });
});

describe('watches', () => {
  test('after a dropped watch the informer restarts and sees new PodAutoscalers', async () => {
    k.server.apply(deployment('a', 1));
    k.server.apply(podAutoscaler('a', kpaSpec('a')));
    const c = await k.controller();
    await waitFor(() => c.keys().length === 1 && k.server.openWatches === 1);
    k.server.dropWatches();
    k.server.apply(deployment('b', 1));
    k.server.apply(podAutoscaler('b', kpaSpec('b')));
    await waitFor(() => c.keys().includes('default/b'), 3000, 'the new PodAutoscaler after the drop');
    expect(c.informerRestarts).toBeGreaterThan(0);
  });
  // A watch from a compacted resourceVersion (410 Gone) and a conflict on the scale
  // patch (409): on a real API server, e2e/resilience.e2e.test.ts and
  // e2e/controller.e2e.test.ts.
});

describe('pods without metrics', () => {
  test('pods that report nothing are missing, not zero: the decision is core\u2019s with them missing', async () => {
    k.server.apply(deployment('llm', 4));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm')));
    const c = await k.controller();
    await waitFor(() => c.keys().length === 1 && k.server.list('pods').length === 4);
    // Two of four pods report 10 waiting each; one has no value; one has no IP.
    k.metrics.set('llm-0', METRIC, 10);
    k.metrics.set('llm-1', METRIC, 10);
    k.metrics.set('llm-2', METRIC, null);
    k.server.apply(pod('llm-3', 'llm', null));
    const r = await c.reconcile('default/llm');
    const spec: ScalerSpec = {
      algorithm: 'kpa',
      metric: METRIC,
      config: { targetValue: 5, minReplicas: 1, maxReplicas: 10, stableWindowSeconds: 60, panicWindowPercentage: (20 / 60) * 100, granularitySeconds: 10, maxScaleUpRate: 2, maxScaleDownRate: 2, panicThreshold: 2, scaleDownDelaySeconds: 0 },
    };
    const scaler = createScaler(spec);
    const pods = ['llm-0', 'llm-1', 'llm-2', 'llm-3'].map((name, i) => ({ name, phase: 'Running' as const, ready: true, deleting: false, metrics: { [METRIC]: i < 2 ? 10 : null } }));
    const expected = scaler.step(scaler.init({ now: k.t, readyPods: 4 }), { now: k.t, currentReplicas: 4, pods });
    expect(r.decision).toEqual(expected.decision);
    // The mean of the pods that reported (10) stands for all four: 40 waiting, 8 replicas.
    expect(k.replicas('llm')).toBe(8);
  });

  test('when no pod reports, the decision holds with NoMetrics and nothing is scaled', async () => {
    k.server.apply(deployment('llm', 5));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm')));
    const c = await k.controller();
    await waitFor(() => c.keys().length === 1);
    k.metrics.failPods = true;
    for (let s = 0; s < 120; s += 10) {
      k.t = T0 + s * 1000;
      const r = await c.reconcile('default/llm');
      expect(r.decision?.valid).toBe(false);
      expect(r.decision?.reasons[0]).toBe('NoMetrics');
    }
    expect(k.replicas('llm')).toBe(5);
    expect(k.scalePatches()).toHaveLength(0);
    await waitFor(() => k.condition('llm', 'ScalingActive')?.reason === 'NoMetrics');
  });
});

describe('restart in the middle of a panic window', () => {
  test('a new operator resumes the persisted state: same decisions as if it had never stopped', async () => {
    k.server.apply(deployment('llm', 2));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm', { observeWindowSeconds: 120, panicWindowSeconds: 20 })));
    const spec: ScalerSpec = {
      algorithm: 'kpa',
      metric: METRIC,
      config: { targetValue: 5, minReplicas: 1, maxReplicas: 10, stableWindowSeconds: 120, panicWindowPercentage: (20 / 120) * 100, granularitySeconds: 10, maxScaleUpRate: 2, maxScaleDownRate: 2, panicThreshold: 2, scaleDownDelaySeconds: 0 },
    };
    const scaler = createScaler(spec);
    const load = (s: number): number => (s < 40 ? 8 : s < 70 ? 45 : 6);
    const observe = (now: number) => {
      const pods = k.server
        .list('pods')
        .filter((p) => p.metadata?.labels?.app === 'llm')
        .map((p) => ({ name: p.metadata?.name ?? '', phase: 'Running' as const, ready: true, deleting: false, metrics: { [METRIC]: k.metrics.values.get(p.metadata?.name ?? '')?.[METRIC] ?? null } }));
      return { now, currentReplicas: k.replicas('llm'), pods };
    };
    let reference: ScalerState | null = null;
    let fresh: ScalerState | null = null; // what an operator that lost its state would do
    let differs = 0;
    // Every loop persists its state (statusRefreshSeconds 0), so the resumption is exact.
    let first = await k.controller({ statusRefreshSeconds: 0 }, 'operator-a');
    await waitFor(() => first.keys().length === 1);
    const restartAt = 80;
    for (let s = 0; s <= 240; s += 10) {
      k.t = T0 + s * 1000;
      k.spreadLoad('llm', load(s));
      if (s === restartAt) {
        // The first operator stops in panic mode; a new one starts from the object's status.
        expect(k.status('llm')?.lastDecision.reasons.some((r: string) => r.startsWith('Panic'))).toBe(true);
        await first.stop();
        first = await k.controller({ statusRefreshSeconds: 0 }, 'operator-b');
        await waitFor(() => first.keys().length === 1);
      }
      const obs = observe(k.t);
      reference ??= scaler.init({ now: k.t, readyPods: obs.pods.length });
      const expected = scaler.step(reference, obs);
      reference = expected.state;
      if (s >= restartAt) {
        fresh ??= scaler.init({ now: k.t, readyPods: obs.pods.length });
        const blind = scaler.step(fresh, obs);
        fresh = blind.state;
        if (blind.decision.desiredReplicas !== expected.decision.desiredReplicas) differs += 1;
      }
      const r = await first.reconcile('default/llm');
      expect(r.decision).toEqual(expected.decision);
      await waitFor(() => k.status('llm')?.lastDecision?.time === new Date(k.t).toISOString(), 2000, 'status');
    }
    // Without the persisted state the decisions after the restart would have differed.
    expect(differs).toBeGreaterThan(0);
  });
});
