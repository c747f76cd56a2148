/**
 * The controller against a real API server, authenticated as the operator's
 * ServiceAccount (examples/operator/rbac.yaml, token from the TokenRequest API). The
 * controller runs in this process with a manual scaler clock so each loop is driven by
 * the test (`reconcile`); the pods and their Ready status are made by the test's
 * workload controller (there is no controller-manager or kubelet), their metric values
 * set through FakeMetrics (the operator processes of operatorProcess.e2e.test.ts scrape
 * real loopback /metrics pages instead).
 */
import { AppsV1Api, CoreV1Api, CustomObjectsApi, EventsV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { GROUP, PLURAL, VERSION } from '../src/crd/names.js';
import { Controller } from '../src/controller/controller.js';
import { ControllerMetrics } from '../src/controller/controllerMetrics.js';
import { KubeClient } from '../src/controller/kubeClient.js';
import { FakeMetrics, kpaSpec, T0, waitFor } from '../src/testing/index.js';
import { operatorKubeConfig } from './support/operatorAccount.js';
import { testEnv } from './support/testEnv.js';
import { createPodAutoscaler as createIn, useNamespace } from './support/suite.js';

const NS = 'e2e-controller';
const METRIC = 'vllm:num_requests_waiting';
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

const workloads = useNamespace(NS);
const admin = () => testEnv().admin;
const createPodAutoscaler = (name: string, spec: Record<string, unknown>) => createIn(NS, name, spec);

interface PaObject {
  metadata: { managedFields?: Array<{ manager?: string; subresource?: string }> };
  status?: { desiredScale?: number; actualScale?: number; scalerState?: string; conditions?: Array<{ type: string; status: string; reason: string; message: string }> };
}

async function readPodAutoscaler(name: string): Promise<PaObject> {
  return (await admin().makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace: NS, name })) as PaObject;
}

async function replicas(name: string): Promise<number> {
  return (await admin().makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: NS, name })).spec?.replicas ?? -1;
}

/** Each pod of `app` (as listed now) reports `total / pods` for the metric. */
async function spreadLoad(metrics: FakeMetrics, app: string, total: number): Promise<void> {
  const pods = await admin().makeApiClient(CoreV1Api).listNamespacedPod({ namespace: NS, labelSelector: `app=${app}` });
  for (const p of pods.items) metrics.set(p.metadata?.name ?? '', METRIC, total / pods.items.length);
}

