/**
 * The Optimizer strategy as it runs in a cluster: `prescale operator` as a process (the
 * production wiring: HiGHS from `@prescale/optimizer`, the Prometheus port of
 * `@prescale/prometheus`), as the ServiceAccount of examples/operator/rbac.yaml, on a
 * real API server. A stand-in Prometheus answers the demand queries (the request rate
 * and vLLM's two length histograms); the profiles are a ConfigMap. Within a few loops
 * both GPU types' Deployments are at the replicas of one proven-optimal decision, which
 * `status.optimizer` reports per type.
 */
import type { Server } from 'node:http';
import { AppsV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GROUP, PLURAL, VERSION } from '../src/crd/names.js';
import { demandPrometheus, optimizerTestSpec, profilesConfigMap } from '../src/testing/index.js';
import { installCrd } from './support/crdInstall.js';
import { operatorKubeConfig, writeKubeConfig } from './support/operatorAccount.js';
import { OperatorProcess } from './support/operatorProcess.js';
import { testEnv } from './support/testEnv.js';
import { ensureNamespace, WorkloadController } from './support/workloads.js';

const NS = 'e2e-optimizer-process';
let wl: WorkloadController;
let prometheus: Server;
let url: string;

beforeAll(async () => {
  await installCrd();
  await ensureNamespace(NS);
  wl = new WorkloadController();
  ({ server: prometheus, url } = await demandPrometheus());
});
afterAll(async () => {
  await wl.stop();
  prometheus.close();
});

interface TypeStatus {
  gpu: string;
  desiredReplicas: number;
  currentReplicas: number;
}

describe('prescale operator with an Optimizer PodAutoscaler', () => {
  test('HiGHS decides once for both GPU types; both Deployments follow and status.optimizer shows each', async () => {
    const admin = testEnv().admin;
    await wl.deploy(NS, 'llm-l4', 1);
    await wl.deploy(NS, 'llm-a100', 1);
    const map = profilesConfigMap('llm-profiles', undefined, NS);
    await admin.makeApiClient(CoreV1Api).createNamespacedConfigMap({ namespace: NS, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'llm-profiles', namespace: NS }, data: map.data as Record<string, string> } });
    const spec = optimizerTestSpec('llm') as { optimizer: { demand: { endpoint: string } } };
    spec.optimizer.demand.endpoint = url;
    await admin.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace: NS, body: { apiVersion: `${GROUP}/${VERSION}`, kind: 'PodAutoscaler', metadata: { name: 'llm', namespace: NS }, spec } });

    const kubeconfig = writeKubeConfig(await operatorKubeConfig(), 'optimizer-operator.kubeconfig');
    const op = new OperatorProcess(kubeconfig, ['--namespace', NS, '--prometheus-url', url]);
    try {
      const replicas = async (name: string) => (await admin.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: NS, name })).spec?.replicas ?? -1;
      const optimizer = async () =>
        ((await admin.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace: NS, name: 'llm' })) as { status?: { optimizer?: { status: string; solver?: string; types: TypeStatus[] } } }).status?.optimizer;
      // Loops every 10 s: wait (up to two minutes, a bound on a hang) for a decision that the Deployments match.
      const start = Date.now();
      let seen: Awaited<ReturnType<typeof optimizer>>;
      for (;;) {
        seen = await optimizer();
        const desired = Object.fromEntries((seen?.types ?? []).map((t) => [t.gpu, t.desiredReplicas]));
        if (seen?.status === 'Optimal' && desired.L4 === (await replicas('llm-l4')) && desired.A100 === (await replicas('llm-a100')) && (desired.L4 !== 1 || desired.A100 !== 1)) break;
        if (Date.now() - start > 120_000) throw new Error(`no optimal decision applied; status.optimizer ${JSON.stringify(seen)}; operator log:\n${op.logText()}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(seen?.solver).toMatch(/^HiGHS/);
      expect(seen?.types.map((t) => t.gpu)).toEqual(['L4', 'A100']);
    } finally {
      await op.stop();
    }
  });
});
