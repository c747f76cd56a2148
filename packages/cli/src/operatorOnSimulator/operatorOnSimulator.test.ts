/**
 * End to end with the simulator's vLLM-like replicas as the pods: the operator scrapes
 * their /metrics pages over HTTP, a load step scales the Deployment up, its end scales it
 * down, and every decision equals what `@prescale/core` gives for the same pages.
 */
import { createScaler, type ScalerSpec, type ScalerState } from '@prescale/core';
import { deployment, kpaSpec, podAutoscaler, T0, TestCluster, waitFor } from '@prescale/kubernetes/testing';
import { afterEach, expect, test } from 'vitest';
import { defaultOperatorPorts } from '../operator/ports.js';
import { SimulatedPods } from './simulatedPods.js';

const METRIC = 'vllm:num_requests_running';
let k: TestCluster;
let sim: SimulatedPods;

afterEach(async () => {
  await k.stop();
  await sim.close();
});

test('a load step on simulated vLLM replicas scales up, its end scales down; decisions are core\u2019s', async () => {
  k = new TestCluster();
  sim = new SimulatedPods(k.server, 'llm', 30);
  await sim.start();
  await k.start((name) => sim.ipFor(name), false);
  k.server.apply(deployment('llm', 1));
  const spec = kpaSpec('llm', {
    maxReplicas: 12,
    maxScaleUpRate: 4,
    metricsSources: [{ metricSourceType: 'pod', protocolType: 'http', port: sim.port, path: '/metrics', targetMetric: METRIC, labelMatchers: { model_name: 'llm' }, targetValue: '8' }],
  });
  k.server.apply(podAutoscaler('llm', spec));
  // The operator's own ports: pods scraped through @prescale/prometheus.
  const ports = defaultOperatorPorts();
  const c = await k.controller({ metrics: ports.metrics });
  await waitFor(() => c.keys().length === 1);

  const reference: ScalerSpec = {
    algorithm: 'kpa',
    metric: METRIC,
    config: { targetValue: 8, minReplicas: 1, maxReplicas: 12, stableWindowSeconds: 60, panicWindowPercentage: (20 / 60) * 100, granularitySeconds: 10, maxScaleUpRate: 4, maxScaleDownRate: 2, panicThreshold: 2, scaleDownDelaySeconds: 0 },
  };
  const scaler = createScaler(reference);
  let state: ScalerState | null = null;
  const rate = (s: number) => (s < 120 ? 1 : s < 600 ? 12 : 0.5);
  const replicas: number[] = [];
  for (let s = 0; s <= 1080; s += 10) {
    sim.rate = rate(s);
    sim.advanceTo(s);
    k.t = T0 + s * 1000;
    // The observation the operator should make: the pods in the cluster, the pages' values.
    const values = sim.values(METRIC);
    const pods = k.server
      .list('pods')
      .filter((p) => p.metadata?.labels?.app === 'llm')
      .map((p) => {
        const name = p.metadata?.name ?? '';
        const ready = (p.status as { conditions: Array<{ status: string }> }).conditions[0]?.status === 'True';
        return { name, phase: 'Running' as const, ready, deleting: false, metrics: { [METRIC]: ready ? (values[name] ?? null) : null } };
      });
    const obs = { now: k.t, currentReplicas: k.replicas('llm'), pods };
    state ??= scaler.init({ now: k.t, readyPods: pods.filter((p) => p.ready).length });
    const expected = scaler.step(state, obs);
    state = expected.state;
    const r = await c.reconcile('default/llm');
    expect(r.error).toBeUndefined();
    expect(r.decision).toEqual(expected.decision);
    replicas.push(k.replicas('llm'));
  }
  const at = (s: number) => replicas[s / 10]!;
  expect(at(110)).toBe(1); // 1 req/s fits one replica
  // The step to 12 req/s needs several (panic overshoots, then the stable window settles).
  expect(at(500)).toBeGreaterThanOrEqual(4);
  expect(at(500)).toBeLessThan(12);
  expect(Math.max(...replicas)).toBeGreaterThan(at(500));
  expect(at(1080)).toBe(1); // and its end gives them back
  expect(sim.completed).toBeGreaterThan(1000);
  await ports.close();
}, 60_000);
