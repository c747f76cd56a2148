/**
 * The PodAutoscaler CRD as `prescale operator --print-crd` prints it (the built CLI),
 * installed on the test environment's API server.
 * @module
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiextensionsV1Api, CustomObjectsApi, type KubernetesObject } from '@kubernetes/client-node';
import { GROUP, PLURAL, VERSION } from '../../src/crd/names.js';
import { applyAll, parseManifests, REPO, testEnv } from './testEnv.js';

const run = promisify(execFile);

/** The CRD as the CLI prints it. */
export async function printedCrd(): Promise<KubernetesObject> {
  const { stdout } = await run(process.execPath, [join(REPO, 'packages/cli/bin/prescale.js'), 'operator', '--print-crd'], { cwd: REPO });
  const [crd] = parseManifests(stdout);
  if (!crd) throw new Error('--print-crd printed nothing');
  return crd;
}

/** Applies the printed CRD and waits until it is Established (its API is served). */
export async function installCrd(): Promise<void> {
  await applyAll([await printedCrd()]);
  const ext = testEnv().admin.makeApiClient(ApiextensionsV1Api);
  const custom = testEnv().admin.makeApiClient(CustomObjectsApi);
  for (let i = 0; i < 600; i++) {
    const crd = await ext.readCustomResourceDefinition({ name: `${PLURAL}.${GROUP}` });
    const established = crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
    // Established, and its API served (the handler follows the condition by a moment).
    if (established && (await custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL }).then(() => true, () => false))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the CRD did not become Established and served');
}
