/**
 * Scale to zero and back on a real API server (issue 21): a KPA PodAutoscaler with
 * `minReplicas: 0` and a wake-up source (a gateway's waiting requests from Prometheus,
 * here FakeMetrics) takes its Deployment to 0 through the scale subresource when the
 * pods report no load, holds it there with `Active=False ScaledToZero`, and brings it
 * back to 1 when requests wait at the gateway, with no pod to report anything. The API
 * server checks the new fields against the generated CRD, and refuses a `wakeUp` of an
 * unknown type. The controller runs in this process as the operator's ServiceAccount,
 * the loops driven by the test's clock (`reconcile`).
 */
import { AppsV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { GROUP, PLURAL, VERSION } from '../src/crd/names.js';
import { Controller } from '../src/controller/controller.js';
import { KubeClient } from '../src/controller/kubeClient.js';
import { FakeMetrics, kpaSpec, T0, waitFor } from '../src/testing/index.js';
import { operatorKubeConfig } from './support/operatorAccount.js';
import { testEnv } from './support/testEnv.js';
import { createPodAutoscaler, useNamespace } from './support/suite.js';

const NS = 'e2e-scale-to-zero';
const GATEWAY = 'http://prometheus.monitoring:9090';
const wakeUp = { metricSourceType: 'prometheus', endpoint: GATEWAY, query: 'sum(envoy_cluster_upstream_rq_pending_active{envoy_cluster_name=~".*llm.*"})' };

const workloads = useNamespace(NS);
const admin = () => testEnv().admin;

async function replicas(name: string): Promise<number> {
  return (await admin().makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: NS, name })).spec?.replicas ?? -1;
}

async function active(name: string): Promise<{ status: string; reason: string } | undefined> {
  const pa = (await admin().makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace: NS, name })) as {
    status?: { conditions?: Array<{ type: string; status: string; reason: string }> };
  };
  return pa.status?.conditions?.find((c) => c.type === 'Active');
}

describe('scale to zero on a real API server', () => {
  test('0 after the grace period with no load, held with Active=False ScaledToZero, then 0 → 1 when requests wait at the gateway', async () => {
    await workloads().deploy(NS, 'llm', 1);
    await createPodAutoscaler(NS, 'llm', kpaSpec('llm', { minReplicas: 0, wakeUp }));
    const metrics = new FakeMetrics();
    metrics.external.wakeUp = 0;
    let t = T0;
    const c = new Controller({ client: new KubeClient(await operatorKubeConfig()), metrics, namespace: NS, now: () => t, pods: 'list', allowedEndpoints: [GATEWAY], informer: { restartDelayMs: 100 } });
    await c.start();
    try {
      await waitFor(() => c.keys().includes(`${NS}/llm`), 30_000, 'informer');
      for (let i = 0; i < 20 && (await replicas('llm')) > 0; i++) {
        metrics.set('llm-0', 'vllm:num_requests_waiting', 0);
        t += 10_000;
        expect((await c.reconcile(`${NS}/llm`)).error).toBeUndefined();
      }
      expect(await replicas('llm')).toBe(0);
      await workloads().sync();
      expect((await admin().makeApiClient(CoreV1Api).listNamespacedPod({ namespace: NS, labelSelector: 'app=llm' })).items).toHaveLength(0);

      t += 10_000;
      expect((await c.reconcile(`${NS}/llm`)).scaled).toBeUndefined();
      expect(await active('llm')).toMatchObject({ status: 'False', reason: 'ScaledToZero' });

      metrics.external.wakeUp = 2;
      t += 10_000;
      const woke = await c.reconcile(`${NS}/llm`);
      expect(woke.error).toBeUndefined();
      expect(woke.scaled).toEqual({ from: 0, to: 1 });
      expect(await replicas('llm')).toBe(1);
      expect(await active('llm')).toMatchObject({ status: 'False', reason: 'Activating' });
      await workloads().sync();
      metrics.set('llm-0', 'vllm:num_requests_waiting', 2);
      t += 10_000;
      await c.reconcile(`${NS}/llm`);
      expect(await active('llm')).toMatchObject({ status: 'True', reason: 'Serving' });
    } finally {
      await c.stop();
    }
  });

  test('the CRD refuses a wakeUp source of an unknown type', async () => {
    await expect(createPodAutoscaler(NS, 'bad-wake', kpaSpec('llm', { minReplicas: 0, wakeUp: { ...wakeUp, metricSourceType: 'pods' } }))).rejects.toThrow(/metricSourceType/);
  });
});
