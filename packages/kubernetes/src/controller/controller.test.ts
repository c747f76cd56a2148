import { createScaler, type Observation, type ScalerSpec, type ScalerState } from '@prescale/core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FakeApiServer } from '../testing/fakeApiServer.js';
import { kubeConfigFor } from '../testing/kubeConfig.js';
import { deployment, FakeMetrics, kpaSpec, podAutoscaler, runWorkloadController, T0, waitFor } from '../testSupport.js';
import { Controller } from './controller.js';
import { KubeClient } from './kubeClient.js';

const METRIC = 'vllm:num_requests_waiting';

let server: FakeApiServer;
let stopWorkloads: () => void;
let metrics: FakeMetrics;
let t: number;
let controllers: Controller[];

beforeEach(async () => {
  server = new FakeApiServer({ bookmarkIntervalMs: 100 });
  await server.start();
  stopWorkloads = runWorkloadController(server);
  metrics = new FakeMetrics();
  t = T0;
  controllers = [];
});

afterEach(async () => {
  for (const c of controllers) await c.stop();
  stopWorkloads();
  await server.close();
});

async function startController(options: Partial<ConstructorParameters<typeof Controller>[0]> = {}, token = 'operator-a'): Promise<Controller> {
  const client = new KubeClient(kubeConfigFor(server.url, token), { timeoutMs: 2000 });
  const c = new Controller({ client, metrics, now: () => t, ...options });
  controllers.push(c);
  await c.start();
  return c;
}

/** Every pod of the target gets `total / pods` waiting requests. */
function spreadLoad(app: string, total: number): void {
  const pods = server.list('pods').filter((p) => p.metadata?.labels?.app === app);
  for (const p of pods) metrics.set(p.metadata?.name ?? '', METRIC, total / pods.length);
}

/** The observation the controller should have made: the stored pods and the values served. */
function expectedObservation(app: string, now: number): Observation {
  const d = server.get('deployments', 'default', app);
  const pods = server
    .list('pods')
    .filter((p) => p.metadata?.labels?.app === app)
    .map((p) => ({ name: p.metadata?.name ?? '', phase: 'Running' as const, ready: true, deleting: false, metrics: { [METRIC]: metrics.values.get(p.metadata?.name ?? '')?.[METRIC] ?? null } }));
  return { now, currentReplicas: Number((d?.spec as { replicas: number }).replicas), pods };
}

const statusOf = (name: string) => server.get('podautoscalers', 'default', name)?.status as Record<string, any> | undefined;
const replicasOf = (name: string) => Number((server.get('deployments', 'default', name)?.spec as { replicas: number }).replicas);

describe('controller against the stand-in API server, through client-node', () => {
  test('a load step scales the Deployment up, its end scales it down, and every decision is core\u2019s', async () => {
    server.apply(deployment('llm', 1));
    server.apply(podAutoscaler('llm', kpaSpec('llm')));
    const c = await startController();
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
      t = T0 + s * 1000;
      spreadLoad('llm', load(s));
      const obs = expectedObservation('llm', t);
      state ??= scaler.init({ now: t, readyPods: obs.pods.length });
      const expected = scaler.step(state, obs);
      state = expected.state;
      const r = await c.reconcile('default/llm');
      expect(r.error).toBeUndefined();
      expect(r.decision).toEqual(expected.decision);
      expect(replicasOf('llm')).toBe(expected.decision.desiredReplicas);
      seen.push(replicasOf('llm'));
      await waitFor(() => statusOf('llm')?.desiredScale === expected.decision.desiredReplicas, 2000, 'status');
    }
    // Up to 8 (40 waiting / 5 per replica) during the step, back to 1 after it.
    expect(Math.max(...seen)).toBe(8);
    expect(seen[0]).toBe(1);
    expect(seen[seen.length - 1]).toBe(1);

    const status = statusOf('llm');
    expect(status?.actualScale).toBe(1);
    expect(status?.conditions.find((x: { type: string }) => x.type === 'ValidSpec').status).toBe('True');
    expect(status?.scalingHistory.length).toBeGreaterThan(0);
    expect(status?.scalingHistory.length).toBeLessThanOrEqual(5);
    expect(typeof status?.scalerState).toBe('string');
    // One Event per scale, each naming its reasons, with microsecond event times.
    const scales = server.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/scale'));
    const events = server.list('events.events.k8s.io').filter((e) => e.reason === 'SuccessfulRescale');
    expect(events.length).toBe(scales.length);
    expect(events.every((e) => /reason: \w+/.test(String(e.note)))).toBe(true);
    // Patches are merge patches, conditional on the resourceVersion read.
    expect(scales.every((r) => r.contentType === 'application/merge-patch+json')).toBe(true);
    expect(scales.every((r) => typeof (r.body as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion === 'string')).toBe(true);
  });

  test('the scale subresource is patched only when the decision changes it', async () => {
    server.apply(deployment('steady', 3));
    server.apply(podAutoscaler('steady', kpaSpec('steady')));
    const c = await startController();
    await waitFor(() => c.keys().includes('default/steady'));
    for (let s = 0; s < 120; s += 10) {
      t = T0 + s * 1000;
      spreadLoad('steady', 15); // exactly 3 replicas' worth
      const r = await c.reconcile('default/steady');
      expect(r.decision?.desiredReplicas).toBe(3);
    }
    expect(server.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/scale'))).toHaveLength(0);
    expect(server.list('events.events.k8s.io')).toHaveLength(0);
  });
});
