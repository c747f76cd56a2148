/**
 * Least privilege on a real API server: the operator's ServiceAccount may do exactly
 * what examples/operator/rbac.yaml grants, and an account of rbac-namespaced.yaml what
 * that grants in its one namespace (asked of the server's RBAC authoriser with
 * SelfSubjectAccessReviews, as that account), the controller works with it, and with
 * a verb taken away a loop fails with the server's own words, not silently.
 */
import { AuthorizationV1Api, CustomObjectsApi, type KubeConfig, type KubernetesObject, RbacAuthorizationV1Api, type V1PolicyRule } from '@kubernetes/client-node';
import { describe, expect, test } from 'vitest';
import { GROUP, PLURAL, VERSION } from '../src/crd/names.js';
import { Controller } from '../src/controller/controller.js';
import { ControllerMetrics } from '../src/controller/controllerMetrics.js';
import { KubeApiError, KubeClient } from '../src/controller/kubeClient.js';
import { FakeMetrics, kpaSpec, T0, waitFor } from '../src/testing/index.js';
import { OPERATOR_ACCOUNT, OPERATOR_NAMESPACE, operatorKubeConfig, rbacManifests, serviceAccountKubeConfig } from './support/operatorAccount.js';
import { applyAll, readManifests, testEnv } from './support/testEnv.js';
import { createPodAutoscaler as createIn, loggingController, useNamespace } from './support/suite.js';
import { ensureNamespace } from './support/workloads.js';

const NS = 'e2e-rbac';
const workloads = useNamespace(NS);

function clusterRole(objects: readonly KubernetesObject[]): { rules: V1PolicyRule[] } {
  const role = objects.find((o) => o.kind === 'ClusterRole' && o.metadata?.name === 'prescale-operator') as (KubernetesObject & { rules: V1PolicyRule[] }) | undefined;
  if (!role) throw new Error('rbac.yaml has no ClusterRole');
  return role;
}

async function allowed(kc: KubeConfig, attrs: { group: string; resource: string; subresource?: string; verb: string; namespace?: string; name?: string }): Promise<boolean> {
  const r = await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
    body: { spec: { resourceAttributes: { group: attrs.group, resource: attrs.resource, verb: attrs.verb, ...(attrs.subresource ? { subresource: attrs.subresource } : {}), namespace: attrs.namespace ?? NS, ...(attrs.name ? { name: attrs.name } : {}) } } },
  });
  return r.status?.allowed === true;
}

/** A copy of rbac.yaml's account and ClusterRole under another name, with `change` applied to the rules. */
async function accountWith(name: string, change: (rules: V1PolicyRule[]) => V1PolicyRule[]): Promise<KubeConfig> {
  const rules = change(structuredClone(clusterRole(rbacManifests()).rules));
  await applyAll([
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: OPERATOR_NAMESPACE } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules } as KubernetesObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: OPERATOR_NAMESPACE }],
    } as KubernetesObject,
  ]);
  return serviceAccountKubeConfig(OPERATOR_NAMESPACE, name);
}

function createPodAutoscaler(kc: KubeConfig, name: string, target: string): Promise<void> {
  return createIn(NS, name, kpaSpec(target), kc);
}

