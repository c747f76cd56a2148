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
import Ajv from 'ajv-draft-04';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
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
};

/** Kubernetes' `format: int32` (the CRD puts it on every integer), checked as the API server checks it. */
const int32 = { type: 'number' as const, validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 };

function crdValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true, formats: { int32 } });
  const schema = (podAutoscalerCrd().spec as any).versions[0].schema.openAPIV3Schema;
  return ajv.compile(schema);
}

const SAMPLES = readdirSync(join(DIR, 'samples')).filter((f) => f.endsWith('.yaml'));
const CONVERTED = readdirSync(join(DIR, 'samples/converted')).filter((f) => f.endsWith('.yaml'));

describe('examples/operator manifests', () => {
  test.each(['crd.yaml', 'rbac.yaml', 'deployment.yaml'])('%s validates against the Kubernetes schemas', (file) => {
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
    delete bad.spec.maxReplicas;
    bad.spec.scalingStrategy = 'KPA';
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
  /** The verb a request needs, as the API server's authorizer derives it. */
  function verbOf(method: string, path: string, query: Record<string, string>): { group: string; resource: string; verb: string; name?: string } {
    const seg = path.split('/').filter(Boolean);
    const group = seg[0] === 'api' ? '' : (seg[1] ?? '');
    let rest = seg.slice(seg[0] === 'api' ? 2 : 3);
    if (rest[0] === 'namespaces' && rest.length >= 3) rest = rest.slice(2);
    const [plural, name, sub] = rest;
    const resource = sub ? `${plural}/${sub}` : (plural ?? '');
    const verb =
      method === 'GET' ? (query.watch === 'true' ? 'watch' : name ? 'get' : 'list') : method === 'POST' ? 'create' : method === 'PUT' ? 'update' : method === 'PATCH' ? 'patch' : 'delete';
    return { group, resource, verb, ...(name && method !== 'POST' ? { name } : {}) };
  }

  function allowed(rules: any[], r: ReturnType<typeof verbOf>): boolean {
    return rules.some(
      (rule) =>
        rule.apiGroups.includes(r.group) &&
        rule.resources.includes(r.resource) &&
        rule.verbs.includes(r.verb) &&
        (!rule.resourceNames || (r.name !== undefined && rule.resourceNames.includes(r.name))),
    );
  }

  test('the operator uses exactly the verbs rbac.yaml grants', async () => {
    const k = await new TestCluster().start();
    try {
      k.server.apply(deployment('llm', 1));
      k.server.apply(podAutoscaler('llm', kpaSpec('llm')));
      k.spreadLoad('llm', 20);
      const started = Date.now();
      const op = await startOperator({
        kubeConfig: kubeConfigFor(k.server.url, 'rbac-check'),
        metrics: k.metrics,
        leaderElection: { namespace: 'prescale-system', identity: 'rbac-check', leaseDurationMs: 600, renewDeadlineMs: 400, retryPeriodMs: 50 },
        metricsAddress: null,
        healthAddress: null,
        timeScale: 50,
        now: () => T0 + (Date.now() - started) * 50,
      });
      await waitFor(() => k.scalePatches().length > 0 && k.server.list('events.events.k8s.io').length > 0, 5000, 'a scale');
      await op.stop();
      const rbac = docs('rbac.yaml');
      const clusterRules = rbac.find((o) => o.kind === 'ClusterRole')?.rules ?? [];
      const leaseRules = rbac.find((o) => o.kind === 'Role')?.rules ?? [];
      const used = new Set<string>();
      for (const r of k.server.requests) {
        const v = verbOf(r.method, r.path, r.query);
        const rules = v.group === 'coordination.k8s.io' ? leaseRules : clusterRules;
        expect(allowed(rules, v), `${r.method} ${r.path} needs ${v.verb} on ${v.group}/${v.resource}`).toBe(true);
        used.add(`${v.group}|${v.resource}|${v.verb}`);
      }
      // Every granted verb is used (scale of StatefulSets and ReplicaSets: same calls).
      for (const rule of [...clusterRules, ...leaseRules]) {
        for (const g of rule.apiGroups) {
          for (const res of rule.resources) {
            const probe = res.replace(/^(statefulsets|replicasets)\//, 'deployments/');
            for (const verb of rule.verbs) expect(used.has(`${g}|${probe}|${verb}`), `${verb} on ${g}/${res} is used`).toBe(true);
          }
        }
      }
    } finally {
      await k.stop();
    }
  });
});
