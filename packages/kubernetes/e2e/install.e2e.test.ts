/**
 * The installs a platform team uses, rendered by the tools they use (helm and kubectl,
 * built beside the API server from their Go modules) and applied to the real API
 * server: the Helm chart (charts/prescale-operator) with every feature on, cluster-wide
 * and namespaced, and the kustomize base (examples/operator) with its overlays. The
 * chart's rules are held to rbac.yaml's (cluster-wide) and rbac-namespaced.yaml's (one
 * namespace), which the other e2e files show are enough.
 */
import { CoreV1Api, type KubernetesObject, type V1PolicyRule } from '@kubernetes/client-node';
import { beforeAll, describe, expect, test } from 'vitest';
import { installCrd } from './support/crdInstall.js';
import { rbacManifests } from './support/operatorAccount.js';
import { applyAll, parseManifests, readManifests, testEnv, tool } from './support/testEnv.js';
import { ensureNamespace } from './support/workloads.js';

const CHART = 'charts/prescale-operator';
/** The version the chart is rendered for: the API server's. */
let kubeVersion = '';

/** A stand-in for prometheus-operator's ServiceMonitor CRD, so ServiceMonitors apply. */
const SERVICE_MONITOR_CRD: KubernetesObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'servicemonitors.monitoring.coreos.com' },
  spec: {
    group: 'monitoring.coreos.com',
    scope: 'Namespaced',
    names: { kind: 'ServiceMonitor', listKind: 'ServiceMonitorList', plural: 'servicemonitors', singular: 'servicemonitor' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
} as KubernetesObject;

beforeAll(async () => {
  await installCrd();
  await applyAll([SERVICE_MONITOR_CRD]);
  for (const ns of ['prescale-helm', 'prescale-helm-ns', 'llm-serving', 'prescale-system']) await ensureNamespace(ns);
  const version = JSON.parse(await tool('kubectl', ['version', '-o', 'json'])) as { serverVersion: { gitVersion: string } };
  kubeVersion = version.serverVersion.gitVersion;
  // The ServiceMonitor API is served once its CRD is established.
  for (let i = 0; i < 100 && !(await tool('kubectl', ['api-resources', '--api-group=monitoring.coreos.com'])).includes('servicemonitors'); i++) await new Promise((r) => setTimeout(r, 100));
});

async function helmTemplate(namespace: string, sets: readonly string[]): Promise<KubernetesObject[]> {
  const args = ['template', 'prescale', CHART, '--namespace', namespace, '--include-crds', '--kube-version', kubeVersion];
  for (const s of sets) args.push('--set', s);
  return parseManifests(await tool('helm', args));
}

function rulesOf(objects: readonly KubernetesObject[], kind: 'ClusterRole' | 'Role', name: string): V1PolicyRule[] {
  const o = objects.find((x) => x.kind === kind && x.metadata?.name === name) as (KubernetesObject & { rules: V1PolicyRule[] }) | undefined;
  if (!o) throw new Error(`no ${kind} ${name}`);
  return o.rules;
}

/** rbac-namespaced.yaml: the rules for an operator run with --namespace. */
const namespacedManifests = (): KubernetesObject[] => readManifests('examples/operator/rbac-namespaced.yaml');

const kinds = (objects: readonly KubernetesObject[]): string[] => [...new Set(objects.map((o) => String(o.kind)))].sort();

describe('the Helm chart', () => {
  test('lints, renders with every feature on, and every object applies to the real API server', async () => {
    await tool('helm', ['lint', CHART, '--strict', '--kube-version', kubeVersion]);
    const objects = await helmTemplate('prescale-helm', [
      'metrics.serviceMonitor.enabled=true',
      'networkPolicy.enabled=true',
      'networkPolicy.apiServer.cidrs={10.0.0.1/32}',
      'prometheusUrls={http://prometheus.monitoring.svc:9090}',
      'image.repository=registry.example.com/prescale-operator',
      'image.tag=0.1.0',
    ]);
    expect(kinds(objects)).toEqual(
      ['ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'Service', 'ServiceAccount', 'ServiceMonitor'].sort(),
    );
    const applied = await applyAll(objects);
    expect(applied.every((o) => o.metadata?.uid)).toBe(true);
    const deployment = objects.find((o) => o.kind === 'Deployment') as KubernetesObject & { spec: { template: { spec: { containers: Array<{ args: string[]; image: string }> } } } };
    const container = deployment.spec.template.spec.containers[0];
    expect(container?.image).toBe('registry.example.com/prescale-operator:0.1.0');
    expect(container?.args).toEqual(expect.arrayContaining(['--leader-elect', '--prometheus-url=http://prometheus.monitoring.svc:9090']));
  });

  test('its rules are exactly rbac.yaml\u2019s, cluster-wide and namespaced (no cluster-wide grant then)', async () => {
    const reference = rulesOf(rbacManifests(), 'ClusterRole', 'prescale-operator');
    const cluster = await helmTemplate('prescale-helm', ['rbac.credentials.namespaces={llm-serving}']);
    expect(rulesOf(cluster, 'ClusterRole', 'prescale-prescale-operator')).toEqual(reference);
    // Secrets for authSecretRef: rbac.yaml's credentials ClusterRole, bound only where listed.
    expect(rulesOf(cluster, 'ClusterRole', 'prescale-prescale-operator-credentials')).toEqual(rulesOf(rbacManifests(), 'ClusterRole', 'prescale-operator-credentials'));
    const bindings = cluster.filter((o) => o.kind === 'RoleBinding' && o.metadata?.name === 'prescale-prescale-operator-credentials');
    expect(bindings.map((o) => o.metadata?.namespace)).toEqual(['llm-serving']);
    expect(cluster.filter((o) => o.kind === 'ClusterRoleBinding').map((o) => o.metadata?.name)).toEqual(['prescale-prescale-operator']);
    expect(rulesOf(cluster, 'Role', 'prescale-prescale-operator-leader-election')).toEqual(rulesOf(rbacManifests(), 'Role', 'prescale-operator-leader-election').map((r) => (r.resourceNames ? { ...r, resourceNames: ['prescale-operator'] } : r)));
    const namespaced = await helmTemplate('prescale-helm-ns', ['rbac.scope=namespace', 'rbac.watchNamespace=llm-serving']);
    expect(namespaced.filter((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toEqual([]);
    const role = namespaced.find((o) => o.kind === 'Role' && o.metadata?.name === 'prescale-prescale-operator');
    expect(role?.metadata?.namespace).toBe('llm-serving');
    expect(rulesOf(namespaced, 'Role', 'prescale-prescale-operator')).toEqual(rulesOf(namespacedManifests(), 'Role', 'prescale-operator'));
    const deployment = namespaced.find((o) => o.kind === 'Deployment') as KubernetesObject & { spec: { template: { spec: { containers: Array<{ args: string[] }> } } } };
    expect(deployment.spec.template.spec.containers[0]?.args).toContain('--namespace=llm-serving');
    expect((await applyAll(namespaced)).every((o) => o.metadata?.uid)).toBe(true);
  });
});

describe('the warm pool', () => {
  test('the chart\u2019s warmPool values and examples/operator/warm-pool.yaml render the same PriorityClass and balloons, which apply', async () => {
    const chart = (await helmTemplate('prescale-helm', ['warmPool.enabled=true', 'warmPool.balloons[0].name=llama-balloon', 'warmPool.balloons[0].namespace=llm-serving'])).filter(
      (o) => o.kind === 'PriorityClass' || (o.kind === 'Deployment' && o.metadata?.name === 'llama-balloon'),
    );
    const example = readManifests('examples/operator/warm-pool.yaml');
    expect(kinds(chart)).toEqual(['Deployment', 'PriorityClass']);
    const fields = (objects: readonly KubernetesObject[]) => {
      const pc = objects.find((o) => o.kind === 'PriorityClass') as KubernetesObject & { value: number; preemptionPolicy: string };
      const d = objects.find((o) => o.kind === 'Deployment') as KubernetesObject & { spec: { replicas: number; template: { spec: { priorityClassName: string } } } };
      return { value: pc.value, preemptionPolicy: pc.preemptionPolicy, priorityClassName: d.spec.template.spec.priorityClassName, replicas: d.spec.replicas };
    };
    expect(fields(chart)).toEqual(fields(example));
    expect(fields(chart)).toEqual({ value: -10, preemptionPolicy: 'Never', priorityClassName: 'prescale-balloon', replicas: 0 });
    await ensureNamespace('default');
    expect((await applyAll([...example])).every((o) => o.metadata?.uid)).toBe(true);
  });
});

describe('the kustomize base and overlays', () => {
  test.each(['examples/operator', 'examples/operator-overlays/production', 'examples/operator-overlays/namespaced'])('%s renders with kubectl and applies', async (dir) => {
    const objects = parseManifests(await tool('kubectl', ['kustomize', dir]));
    expect(objects.length).toBeGreaterThanOrEqual(8);
    const applied = await applyAll(objects);
    expect(applied.every((o) => o.metadata?.uid)).toBe(true);
    if (dir.endsWith('production')) expect(kinds(objects)).toEqual(expect.arrayContaining(['NetworkPolicy', 'PodDisruptionBudget', 'ServiceMonitor']));
    if (dir.endsWith('namespaced')) {
      expect(objects.some((o) => o.kind === 'ClusterRole' && o.metadata?.name === 'prescale-operator')).toBe(false);
      expect(objects.some((o) => o.kind === 'ClusterRoleBinding')).toBe(false);
      expect(rulesOf(objects, 'Role', 'prescale-operator')).toEqual(rulesOf(namespacedManifests(), 'Role', 'prescale-operator'));
    }
    const accounts = await testEnv().admin.makeApiClient(CoreV1Api).listNamespacedServiceAccount({ namespace: 'prescale-system' });
    expect(accounts.items.some((sa) => sa.metadata?.name === 'prescale-operator')).toBe(true);
  });
});
