/**
 * Scale targets beyond apps/v1 on a real API server, as the operator's ServiceAccount
 * with examples/operator/rbac.yaml plus the ClusterRoles of rbac-targets.yaml for the
 * kinds used: a custom workload found through API discovery and scaled through its
 * `scale` subresource (the CRD's `subresources.scale`), and AIBrix StormService roles
 * scaled apart with a JSON patch of the role. The pods are made Running and Ready by the
 * test (no kubelet); their metric values come through FakeMetrics.
 */
import { CoreV1Api, CustomObjectsApi, type KubernetesObject, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { Controller } from '../src/controller/controller.js';
import { KubeClient } from '../src/controller/kubeClient.js';
import { FakeMetrics, kpaSpec, T0, waitFor } from '../src/testing/index.js';
import { OPERATOR_ACCOUNT, OPERATOR_NAMESPACE, operatorKubeConfig } from './support/operatorAccount.js';
import { createPodAutoscaler as createIn, useNamespace } from './support/suite.js';
import { applyAll, readManifests, testEnv } from './support/testEnv.js';

const NS = 'e2e-targets';
useNamespace(NS);
const admin = () => testEnv().admin;
const METRIC = 'vllm:num_requests_waiting';
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** A namespaced CRD with a scale subresource (`.spec.replicas`, `.status.replicas`, `.status.selector`). */
function crd(group: string, kind: string, plural: string): KubernetesObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [
        {
          name: group === 'orchestration.aibrix.ai' ? 'v1alpha1' : 'v1',
          served: true,
          storage: true,
          subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' } },
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
        },
      ],
    },
  } as KubernetesObject;
}

/** The ClusterRoles of rbac-targets.yaml, bound to the operator's ServiceAccount. */
function targetRbac(): KubernetesObject[] {
  const roles = readManifests('examples/operator/rbac-targets.yaml');
  const bindings = roles.map((r) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: r.metadata?.name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: r.metadata?.name },
    subjects: [{ kind: 'ServiceAccount', name: OPERATOR_ACCOUNT, namespace: OPERATOR_NAMESPACE }],
  }));
  return [...roles, ...bindings] as KubernetesObject[];
}

/** `n` Running, Ready pods with `labels`, each reporting `waiting`. */
async function readyPods(metrics: FakeMetrics, prefix: string, n: number, labels: Record<string, string>, waiting: number): Promise<void> {
  const core = admin().makeApiClient(CoreV1Api);
  for (let i = 0; i < n; i++) {
    const name = `${prefix}-${i}`;
    await core.createNamespacedPod({ namespace: NS, body: { metadata: { name, labels }, spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai' }] } } });
    await core.replaceNamespacedPodStatus({
      namespace: NS,
      name,
      body: { ...(await core.readNamespacedPod({ namespace: NS, name })), status: { phase: 'Running', podIP: `10.9.0.${i + 1}`, conditions: [{ type: 'Ready', status: 'True' }] } },
    });
    metrics.set(name, METRIC, waiting);
  }
}

async function controller(metrics: FakeMetrics, now: () => number): Promise<Controller> {
  const c = new Controller({ client: new KubeClient(await operatorKubeConfig()), metrics, namespace: NS, now, pods: 'list', informer: { restartDelayMs: 100 } });
  await c.start();
  return c;
}

describe('any scale target on a real API server', () => {
  test('a custom workload found through discovery and a StormService role, each scaled as its kind is', async () => {
    await applyAll([crd('leaderworkerset.x-k8s.io', 'LeaderWorkerSet', 'leaderworkersets'), crd('orchestration.aibrix.ai', 'StormService', 'stormservices'), ...targetRbac()]);
    const custom = admin().makeApiClient(CustomObjectsApi);
    // The CRDs take a moment to be served: retried until they are.
    const create = async (group: string, version: string, plural: string, body: Record<string, unknown>) => {
      for (let i = 0; ; i++) {
        try {
          const o = (await custom.createNamespacedCustomObject({ group, version, plural, namespace: NS, body })) as KubernetesObject;
          // A create ignores status (the CRDs have the status subresource): set it through /status.
          await custom.patchNamespacedCustomObjectStatus({ group, version, plural, namespace: NS, name: String(o.metadata?.name), body: { status: body.status } }, mergePatch);
          return;
        } catch (error) {
          if (i > 50) throw error;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    await create('leaderworkerset.x-k8s.io', 'v1', 'leaderworkersets', { apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', metadata: { name: 'lws' }, spec: { replicas: 2 }, status: { replicas: 2, selector: 'lws=lws' } });
    await create('orchestration.aibrix.ai', 'v1alpha1', 'stormservices', {
      apiVersion: 'orchestration.aibrix.ai/v1alpha1',
      kind: 'StormService',
      metadata: { name: 'ss' },
      spec: { replicas: 1, template: { spec: { roles: [{ name: 'prefill', replicas: 2 }, { name: 'decode', replicas: 2 }] } } },
      status: { replicas: 1, roleStatuses: [{ name: 'prefill', replicas: 2 }, { name: 'decode', replicas: 2 }] },
    });
    const metrics = new FakeMetrics();
    await readyPods(metrics, 'lws', 2, { lws: 'lws' }, 15); // 30 waiting at 5: 6
    await readyPods(metrics, 'prefill', 2, { 'storm-service-name': 'ss', 'role-name': 'prefill' }, 20); // 40 waiting: 8
    await readyPods(metrics, 'decode', 2, { 'storm-service-name': 'ss', 'role-name': 'decode' }, 2); // 4 waiting: 1, held at 2 in panic
    await createIn(NS, 'lws', kpaSpec('lws', { scaleTargetRef: { apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', name: 'lws' }, maxScaleUpRate: 10 }));
    const role = (name: string) => kpaSpec('ss', { scaleTargetRef: { apiVersion: 'orchestration.aibrix.ai/v1alpha1', kind: 'StormService', name: 'ss' }, subTargetSelector: { roleName: name }, maxScaleUpRate: 10, maxReplicas: 20 });
    await createIn(NS, 'prefill', role('prefill'));
    await createIn(NS, 'decode', role('decode'));
    let t = T0;
    const c = await controller(metrics, () => t);
    try {
      await waitFor(() => c.keys().length === 3, 30_000, 'informer');
      t += 10_000;
      const lws = await c.reconcile(`${NS}/lws`);
      expect(lws.error).toBeUndefined();
      expect(lws.scaled).toEqual({ from: 2, to: 6 });
      const read = (plural: string, group: string, version: string, name: string) => custom.getNamespacedCustomObject({ group, version, plural, namespace: NS, name }) as Promise<{ spec: Record<string, any> }>;
      expect((await read('leaderworkersets', 'leaderworkerset.x-k8s.io', 'v1', 'lws')).spec.replicas).toBe(6);
      const prefill = await c.reconcile(`${NS}/prefill`);
      const decode = await c.reconcile(`${NS}/decode`);
      expect(prefill.error).toBeUndefined();
      expect(prefill.skipped).toBeUndefined();
      expect(prefill.scaled).toEqual({ from: 2, to: 8 });
      expect(decode.error).toBeUndefined();
      expect(decode.scaled).toBeUndefined();
      const roles = (await read('stormservices', 'orchestration.aibrix.ai', 'v1alpha1', 'ss')).spec.template.spec.roles as Array<{ name: string; replicas: number }>;
      expect(roles.map((r) => [r.name, r.replicas])).toEqual([
        ['prefill', 8],
        ['decode', 2],
      ]);
    } finally {
      await c.stop();
    }
  });
});
