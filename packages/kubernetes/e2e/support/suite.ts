/**
 * What most e2e files share: their namespace set up once (the CRD installed, the
 * namespace and its default ServiceAccount, a workload controller playing the
 * controller-manager and kubelet, stopped after the file), PodAutoscalers created as
 * the admin, and a controller whose log is kept for the assertions.
 * @module
 */
import { CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll } from 'vitest';
import { Controller } from '../../src/controller/controller.js';
import { KubeClient } from '../../src/controller/kubeClient.js';
import { GROUP, PLURAL, VERSION } from '../../src/crd/names.js';
import { FakeMetrics, T0 } from '../../src/testing/index.js';
import { installCrd } from './crdInstall.js';
import { testEnv } from './testEnv.js';
import { ensureNamespace, WorkloadController } from './workloads.js';

/** Sets up `ns` for the calling file; the workload controller, once `beforeAll` has run. */
export function useNamespace(ns: string): () => WorkloadController {
  let wl: WorkloadController | undefined;
  beforeAll(async () => {
    await installCrd();
    await ensureNamespace(ns);
    wl = new WorkloadController();
  });
  afterAll(async () => {
    await wl?.stop();
  });
  return () => {
    if (!wl) throw new Error('the namespace is not set up yet (beforeAll)');
    return wl;
  };
}

/** Creates a PodAutoscaler in `ns`, as the admin unless `kc` is given. */
export async function createPodAutoscaler(ns: string, name: string, spec: Record<string, unknown>, kc: KubeConfig = testEnv().admin): Promise<void> {
  await kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace: ns, body: { apiVersion: `${GROUP}/${VERSION}`, kind: 'PodAutoscaler', metadata: { name, namespace: ns }, spec } });
}

/** A controller on a pod watch, at T0, whose log lines go to `logs`. */
export function loggingController(client: KubeClient, ns: string, logs: string[], restartDelayMs: number): Controller {
  return new Controller({
    client,
    metrics: new FakeMetrics(),
    namespace: ns,
    now: () => T0,
    pods: 'watch',
    informer: { restartDelayMs },
    log: (level, message, fields) => logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`),
  });
}
