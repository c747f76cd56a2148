/**
 * The manifests of examples/operator/: every object validates against the Kubernetes
 * schemas (kubernetes-models), the CRD is exactly what crd.ts generates, every sample
 * validates against the CRD's schema (ajv, draft-04 as Kubernetes) and against the
 * controller's own validation, the converted AIBrix samples are what `convertAibrix`
 * gives, RBAC grants exactly the verbs the operator uses, and the Dockerfile builds the
 * image the Deployment runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1/PriorityClass';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { describe, expect, test } from 'vitest';
import { convertAibrix } from './convert/aibrix.js';
import { podAutoscalerCrd } from './crd/crd.js';
import { validateSpec } from './crd/validateSpec.js';
import { parseYamlDocuments, toYaml } from './yaml.js';
import { startOperator } from './operator/operator.js';
import { kubeConfigFor } from './testing/kubeConfig.js';
import { deployment, kpaSpec, podAutoscaler, T0, TestCluster, waitFor } from './testing/cluster.js';
import type { RequestRecord } from './testing/fakeApiServer.js';
import { DEMAND_QUERIES, lengthHistogram, optimizerTestSpec, profilesConfigMap, startPointSolver } from './testing/optimizer.js';
import { crdValidator } from './testSupport.js';

const DIR = new URL('../../../examples/operator/', import.meta.url).pathname;
const read = (file: string) => readFileSync(join(DIR, file), 'utf8');
const docs = (file: string) => parseYamlDocuments(read(file)) as Array<Record<string, any>>;

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'apiextensions.k8s.io/v1/CustomResourceDefinition': CustomResourceDefinition,
  'scheduling.k8s.io/v1/PriorityClass': PriorityClass,
};

const SAMPLES = readdirSync(join(DIR, 'samples')).filter((f) => f.endsWith('.yaml'));
const CONVERTED = readdirSync(join(DIR, 'samples/converted')).filter((f) => f.endsWith('.yaml'));

describe('examples/operator manifests', () => {
  test.each(['crd.yaml', 'rbac.yaml', 'rbac-namespaced.yaml', 'rbac-targets.yaml', 'deployment.yaml', 'warm-pool.yaml'])('%s validates against the Kubernetes schemas', (file) => {
    const objects = docs(file);
    expect(objects.length).toBeGreaterThan(0);
    for (const o of objects) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      expect(Model, `a schema for ${o.apiVersion} ${o.kind}`).toBeDefined();
      expect(() => new (Model as NonNullable<typeof Model>)(o).validate()).not.toThrow();
    }
  });

  test('the schemas reject a broken object (the validation is not a no-op)', () => {
    const [d] = docs('deployment.yaml');
    expect(() => new Deployment({ ...d, spec: { ...d?.spec, replicas: 'two' } }).validate()).toThrow(/replicas/);
  });

  test('crd.yaml is what the TypeScript types generate (pnpm prescale operator --print-crd)', () => {
    expect(docs('crd.yaml')[0]).toEqual(JSON.parse(JSON.stringify(podAutoscalerCrd())));
    expect(read('crd.yaml')).toBe(toYaml(podAutoscalerCrd()));
  });

  test.each([...SAMPLES, ...CONVERTED.map((f) => `converted/${f}`)])('sample %s validates against the CRD and the controller', (file) => {
    const validate = crdValidator();
    for (const o of docs(`samples/${file}`)) {
      expect(validate(o), JSON.stringify(validate.errors)).toBe(true);
      const checked = validateSpec(o.spec);
      expect(checked.ok ? 'valid' : checked.error).toBe('valid');
    }
  });

  test('the CRD schema rejects what the API server would', () => {
    const validate = crdValidator();
    const [sample] = docs('samples/kpa-num-requests-waiting.yaml');
    const bad = structuredClone(sample) as any;
    bad.spec.metricsSources[0].targetValue = 'five';
    expect(validate(bad)).toBe(false);
    bad.spec.metricsSources[0].targetValue = '5';
    bad.spec.scalingStrategy = 'VPA';
    expect(validate(bad)).toBe(false);
    // A missing maxReplicas is a CEL rule now (required unless scalingStrategy is Optimizer), which the
    // e2e suite checks on a real API server; a maxReplicas below 1 is the structural schema's.
    bad.spec.scalingStrategy = 'KPA';
    bad.spec.maxReplicas = 0;
    expect(validate(bad)).toBe(false);
  });

  test.each(CONVERTED)('converted/%s is what prescale convert gives for its AIBrix input', (file) => {
    const [input] = docs(`samples/aibrix/${file}`);
    const { manifest, notes } = convertAibrix(input);
    expect(docs(`samples/converted/${file}`)[0]).toEqual(JSON.parse(JSON.stringify(manifest)));
    for (const note of notes) expect(read(`samples/converted/${file}`)).toContain(`# ${note}`);
  });

  test('the Dockerfile runs the prescale CLI on Node 20 as the unprivileged user the Deployment expects', () => {
    const text = read('Dockerfile');
    const froms = [...text.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThanOrEqual(1);
    for (const image of froms) expect(image).toMatch(/^node:20[.-]/);
    const last = text.slice(text.lastIndexOf('FROM '));
    expect(last).toMatch(/^ENTRYPOINT \["node", "\/app\/bin\/prescale\.js"\]$/m);
    expect(last).toMatch(/^CMD \["operator"/m);
    const user = /^USER (\d+):(\d+)$/m.exec(last);
    expect(user).not.toBeNull();
    const pod = docs('deployment.yaml')[0]?.spec.template.spec;
    expect(Number(user?.[1])).toBe(pod.securityContext.runAsUser);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.containers[0].args[0]).toBe('operator');
    // the build uses the versions the repository pins
    const pnpm = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).packageManager;
    expect(text).toContain(`npm install -g ${pnpm}`);
    expect(text).toContain('pnpm install --frozen-lockfile');
  });
});

describe('RBAC', () => {
  type Access = { namespace: string | null; group: string; resource: string; verb: string; name?: string };

  /** The access a request needs, as the API server's authorizer derives it; namespace null: cluster-scoped. */
  function accessOf(method: string, path: string, query: Record<string, string>): Access {
    const seg = path.split('/').filter(Boolean);
    const group = seg[0] === 'api' ? '' : (seg[1] ?? '');
    let rest = seg.slice(seg[0] === 'api' ? 2 : 3);
    let namespace: string | null = null;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1] ?? null;
      rest = rest.slice(2);
    }
    const [plural, name, sub] = rest;
    const resource = sub ? `${plural}/${sub}` : (plural ?? '');
    const verb =
      method === 'GET' ? (query.watch === 'true' ? 'watch' : name ? 'get' : 'list') : method === 'POST' ? 'create' : method === 'PUT' ? 'update' : method === 'PATCH' ? 'patch' : 'delete';
    return { namespace, group, resource, verb, ...(name && method !== 'POST' ? { name } : {}) };
  }

  function allowed(rules: any[], r: Access): boolean {
    return rules.some(
      (rule) =>
        rule.apiGroups.includes(r.group) &&
        rule.resources.includes(r.resource) &&
        rule.verbs.includes(r.verb) &&
        (!rule.resourceNames || (r.name !== undefined && rule.resourceNames.includes(r.name))),
    );
  }

  const PROMETHEUS = 'http://prometheus.monitoring.svc:9090';

  /**
   * Runs the whole operator (leader election in prescale-system) on three PodAutoscalers in
   * `namespace`: a KPA on its pods, an HPA on a Prometheus source with a Secret for
   * credentials, and an Optimizer over two Deployments with its profiles' ConfigMap; until
   * it has scaled, recorded an Event, read the Secret and the ConfigMap. Returns the
   * requests the stand-in served.
   */
  async function exercise(namespace: string, watch?: string): Promise<RequestRecord[]> {
    const k = await new TestCluster().start();
    try {
      k.server.apply(deployment('llm', 1, namespace));
      k.server.apply(deployment('api', 1, namespace));
      k.server.apply(podAutoscaler('llm', kpaSpec('llm'), namespace));
      const source = { metricSourceType: 'prometheus', endpoint: PROMETHEUS, query: 'sum(q)', targetMetric: 'q', targetValue: '5', authSecretRef: { name: 'prometheus-reader' } };
      k.server.apply(podAutoscaler('api', { ...kpaSpec('api'), scalingStrategy: 'HPA', observeWindowSeconds: undefined, panicWindowSeconds: undefined, metricsSources: [source] }, namespace));
      k.server.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'prometheus-reader', namespace }, data: { token: Buffer.from('t').toString('base64') } });
      k.server.apply(deployment('fleet-l4', 1, namespace));
      k.server.apply(deployment('fleet-a100', 1, namespace));
      k.server.apply(profilesConfigMap('fleet-profiles', undefined, namespace));
      const fleet = optimizerTestSpec('fleet') as { optimizer: { demand: Record<string, unknown> } };
      fleet.optimizer.demand.endpoint = PROMETHEUS;
      k.server.apply(podAutoscaler('fleet', fleet, namespace));
      k.metrics.series.set(DEMAND_QUERIES.prompt, lengthHistogram([300, 1000], [1, 1]));
      k.metrics.series.set(DEMAND_QUERIES.generation, lengthHistogram([100, 300], [1, 1]));
      // Objects the operator must leave alone when it watches one namespace.
      k.server.apply(deployment('elsewhere', 1, 'other'));
      k.server.apply(podAutoscaler('elsewhere', kpaSpec('elsewhere'), 'other'));
      k.spreadLoad('llm', 20);
      k.metrics.external.q = 20;
      const started = Date.now();
      const op = await startOperator({
        kubeConfig: kubeConfigFor(k.server.url, 'rbac-check'),
        metrics: k.metrics,
        solver: startPointSolver,
        allowedEndpoints: [PROMETHEUS],
        ...(watch ? { namespace: watch } : {}),
        leaderElection: { namespace: 'prescale-system', identity: 'rbac-check', leaseDurationMs: 600, renewDeadlineMs: 400, retryPeriodMs: 50 },
        metricsAddress: null,
        healthAddress: null,
        timeScale: 50,
        now: () => T0 + (Date.now() - started) * 50,
      });
      const secretRead = () => k.server.requests.some((r) => r.path.endsWith('/secrets/prometheus-reader'));
      const profilesRead = () => k.server.requests.some((r) => r.path.endsWith('/configmaps/fleet-profiles'));
      await waitFor(() => k.scalePatches().length >= 2 && k.server.list('events.events.k8s.io').length > 0 && secretRead() && profilesRead(), 5000, 'scales, an Event, a Secret and a ConfigMap read');
      await op.stop();
      return k.server.requests;
    } finally {
      await k.stop();
    }
  }

  /** Every request is granted by the rules in force where it goes, and every rule is used. */
  function check(requests: readonly RequestRecord[], rulesFor: (a: Access) => any[], granted: any[]) {
    const used = new Set<string>();
    for (const r of requests) {
      const a = accessOf(r.method, r.path, r.query);
      expect(allowed(rulesFor(a), a), `${r.method} ${r.path} needs ${a.verb} on ${a.group}/${a.resource} in ${a.namespace ?? '(cluster)'}`).toBe(true);
      used.add(`${a.group}|${a.resource}|${a.verb}`);
    }
    // Every granted verb is used (scale of StatefulSets and ReplicaSets: same calls).
    for (const rule of granted) {
      for (const g of rule.apiGroups) {
        for (const res of rule.resources) {
          const probe = res.replace(/^(statefulsets|replicasets)\//, 'deployments/');
          for (const verb of rule.verbs) expect(used.has(`${g}|${probe}|${verb}`), `${verb} on ${g}/${res} is used`).toBe(true);
        }
      }
    }
  }

  test('all namespaces: the operator uses exactly the verbs rbac.yaml grants', async () => {
    const requests = await exercise('default');
    const rbac = docs('rbac.yaml');
    const clusterRules = rbac.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'prescale-operator')?.rules ?? [];
    // Bound in a namespace by a RoleBinding (here: default), as rbac.yaml says.
    const credentialRules = rbac.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'prescale-operator-credentials')?.rules ?? [];
    const leaseRules = rbac.find((o) => o.kind === 'Role')?.rules ?? [];
    expect(rbac.filter((o) => o.kind === 'ClusterRoleBinding').map((o) => o.roleRef.name)).toEqual(['prescale-operator']);
    check(
      requests,
      (a) => (a.group === 'coordination.k8s.io' ? (a.namespace === 'prescale-system' ? leaseRules : []) : a.resource === 'secrets' ? (a.namespace === 'default' ? credentialRules : []) : clusterRules),
      [...clusterRules, ...credentialRules, ...leaseRules],
    );
  });

  test('one namespace (--namespace): rbac-namespaced.yaml suffices, and no request is cluster-scoped', async () => {
    const rbac = docs('rbac-namespaced.yaml');
    expect(rbac.some((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding')).toBe(false);
    const role = rbac.find((o) => o.kind === 'Role' && o.metadata.name === 'prescale-operator');
    const watched = role?.metadata.namespace as string;
    const binding = rbac.find((o) => o.kind === 'RoleBinding' && o.roleRef.name === 'prescale-operator');
    expect(binding?.metadata.namespace).toBe(watched);
    const leaseRules = rbac.find((o) => o.kind === 'Role' && o.metadata.namespace === 'prescale-system')?.rules ?? [];
    const requests = await exercise(watched, watched);
    const clusterScoped = requests.filter((r) => accessOf(r.method, r.path, r.query).namespace === null);
    expect(clusterScoped.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    // Nothing of another namespace is read or written.
    expect(requests.filter((r) => r.path.includes('/namespaces/other/'))).toEqual([]);
    check(
      requests,
      (a) => (a.namespace === watched ? (role?.rules ?? []) : a.namespace === 'prescale-system' ? leaseRules : []),
      [...(role?.rules ?? []), ...leaseRules],
    );
  });
});