describe('least privilege', () => {
  test('the ServiceAccount may do every verb of rbac.yaml and nothing around it', async () => {
    const kc = await operatorKubeConfig();
    const rules = clusterRole(rbacManifests()).rules;
    for (const rule of rules) {
      for (const group of rule.apiGroups ?? []) {
        for (const full of rule.resources ?? []) {
          const [resource = '', subresource] = full.split('/');
          for (const verb of rule.verbs) expect(await allowed(kc, { group, resource, verb, ...(subresource ? { subresource } : {}) }), `${verb} ${group}/${full}`).toBe(true);
        }
      }
    }
    // The Lease: create in its namespace, get and update only the operator's own.
    expect(await allowed(kc, { group: 'coordination.k8s.io', resource: 'leases', verb: 'create', namespace: OPERATOR_NAMESPACE })).toBe(true);
    expect(await allowed(kc, { group: 'coordination.k8s.io', resource: 'leases', verb: 'update', namespace: OPERATOR_NAMESPACE, name: 'prescale-operator' })).toBe(true);
    expect(await allowed(kc, { group: 'coordination.k8s.io', resource: 'leases', verb: 'update', namespace: OPERATOR_NAMESPACE, name: 'someone-else' })).toBe(false);
    expect(await allowed(kc, { group: 'coordination.k8s.io', resource: 'leases', verb: 'create', namespace: NS })).toBe(false);
    // Nothing more: not the workloads themselves, not the PodAutoscalers' spec, no secrets.
    for (const [group, resource, verb, subresource] of [
      ['apps', 'deployments', 'update'],
      ['apps', 'deployments', 'patch'],
      ['', 'pods', 'delete'],
      ['', 'pods', 'get'],
      ['', 'secrets', 'get'],
      ['', 'configmaps', 'list'],
      ['', 'configmaps', 'update'],
      [GROUP, PLURAL, 'patch'],
      [GROUP, PLURAL, 'create'],
      [GROUP, PLURAL, 'update', 'status'],
      ['apps', 'deployments', 'update', 'scale'],
      ['', 'events', 'create'],
    ] as const) {
      expect(await allowed(kc, { group, resource, verb, ...(subresource ? { subresource } : {}) }), `${verb} ${group}/${resource}`).toBe(false);
    }
  });

  test('rbac-namespaced.yaml grants its verbs in the watched namespace only; the credentials ClusterRole reads Secrets only where bound', async () => {
    // rbac-namespaced.yaml for its own account and namespace, so it does not add to rbac.yaml's account.
    const name = 'prescale-operator-ns';
    const watched = 'e2e-rbac-watched';
    await ensureNamespace(watched);
    const rename = (o: KubernetesObject): KubernetesObject => {
      const text = JSON.stringify(o).replaceAll('"llm-serving"', JSON.stringify(watched)).replaceAll('"prescale-operator"', JSON.stringify(name)).replaceAll('"prescale-operator-leader-election"', JSON.stringify(`${name}-leader-election`));
      return JSON.parse(text) as KubernetesObject;
    };
    const namespaced = readManifests('examples/operator/rbac-namespaced.yaml').map(rename);
    await applyAll(namespaced);
    const kc = await serviceAccountKubeConfig(OPERATOR_NAMESPACE, name);
    const role = namespaced.find((o) => o.kind === 'Role' && o.metadata?.namespace === watched) as (KubernetesObject & { rules: V1PolicyRule[] }) | undefined;
    if (!role) throw new Error('rbac-namespaced.yaml has no Role for the watched namespace');
    for (const rule of role.rules) {
      for (const full of rule.resources ?? []) {
        const [resource = '', subresource] = full.split('/');
        for (const verb of rule.verbs) {
          const attrs = { group: rule.apiGroups?.[0] ?? '', resource, verb, ...(subresource ? { subresource } : {}) };
          expect(await allowed(kc, { ...attrs, namespace: watched }), `${verb} ${full} in ${watched}`).toBe(true);
          expect(await allowed(kc, { ...attrs, namespace: NS }), `${verb} ${full} elsewhere`).toBe(false);
        }
      }
    }
    // Nothing cluster-wide: not even listing PodAutoscalers across namespaces.
    expect(await allowed(kc, { group: GROUP, resource: PLURAL, verb: 'list', namespace: '' })).toBe(false);

    // rbac.yaml's credentials ClusterRole, bound by a RoleBinding in one namespace (as its comment shows).
    await applyAll([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'prescale-operator-credentials', namespace: NS },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'prescale-operator-credentials' },
        subjects: [{ kind: 'ServiceAccount', name: OPERATOR_ACCOUNT, namespace: OPERATOR_NAMESPACE }],
      } as KubernetesObject,
    ]);
    const operator = await operatorKubeConfig();
    try {
      expect(await allowed(operator, { group: '', resource: 'secrets', verb: 'get', namespace: NS })).toBe(true);
      expect(await allowed(operator, { group: '', resource: 'secrets', verb: 'list', namespace: NS })).toBe(false);
      expect(await allowed(operator, { group: '', resource: 'secrets', verb: 'get', namespace: watched })).toBe(false);
    } finally {
      await testEnv().admin.makeApiClient(RbacAuthorizationV1Api).deleteNamespacedRoleBinding({ name: 'prescale-operator-credentials', namespace: NS });
    }
  });

  test('without patch on deployments/scale, the loop fails with the server\u2019s Forbidden and says so in AbleToScale', async () => {
    const kc = await accountWith('prescale-operator-no-scale', (rules) => rules.map((r) => (r.resources?.includes('deployments/scale') ? { ...r, verbs: ['get'] } : r)));
    await workloads().deploy(NS, 'no-scale', 1);
    const admin = testEnv().admin;
    await createPodAutoscaler(admin, 'no-scale', 'no-scale');
    const metrics = new FakeMetrics();
    const observer = new ControllerMetrics();
    const c = new Controller({ client: new KubeClient(kc), metrics, observer, namespace: NS, now: () => T0, pods: 'list' });
    await c.start();
    try {
      await waitFor(() => c.keys().includes(`${NS}/no-scale`), 30_000, 'informer');
      for (const p of ['no-scale-0']) metrics.set(p, 'vllm:num_requests_waiting', 40);
      const r = await c.reconcile(`${NS}/no-scale`);
      expect(r.error).toBeInstanceOf(KubeApiError);
      const error = r.error as KubeApiError;
      expect(error.code).toBe(403);
      expect(error.reason).toBe('Forbidden');
      expect(error.message).toMatch(/^scale Deployment\/no-scale to 2: .*system:serviceaccount:prescale-system:prescale-operator-no-scale.* cannot patch resource "deployments\/scale"/);
      const pa = (await admin.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace: NS, name: 'no-scale' })) as {
        status?: { conditions?: Array<{ type: string; status: string; reason: string; message: string }> };
      };
      const able = pa.status?.conditions?.find((x) => x.type === 'AbleToScale');
      expect(able).toMatchObject({ status: 'False', reason: 'FailedUpdateScale' });
      expect(able?.message).toMatch(/cannot patch resource "deployments\/scale"/);
      expect(await observer.registry.metrics()).toMatch(/prescale_errors_total\{namespace="e2e-rbac",name="no-scale",kind="FailedUpdateScale"\} 1/);
    } finally {
      await c.stop();
    }
  });

  test('without list on pods: not ready, the pod watch logs the Forbidden, and a loop fails with it in AbleToScale', async () => {
    const kc = await accountWith('prescale-operator-no-pods', (rules) => rules.filter((r) => !r.resources?.includes('pods')));
    await workloads().deploy(NS, 'no-pods', 1);
    await createPodAutoscaler(testEnv().admin, 'no-pods', 'no-pods');
    const logs: string[] = [];
    const c = loggingController(new KubeClient(kc), NS, logs, 100);
    await c.start();
    try {
      await waitFor(() => c.keys().includes(`${NS}/no-pods`), 30_000, 'informer');
      // Never synced (so /readyz answers 503), and the log says why.
      expect(c.synced).toBe(false);
      await waitFor(() => logs.some((l) => /pod watch failed/.test(l) && /cannot list resource \\"pods\\"/.test(l)), 30_000, 'a logged Forbidden');
      // A loop falls back to listing the target's pods, which the server refuses too.
      const r = await c.reconcile(`${NS}/no-pods`);
      expect(r.error).toBeInstanceOf(KubeApiError);
      expect((r.error as KubeApiError).code).toBe(403);
      const pa = (await testEnv().admin.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace: NS, name: 'no-pods' })) as {
        status?: { conditions?: Array<{ type: string; status: string; reason: string; message: string }> };
      };
      expect(pa.status?.conditions?.find((x) => x.type === 'AbleToScale')).toMatchObject({ status: 'False', reason: 'FailedListPods', message: expect.stringMatching(/cannot list resource "pods"/) });
    } finally {
      await c.stop();
    }
  });
});
