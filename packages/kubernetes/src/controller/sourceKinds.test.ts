/**
 * Every kind of metric source, several on one PodAutoscaler, against the stand-in API
 * server serving metrics.k8s.io and external.metrics.k8s.io: each source proposes, the
 * largest proposal wins, every source's value and proposal is in `status.metrics`, and
 * a source that fails is left out with its error, never read as 0 (AIBrix PR #2592).
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { deployment, kpaSpec, podAutoscaler, TestCluster, waitFor } from '../testing/cluster.js';
import { externalMetric, POD_METRICS } from '../testing/resources.js';

const QUEUE = 'aibrix_queue_depth';
let k: TestCluster;

beforeEach(async () => {
  k = await new TestCluster([POD_METRICS, externalMetric(QUEUE)]).start((_pod, i) => `10.0.0.${i + 1}`);
});
afterEach(async () => {
  await k.stop();
});

const sources = [
  { metricSourceType: 'pod', protocolType: 'http', port: 8000, path: '/metrics', targetMetric: 'vllm:num_requests_waiting', targetValue: '5' },
  { metricSourceType: 'external', targetMetric: QUEUE, targetValue: '10', labelMatchers: { model: 'llm' } },
  { metricSourceType: 'domain', protocolType: 'http', endpoint: 'gpu-optimizer.aibrix-system:8080', path: '/metrics/default/llm', targetMetric: 'vllm:deployment_replicas', targetValue: '100' },
  { metricSourceType: 'resource', targetMetric: 'cpu', targetValue: '500' },
];

/** PodMetrics of every pod of `app`: `cores` of CPU in each of two containers. */
function podUsage(app: string, cores: number): void {
  for (const p of k.server.list('pods').filter((x) => x.metadata?.labels?.app === app)) {
    k.server.apply({
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      metadata: { name: p.metadata?.name, namespace: 'default', labels: { app } },
      containers: [{ name: 'a', usage: { cpu: `${(cores / 2) * 1000}m`, memory: '1Gi' } }, { name: 'b', usage: { cpu: `${(cores / 2) * 1e9}n`, memory: '1Gi' } }],
    } as never);
  }
}

function queueDepth(value: string): void {
  k.server.apply({ apiVersion: 'external.metrics.k8s.io/v1beta1', kind: 'ExternalMetricValue', metadata: { name: 'q', namespace: 'default', labels: { model: 'llm' } }, metricName: QUEUE, value } as never);
}

describe('several sources of every kind on one KPA', () => {
  test('the largest proposal wins and every source shows its value and proposal', async () => {
    k.server.apply(deployment('llm', 4));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm', { maxReplicas: 40, maxScaleUpRate: 10, metricsSources: sources })));
    await waitFor(() => k.server.list('pods').length === 4);
    // Knative's KPA starts in panic with more than one ready pod: no proposal below the 4 there are.
    k.spreadLoad('llm', 8); // 8 waiting in all: ceil(8 / 5) = 2, held at 4
    queueDepth('150'); // ceil(150 / 10) = 15
    k.metrics.external['vllm:deployment_replicas'] = 900; // ceil(900 / 100) = 9
    podUsage('llm', 0.2); // 200 millicores × 4 pods: ceil(800 / 500) = 2, held at 4
    const c = await k.controller({ allowedEndpoints: ['http://gpu-optimizer.aibrix-system:8080'] });
    await waitFor(() => c.keys().length === 1);
    k.t += 10_000;
    const r = await c.reconcile('default/llm');
    expect(r.decision?.scaler).toBe('multi');
    expect(r.decision?.desiredReplicas).toBe(15);
    await waitFor(() => k.status('llm')?.metrics !== undefined, 2000, 'status.metrics');
    const shown = k.status('llm')?.metrics as Array<Record<string, unknown>>;
    expect(shown.map((m) => [m.type, m.value, m.desiredReplicas])).toEqual([
      ['pod', 8, 4],
      ['external', 150, 15],
      ['domain', 900, 9],
      ['resource', 800, 4],
    ]);
    // The scaling history says why, with the source that won.
    expect(k.status('llm')?.scalingHistory?.[0]?.reason).toMatch(/\(metricsSources\[1\] aibrix_queue_depth\)$/);
    expect(k.server.requests.some((q) => q.path.startsWith(`/apis/external.metrics.k8s.io/v1beta1/namespaces/default/${QUEUE}`) && q.query.labelSelector === 'model=llm')).toBe(true);
  });

  test('a source that fails is left out with its error, never read as 0: the others decide', async () => {
    k.server.apply(deployment('llm', 4));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm', { maxReplicas: 20, metricsSources: sources.slice(0, 2) })));
    await waitFor(() => k.server.list('pods').length === 4);
    k.spreadLoad('llm', 30); // ceil(30 / 5) = 6 (above the 4 held in panic)
    // No external metric at all: the adapter's list is empty (AIBrix: an error).
    const c = await k.controller();
    await waitFor(() => c.keys().length === 1);
    k.t += 10_000;
    const r = await c.reconcile('default/llm');
    expect(r.decision?.desiredReplicas).toBe(6);
    await waitFor(() => k.status('llm')?.metrics !== undefined, 2000, 'status.metrics');
    const shown = k.status('llm')?.metrics as Array<Record<string, unknown>>;
    expect(shown[1]).toMatchObject({ type: 'external', error: expect.stringMatching(/^NotFound: /) });
    expect(shown[1]?.desiredReplicas).toBeUndefined();
    expect(k.condition('llm', 'MetricsAvailable')).toMatchObject({ status: 'False', reason: 'NotFound' });
  });
});

