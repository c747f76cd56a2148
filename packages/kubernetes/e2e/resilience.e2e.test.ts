/**
 * What a real API server does to a controller over time: its watch expires (etcd
 * compacted past the informer's resourceVersion, the API server restarted mid-run, so
 * the watch resumes from a revision that is gone: 410 Gone, relist), and an operator
 * restart resumes the persisted scaler state, a predictive scaler's demand history
 * included, from the object's status as the real server stored it.
 */
import type { BinnedSeries } from '@prescale/core';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { GROUP, PLURAL, VERSION } from '../src/crd/names.js';
import { Controller } from '../src/controller/controller.js';
import { KubeClient } from '../src/controller/kubeClient.js';
import type { HistoryLoader, HistoryRequest } from '../src/controller/metricsPort.js';
import { decodeState } from '../src/controller/persistedState.js';
import { FakeMetrics, kpaSpec, T0, waitFor } from '../src/testing/index.js';
import { operatorKubeConfig } from './support/operatorAccount.js';
import { compactEtcd, etcdRevision, restartApiServer, testEnv } from './support/testEnv.js';
import { createPodAutoscaler as createIn, loggingController, useNamespace } from './support/suite.js';

const NS = 'e2e-resilience';
const workloads = useNamespace(NS);
const custom = () => testEnv().admin.makeApiClient(CustomObjectsApi);
const createPodAutoscaler = (name: string, spec: Record<string, unknown>) => createIn(NS, name, spec);

async function status(name: string): Promise<Record<string, unknown> & { scalerState?: string }> {
  const o = (await custom().getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace: NS, name })) as { status?: Record<string, unknown> & { scalerState?: string } };
  return o.status ?? {};
}

describe('watch expiry', () => {
  test('etcd compacted past the watch and the API server restarted: the informer relists and follows again', async () => {
    await createPodAutoscaler('before', kpaSpec('before'));
    const logs: string[] = [];
    const c = loggingController(new KubeClient(await operatorKubeConfig(), { timeoutMs: 5000 }), NS, logs, 200);
    await c.start();
    try {
      await waitFor(() => c.keys().includes(`${NS}/before`), 30_000, 'informer');
      // Move etcd's revision on with objects the informer does not watch, then compact:
      // the informer's resourceVersion is now older than anything etcd keeps.
      const core = testEnv().admin.makeApiClient(CoreV1Api);
      for (let i = 0; i < 20; i++) await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: `churn-${i}` }, data: { i: String(i) } } });
      const compacted = await compactEtcd();
      expect(await etcdRevision()).toBeGreaterThanOrEqual(compacted);
      await restartApiServer();

      // After the restart: a new PodAutoscaler appears, an old one goes.
      await createPodAutoscaler('after', kpaSpec('after'));
      await custom().deleteNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace: NS, name: 'before' });
      await waitFor(() => c.keys().includes(`${NS}/after`) && !c.keys().includes(`${NS}/before`), 90_000, `the informer to follow again; log:\n${logs.join('\n')}`);
      expect(logs.some((l) => /watch failed; restarting/.test(l)) || c.informerRestarts > 0).toBe(true);
      expect(c.synced).toBe(true);
    } finally {
      await c.stop();
    }
  });
});

const BIN = 600_000;
/** Requests per second: 2 most of the day, 20 from 10:00 to 12:00 UTC. */
const rateAt = (ms: number): number => (new Date(ms).getUTCHours() >= 10 && new Date(ms).getUTCHours() < 12 ? 20 : 2);

class SeriesHistory implements HistoryLoader {
  readonly requests: HistoryRequest[] = [];
  async load(r: HistoryRequest): Promise<BinnedSeries> {
    this.requests.push(r);
    const values: number[] = [];
    for (let t = r.from; t < r.to; t += r.stepMs) values.push(rateAt(t) * (1 + 0.1 * Math.sin(t / 3_600_000)));
    return { startMs: r.from, binMs: r.stepMs, values, utcOffsetMinutes: 0 };
  }
}

describe('operator restart', () => {
  test('a new operator resumes the persisted state from the real server, demand history and fit included, loading nothing', async () => {
    await workloads().deploy(NS, 'forecast', 1);
    const spec = kpaSpec('forecast', {
      maxReplicas: 12,
      predictive: { mode: 'auto', history: { endpoint: 'http://prometheus.monitoring:9090', query: 'sum(rate(vllm:request_success_total[5m]))', lookbackDays: 28 }, capacityPerReplica: 2, model: 'seasonal-naive-weekly' },
    });
    await createPodAutoscaler('forecast', spec);
    const metrics = new FakeMetrics();
    let t = T0 + 30 * 60_000;
    const run = async (history: HistoryLoader) => {
      const c = new Controller({ client: new KubeClient(await operatorKubeConfig()), metrics, history, allowedEndpoints: ['http://prometheus.monitoring:9090'], namespace: NS, now: () => t, pods: 'list' });
      await c.start();
      await waitFor(() => c.keys().includes(`${NS}/forecast`), 30_000, 'informer');
      return c;
    };
    const loop = async (c: Controller) => {
      metrics.set('forecast-0', 'vllm:num_requests_waiting', 3);
      metrics.external.requestRate = rateAt(t);
      const r = await c.reconcile(`${NS}/forecast`);
      expect(r.error).toBeUndefined();
      return r;
    };
    const firstHistory = new SeriesHistory();
    const first = await run(firstHistory);
    for (let s = 0; s < 12; s++, t += 10_000) await loop(first);
    await first.stop();
    expect(firstHistory.requests).toHaveLength(1);

    const saved = await status('forecast');
    const text = saved.scalerState ?? '';
    const persisted = decodeState(text, (JSON.parse(text) as { scaler: string }).scaler);
    if (persisted?.state.algorithm !== 'blend') throw new Error('no blend state in status');
    expect(persisted.state.blend.history.values.length).toBeGreaterThanOrEqual(28 * 144);
    expect(persisted.state.blend.fit).not.toBeNull();
    // The whole object as the server stores it stays small: docs/operator.md records the figure.
    const objectBytes = JSON.stringify(await custom().getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace: NS, name: 'forecast' })).length;
    console.log(`status.scalerState ${text.length} B, demand history ${persisted.state.blend.history.values.length} bins; whole object ${objectBytes} B`);
    expect(objectBytes).toBeLessThan(128 * 1024);

    const secondHistory = new SeriesHistory();
    const second = await run(secondHistory);
    try {
      t = Math.ceil(t / BIN) * BIN; // the next bin: a forecast is issued
      const r = await loop(second);
      expect(secondHistory.requests).toHaveLength(0);
      expect(r.prediction?.message).toMatch(/resumed \d+ bins of demand history/);
      if (r.decision?.scaler !== 'blend') throw new Error('not a blend decision');
      expect(r.decision.detail.fit).not.toBeNull();
      expect(r.decision.detail.fit?.refit).toBeNull();
    } finally {
      await second.stop();
    }
  });
});
