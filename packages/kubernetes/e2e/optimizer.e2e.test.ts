/**
 * The Optimizer strategy on a real API server (issue 19 item 5): one PodAutoscaler with
 * `scalingStrategy: Optimizer` over two GPU types scales both Deployments through their
 * `scale` subresources from one decision, reads the types' profiles from a ConfigMap
 * (RBAC `get` on configmaps, as the operator's ServiceAccount of rbac.yaml), and writes
 * each type's desired, current and ready replicas to `status.optimizer` through the
 * status subresource, which the server checks against the generated CRD. Missing demand
 * holds. The controller runs in this process (the decision on the test solver, the
 * greedy start; HiGHS is the CLI's and is tested there), the loops driven by the test.
 */
import { AppsV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { Controller } from '../src/controller/controller.js';
import { KubeClient } from '../src/controller/kubeClient.js';
import { GROUP, PLURAL, VERSION } from '../src/crd/names.js';
import { DEMAND_ENDPOINT, DEMAND_QUERIES, FakeMetrics, lengthHistogram, optimizerTestSpec, profilesConfigMap, startPointSolver, T0, waitFor } from '../src/testing/index.js';
import { operatorKubeConfig } from './support/operatorAccount.js';
import { testEnv } from './support/testEnv.js';
import { createPodAutoscaler, useNamespace } from './support/suite.js';

const NS = 'e2e-optimizer';
const workloads = useNamespace(NS);
const admin = () => testEnv().admin;

async function replicas(name: string): Promise<number> {
  return (await admin().makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: NS, name })).spec?.replicas ?? -1;
}

interface TypeStatus {
  gpu: string;
  target: string;
  desiredReplicas: number;
  currentReplicas: number;
  readyReplicas: number;
}

async function status(name: string): Promise<{ optimizer?: { status: string; reasons: string[]; types: TypeStatus[] }; conditions?: Array<{ type: string; status: string; reason: string }>; scalingHistory?: Array<{ reason: string }> }> {
  const pa = (await admin().makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace: NS, name })) as { status?: object };
  return pa.status ?? {};
}

describe('the Optimizer strategy on a real API server', () => {
  test('one decision scales two GPU types\u2019 Deployments and writes each type\u2019s replicas; missing demand holds', async () => {
    await workloads().deploy(NS, 'llm-l4', 1);
    await workloads().deploy(NS, 'llm-a100', 1);
    const map = profilesConfigMap('llm-profiles', undefined, NS);
    await admin().makeApiClient(CoreV1Api).createNamespacedConfigMap({ namespace: NS, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'llm-profiles', namespace: NS }, data: map.data as Record<string, string> } });
    await createPodAutoscaler(NS, 'llm', optimizerTestSpec('llm'));
    const metrics = new FakeMetrics();
    metrics.external.requestRate = 9;
    metrics.series.set(DEMAND_QUERIES.prompt, lengthHistogram([100, 300, 1000, 3000], [10, 50, 30, 10]));
    metrics.series.set(DEMAND_QUERIES.generation, lengthHistogram([50, 100, 300, 1000], [20, 40, 30, 10]));
    let t = T0;
    const c = new Controller({ client: new KubeClient(await operatorKubeConfig()), metrics, namespace: NS, now: () => t, pods: 'list', allowedEndpoints: [DEMAND_ENDPOINT], solver: startPointSolver, informer: { restartDelayMs: 100 } });
    await c.start();
    try {
      await waitFor(() => c.keys().includes(`${NS}/llm`), 30_000, 'informer');
      const r = await c.reconcile(`${NS}/llm`);
      expect(r.error).toBeUndefined();
      const desired = r.fleet?.desired ?? {};
      expect(Object.keys(desired).sort()).toEqual(['A100', 'L4']);
      // Both Deployments follow the one decision, and at least one of them moved.
      expect({ L4: await replicas('llm-l4'), A100: await replicas('llm-a100') }).toEqual(desired);
      expect(Object.keys(r.fleet?.scaled ?? {}).length).toBeGreaterThan(0);
      const s = await status('llm');
      expect(s.optimizer?.types.map((x) => [x.gpu, x.target, x.desiredReplicas, x.currentReplicas, x.readyReplicas])).toEqual([
        ['L4', 'Deployment/llm-l4', desired.L4, 1, 1],
        ['A100', 'Deployment/llm-a100', desired.A100, 1, 1],
      ]);
      expect(s.scalingHistory?.length).toBe(Object.keys(r.fleet?.scaled ?? {}).length);
      expect(s.conditions?.find((x) => x.type === 'DemandCovered')?.status).toBe('True');

      // The pods follow (a pass in flight may have read the old replicas: a second one after it); then the demand disappears: every type holds where it is.
      await workloads().sync();
      await workloads().sync();
      metrics.external.requestRate = null;
      t += 10_000;
      const held = await c.reconcile(`${NS}/llm`);
      expect(held.fleet?.desired).toEqual(desired);
      expect(held.fleet?.scaled).toBeUndefined();
      const after = await status('llm');
      expect(after.optimizer).toMatchObject({ status: 'Held', reasons: ['DemandUnavailable'] });
      expect(after.optimizer?.types.map((x) => x.readyReplicas)).toEqual([desired.L4, desired.A100]);
      expect(after.conditions?.find((x) => x.type === 'ScalingActive')).toMatchObject({ status: 'False', reason: 'DemandUnavailable' });
    } finally {
      await c.stop();
    }
  });
});
