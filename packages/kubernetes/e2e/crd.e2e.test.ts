/**
 * The PodAutoscaler CRD on a real API server: the one `prescale operator --print-crd`
 * prints installs (its structural schema and CEL rules are ones the server takes),
 * every sample in examples/operator/samples is accepted, and invalid specs are refused
 * by the server with the field's path where the schema or a CEL rule can tell, and
 * otherwise marked `ValidSpec=False` naming the field by the controller.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ApiextensionsV1Api, ApiException, CustomObjectsApi, EventsV1Api, type KubernetesObject } from '@kubernetes/client-node';
import { beforeAll, describe, expect, test } from 'vitest';
import { GROUP, PLURAL, VERSION } from '../src/crd/names.js';
import { Controller } from '../src/controller/controller.js';
import { KubeClient } from '../src/controller/kubeClient.js';
import { FakeMetrics, INVALID_SPECS, T0, VALID_SPEC } from '../src/testing/index.js';
import { installCrd, printedCrd } from './support/crdInstall.js';
import { operatorKubeConfig } from './support/operatorAccount.js';
import { applyAll, parseManifests, readManifests, REPO, testEnv } from './support/testEnv.js';
import { ensureNamespace } from './support/workloads.js';

const NS = 'e2e-crd';

function podAutoscaler(name: string, spec: Record<string, unknown>): KubernetesObject & { spec: Record<string, unknown> } {
  return { apiVersion: `${GROUP}/${VERSION}`, kind: 'PodAutoscaler', metadata: { name, namespace: NS }, spec };
}

/** The field paths of a refusal (Status.details.causes), or the message when there are none. */
function refusal(error: unknown): { code: number; fields: string[]; message: string } {
  if (!(error instanceof ApiException)) throw error;
  const status = JSON.parse(String(error.body)) as { message?: string; details?: { causes?: Array<{ field?: string }> } };
  return { code: error.code, fields: (status.details?.causes ?? []).map((c) => c.field ?? ''), message: status.message ?? '' };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? yamlFiles(p) : p.endsWith('.yaml') ? [p] : [];
  });
}

beforeAll(async () => {
  await installCrd();
  await ensureNamespace(NS);
});

describe('the PodAutoscaler CRD on a real API server', () => {
  test('the CRD printed by `prescale operator --print-crd` installs with its CEL rules', async () => {
    const ext = testEnv().admin.makeApiClient(ApiextensionsV1Api);
    const crd = await ext.readCustomResourceDefinition({ name: `${PLURAL}.${GROUP}` });
    expect(crd.status?.conditions?.find((c) => c.type === 'NamesAccepted')?.status).toBe('True');
    const spec = crd.spec.versions[0]?.schema?.openAPIV3Schema?.properties?.spec;
    // client-node reads the wire's `x-kubernetes-validations` into `x_kubernetes_validations`.
    expect(spec?.x_kubernetes_validations?.length).toBeGreaterThan(10);
    // examples/operator/crd.yaml is the same object (a unit test keeps the file equal to the generator).
    const [file] = readManifests('examples/operator/crd.yaml');
    expect(file).toEqual(await printedCrd());
  });

  test('every PodAutoscaler in examples/operator/samples is accepted', async () => {
    const samples = yamlFiles(join(REPO, 'examples/operator/samples'))
      .flatMap((f) => parseManifests(readFileSync(f, 'utf8')).map((o) => ({ f, o })))
      .filter(({ o }) => o.apiVersion === `${GROUP}/${VERSION}`);
    expect(samples.length).toBeGreaterThanOrEqual(5);
    for (const { f, o } of samples) {
      const [created] = await applyAll([{ ...o, metadata: { ...o.metadata, namespace: NS } }]);
      expect(created?.metadata?.uid, f).toBeTruthy();
    }
  });

  const byServer = INVALID_SPECS.filter(([, , , server]) => server !== null);
  test.each(byServer)('the server refuses %s, naming the field', async (what, change, field, server) => {
    const custom = testEnv().admin.makeApiClient(CustomObjectsApi);
    const name = what.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
    const error = await custom
      .createNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace: NS, body: podAutoscaler(name, { ...VALID_SPEC, ...change }) })
      .then(() => null, (e: unknown) => e);
    expect(error, 'the server accepted it').not.toBeNull();
    const r = refusal(error);
    expect(r.code).toBe(422);
    expect(r.fields).toContain(server === 'same' ? field : server);
  });

  test('what only the controller can check is accepted by the server and marked ValidSpec=False, naming the field, with no scale', async () => {
    const byController = INVALID_SPECS.filter(([, , , server]) => server === null);
    const custom = testEnv().admin.makeApiClient(CustomObjectsApi);
    const names: Array<[string, string]> = [];
    for (const [i, [, change, field]] of byController.entries()) {
      const name = `controller-only-${i}`;
      await custom.createNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace: NS, body: podAutoscaler(name, { ...VALID_SPEC, ...change }) });
      names.push([name, field]);
    }
    const controller = new Controller({ client: new KubeClient(await operatorKubeConfig()), metrics: new FakeMetrics(), namespace: NS, now: () => T0, pods: 'list' });
    await controller.start();
    try {
      for (const [name, field] of names) {
        const r = await controller.reconcile(`${NS}/${name}`);
        expect(r.skipped).toBe('InvalidSpec');
        const o = (await custom.getNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace: NS, name })) as { status?: { conditions?: Array<{ type: string; status: string; message: string }> } };
        const valid = o.status?.conditions?.find((c) => c.type === 'ValidSpec');
        expect(valid?.status).toBe('False');
        expect(valid?.message.startsWith(`${field}: `)).toBe(true);
      }
      // One InvalidSpec Warning per object, and nothing scaled (there is no target: no scale was even read).
      const events = await testEnv().admin.makeApiClient(EventsV1Api).listNamespacedEvent({ namespace: NS });
      for (const [name] of names) expect(events.items.filter((e) => e.regarding?.name === name).map((e) => [e.type, e.reason])).toEqual([['Warning', 'InvalidSpec']]);
    } finally {
      await controller.stop();
    }
  });
});