describe('the scaling history keeps every decision’s reason, bounded as AIBrix keeps it', () => {
  test('a reason is at most 256 characters and the history at most 5 entries', async () => {
    const { appendScalingHistory, historyReason, MAX_HISTORY_REASON, MAX_SCALING_HISTORY } = await import('./scalingHistory.js');
    const { createScaler } = await import('@prescale/core');
    const many = Array.from({ length: 40 }, (_, i) => ({ algorithm: 'apa' as const, metric: `a-very-long-metric-name-number-${i}`, config: { targetValue: 1, maxReplicas: 50 } }));
    const s = createScaler({ algorithm: 'multi', sources: many });
    const pods = [{ name: 'p', phase: 'Running' as const, ready: true, metrics: Object.fromEntries(many.map((m, i) => [m.metric, i])) }];
    const { decision } = s.step(s.init({ now: 0, readyPods: 1 }), { now: 1000, currentReplicas: 1, pods });
    expect(historyReason(decision).length).toBeLessThanOrEqual(MAX_HISTORY_REASON);
    let history: ReturnType<typeof appendScalingHistory> = [];
    for (let i = 0; i < 12; i++) history = appendScalingHistory(history, { timestamp: new Date(i * 60_000).toISOString(), previousScale: i, newScale: i + 1, reason: historyReason(decision), success: true });
    expect(history).toHaveLength(MAX_SCALING_HISTORY);
    expect(history.map((h) => h.newScale)).toEqual([8, 9, 10, 11, 12]);
  });
});

describe('resource sources under HPA: a cpu utilisation of the pods’ requests, as AIBrix’s HPA wrapper maps it', () => {
  test('90 % of a 1-core request against a 50 % target doubles the pods', async () => {
    k.server.apply(deployment('llm', 2));
    await waitFor(() => k.server.list('pods').length === 2);
    // Requests as the pods' spec gives them (the stand-in's workload controller makes pods without).
    for (const p of k.server.list('pods')) {
      k.server.apply({ ...p, spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai', resources: { requests: { cpu: '500m' } } }, { name: 'sidecar', image: 'x', resources: { requests: { cpu: '0.5' } } }] } });
    }
    podUsage('llm', 0.9);
    const hpa = kpaSpec('llm', { scalingStrategy: 'HPA', observeWindowSeconds: undefined, panicWindowSeconds: undefined, metricsSources: [{ metricSourceType: 'resource', targetMetric: 'cpu', targetValue: '50' }] });
    k.server.apply(podAutoscaler('llm', JSON.parse(JSON.stringify(hpa))));
    const c = await k.controller();
    await waitFor(() => c.keys().length === 1);
    k.t += 15_000;
    const r = await c.reconcile('default/llm');
    // utilisation = 2 × 900m / 2 × 1000m = 90 %; ratio 90 / 50 = 1.8; ceil(1.8 × 2) = 4.
    expect(r.decision?.scaler).toBe('hpa');
    expect(r.decision?.detail).toMatchObject({ metrics: [{ metric: 'cpu', replicas: 4, utilization: 90 }] });
    expect(r.scaled).toEqual({ from: 2, to: 4 });
  });
});
