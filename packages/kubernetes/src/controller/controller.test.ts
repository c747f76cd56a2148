import { createScaler, type Observation, type ScalerSpec, type ScalerState } from '@prescale/core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { deployment, kpaSpec, pod, podAutoscaler, T0, TestCluster, waitFor } from '../testing/cluster.js';

const METRIC = 'vllm:num_requests_waiting';

let k: TestCluster;

beforeEach(async () => {
  k = await new TestCluster().start();
});

afterEach(async () => {
  await k.stop();
});

/** The observation the controller should have made: the stored pods and the values served. */
function expectedObservation(app: string, now: number): Observation {
  const pods = k.server
    .list('pods')
    .filter((p) => p.metadata?.labels?.app === app)
    .map((p) => ({ name: p.metadata?.name ?? '', phase: 'Running' as const, ready: true, deleting: false, metrics: { [METRIC]: k.metrics.values.get(p.metadata?.name ?? '')?.[METRIC] ?? null } }));
  return { now, currentReplicas: k.replicas(app), pods };
}

describe('controller against the stand-in API server, through client-node', () => {
  test('a load step scales the Deployment up, its end scales it down, and every decision is core\u2019s', async () => {
    k.server.apply(deployment('llm', 1));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm')));
    const c = await k.controller();
    await waitFor(() => c.keys().includes('default/llm'), 2000, 'informer');

    // What the spec means in core's terms, written out here rather than derived.
    const reference: ScalerSpec = {
      algorithm: 'kpa',
      metric: METRIC,
      config: {
        targetValue: 5,
        minReplicas: 1,
        maxReplicas: 10,
        stableWindowSeconds: 60,
        panicWindowPercentage: (20 / 60) * 100,
        granularitySeconds: 10,
        maxScaleUpRate: 2,
        maxScaleDownRate: 2,
        panicThreshold: 2,
        scaleDownDelaySeconds: 0,
      },
    };
    const scaler = createScaler(reference);
    let state: ScalerState | null = null;
    const load = (s: number): number => (s < 60 ? 4 : s < 240 ? 40 : 3);
    const seen: number[] = [];
    for (let s = 0; s <= 480; s += 10) {
      k.t = T0 + s * 1000;
      k.spreadLoad('llm', load(s));
      const obs = expectedObservation('llm', k.t);
      state ??= scaler.init({ now: k.t, readyPods: obs.pods.length });
      const expected = scaler.step(state, obs);
      state = expected.state;
      const r = await c.reconcile('default/llm');
      expect(r.error).toBeUndefined();
      expect(r.decision).toEqual(expected.decision);
      expect(k.replicas('llm')).toBe(expected.decision.desiredReplicas);
      seen.push(k.replicas('llm'));
      await waitFor(() => k.status('llm')?.desiredScale === expected.decision.desiredReplicas, 2000, 'status');
    }
    // Up to 8 (40 waiting / 5 per replica) during the step, back to 1 after it.
    expect(Math.max(...seen)).toBe(8);
    expect(seen[0]).toBe(1);
    expect(seen[seen.length - 1]).toBe(1);

    const status = k.status('llm');
    expect(status?.actualScale).toBe(1);
    expect(k.condition('llm', 'ValidSpec')?.status).toBe('True');
    expect(k.condition('llm', 'Ready')?.status).toBe('True');
    expect(status?.scalingHistory.length).toBeGreaterThan(0);
    expect(status?.scalingHistory.length).toBeLessThanOrEqual(5);
    expect(status?.lastDecision.algorithm).toBe('kpa');
    expect(typeof status?.scalerState).toBe('string');
    // One Event per scale, each naming its reasons, with microsecond event times.
    const scales = k.scalePatches();
    const events = k.server.list('events.events.k8s.io').filter((e) => e.reason === 'SuccessfulRescale');
    expect(events.length).toBe(scales.length);
    expect(events.every((e) => /reason: \w+/.test(String(e.note)) && /\.\d{6}Z$/.test(String(e.eventTime)))).toBe(true);
    // Patches are merge patches, conditional on the resourceVersion read.
    expect(scales.every((r) => r.contentType === 'application/merge-patch+json')).toBe(true);
    expect(scales.every((r) => typeof (r.body as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion === 'string')).toBe(true);
  });

  test('the scale subresource is patched only when the decision changes it', async () => {
    k.server.apply(deployment('steady', 3));
    k.server.apply(podAutoscaler('steady', kpaSpec('steady')));
    const c = await k.controller();
    await waitFor(() => c.keys().includes('default/steady'));
    for (let s = 0; s < 120; s += 10) {
      k.t = T0 + s * 1000;
      k.spreadLoad('steady', 15); // exactly 3 replicas' worth
      const r = await c.reconcile('default/steady');
      expect(r.decision?.desiredReplicas).toBe(3);
    }
    expect(k.scalePatches()).toHaveLength(0);
    expect(k.server.list('events.events.k8s.io')).toHaveLength(0);
  });

  test('in watch mode the pods come from a cache: no LIST per loop, changes arrive through the watch', async () => {
    k.server.apply(deployment('llm', 2));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm')));
    const c = await k.controller({ pods: 'watch' });
    await waitFor(() => c.synced && c.keys().length === 1);
    k.spreadLoad('llm', 10);
    const listsBefore = k.server.requests.filter((r) => r.path.endsWith('/pods') && r.query.watch !== 'true').length;
    let r = await c.reconcile('default/llm');
    expect(r.decision?.desiredReplicas).toBe(2);
    // A third pod (say, a surge) appears through the watch and is observed without a LIST.
    k.server.apply(pod('llm-extra', 'llm', '10.0.0.9'));
    k.metrics.set('llm-extra', 'vllm:num_requests_waiting', 20);
    await new Promise((resolve) => setTimeout(resolve, 100));
    k.t += 10_000;
    r = await c.reconcile('default/llm');
    expect(r.decision?.detail).toMatchObject({ decider: { readyPods: 3 } });
    const listsAfter = k.server.requests.filter((r) => r.path.endsWith('/pods') && r.query.watch !== 'true').length;
    expect(listsAfter).toBe(listsBefore);
  });

  // An invalid spec (ValidSpec=False, an InvalidSpec Event, no scale) and two
  // PodAutoscalers on one target (MultiPodAutoscalerConflict until one goes): on a real
  // API server, e2e/crd.e2e.test.ts and e2e/controller.e2e.test.ts.
});