async function controllerAs(options: { client?: KubeClient; metrics?: FakeMetrics; observer?: ControllerMetrics; now?: () => number; log?: (l: string, m: string, f?: Record<string, unknown>) => void } = {}) {
  const c = new Controller({
    client: options.client ?? new KubeClient(await operatorKubeConfig()),
    metrics: options.metrics ?? new FakeMetrics(),
    namespace: NS,
    now: options.now ?? (() => T0),
    pods: 'list',
    informer: { restartDelayMs: 100 },
    ...(options.observer ? { observer: options.observer } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  await c.start();
  return c;
}

describe('the controller on a real API server, as the operator\u2019s ServiceAccount', () => {
  test('a load step scales a Deployment through its scale subresource; status and an Event through theirs', async () => {
    await workloads().deploy(NS, 'llm', 1);
    await createPodAutoscaler('llm', kpaSpec('llm'));
    const metrics = new FakeMetrics();
    let t = T0;
    const c = await controllerAs({ metrics, now: () => t });
    try {
      await waitFor(() => c.keys().includes(`${NS}/llm`), 30_000, 'informer');
      await spreadLoad(metrics, 'llm', 40); // 40 waiting at 5 per replica: panic, doubling per step
      const r = await c.reconcile(`${NS}/llm`);
      expect(r.error).toBeUndefined();
      expect(r.scaled).toEqual({ from: 1, to: 2 });
      expect(await replicas('llm')).toBe(2);
      await workloads().sync();
      t += 10_000;
      await spreadLoad(metrics, 'llm', 40);
      expect((await c.reconcile(`${NS}/llm`)).scaled).toEqual({ from: 2, to: 4 });

      const d = await admin().makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: NS, name: 'llm' });
      expect(d.metadata?.managedFields?.some((f) => f.manager === 'prescale-operator' && f.subresource === 'scale')).toBe(true);
      const pa = await readPodAutoscaler('llm');
      expect(pa.metadata.managedFields?.some((f) => f.manager === 'prescale-operator' && f.subresource === 'status')).toBe(true);
      expect(pa.status?.desiredScale).toBe(4);
      expect(pa.status?.conditions?.find((x) => x.type === 'AbleToScale')).toMatchObject({ status: 'True', reason: 'SucceededRescale' });
      const events = await admin().makeApiClient(EventsV1Api).listNamespacedEvent({ namespace: NS });
      const rescales = events.items.filter((e) => e.regarding?.name === 'llm' && e.reason === 'SuccessfulRescale');
      expect(rescales.map((e) => e.note?.match(/New size: (\d+) \(from (\d+)\)/)?.slice(1))).toEqual([
        ['2', '1'],
        ['4', '2'],
      ]);
      expect(rescales.every((e) => e.reportingController === `${GROUP}/prescale-operator` && e.regarding?.kind === 'PodAutoscaler')).toBe(true);
    } finally {
      await c.stop();
    }
  });

  test('a second writer changes the Deployment between the read and the patch: 409, re-read, retried', async () => {
    await workloads().deploy(NS, 'contended', 1);
    await createPodAutoscaler('contended', kpaSpec('contended'));
    const client = new KubeClient(await operatorKubeConfig());
    const patch = client.patchScale.bind(client);
    let interfered = 0;
    client.patchScale = async (...args) => {
      if (interfered++ === 0) {
        // Another writer (a GitOps sync, say) touches the Deployment: its resourceVersion moves on.
        await admin().makeApiClient(AppsV1Api).patchNamespacedDeployment({ namespace: NS, name: 'contended', body: { metadata: { labels: { synced: 'yes' } } } }, mergePatch);
      }
      return patch(...args);
    };
    const metrics = new FakeMetrics();
    const observer = new ControllerMetrics();
    const c = await controllerAs({ client, metrics, observer });
    try {
      await waitFor(() => c.keys().includes(`${NS}/contended`), 30_000, 'informer');
      await spreadLoad(metrics, 'contended', 40);
      const r = await c.reconcile(`${NS}/contended`);
      expect(r.error).toBeUndefined();
      expect(r.scaled).toEqual({ from: 1, to: 2 });
      expect(interfered).toBe(2); // the conditional patch, refused with 409, then the retry
      const d = await admin().makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: NS, name: 'contended' });
      expect(d.spec?.replicas).toBe(2);
      expect(d.metadata?.labels?.synced).toBe('yes'); // the other writer's change stands
      const text = await observer.registry.metrics();
      expect(text).toMatch(/prescale_scale_patches_total\{result="conflict"\} 1/);
      expect(text).toMatch(/prescale_scale_patches_total\{result="success"\} 1/);
    } finally {
      await c.stop();
    }
  });

  test('two PodAutoscalers on one target both get MultiPodAutoscalerConflict and neither scales until one goes', async () => {
    await workloads().deploy(NS, 'shared', 1);
    await createPodAutoscaler('shared-a', kpaSpec('shared'));
    await createPodAutoscaler('shared-b', kpaSpec('shared'));
    const metrics = new FakeMetrics();
    const c = await controllerAs({ metrics });
    try {
      await waitFor(() => c.keys().includes(`${NS}/shared-a`) && c.keys().includes(`${NS}/shared-b`), 30_000, 'informer');
      await spreadLoad(metrics, 'shared', 40);
      for (const name of ['shared-a', 'shared-b']) {
        expect((await c.reconcile(`${NS}/${name}`)).skipped).toBe('Conflict');
        const pa = await readPodAutoscaler(name);
        expect(pa.status?.conditions?.find((x) => x.type === 'MultiPodAutoscalerConflict')?.status).toBe('True');
      }
      expect(await replicas('shared')).toBe(1);
      // Deleting one ends the conflict; the other then scales.
      await admin().makeApiClient(CustomObjectsApi).deleteNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace: NS, name: 'shared-b' });
      await waitFor(() => !c.keys().includes(`${NS}/shared-b`), 30_000, 'the deletion to arrive');
      const r = await c.reconcile(`${NS}/shared-a`);
      expect(r.skipped).toBeUndefined();
      expect(r.scaled).toEqual({ from: 1, to: 2 });
    } finally {
      await c.stop();
    }
  });
});
