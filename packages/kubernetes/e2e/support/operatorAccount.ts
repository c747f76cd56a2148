/**
 * The operator's identity in the e2e suite: the ServiceAccount of
 * `examples/operator/rbac.yaml`, with exactly the rules there, and a token for it from
 * the TokenRequest API (what the kubelet would mount into the operator's pod). The
 * operator runs with a kubeconfig that holds only that token and the server's CA.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { applyAll, readManifests, testEnv } from './testEnv.js';

export const OPERATOR_NAMESPACE = 'prescale-system';
export const OPERATOR_ACCOUNT = 'prescale-operator';

/** The objects of rbac.yaml, as written. */
export function rbacManifests(): KubernetesObject[] {
  return readManifests('examples/operator/rbac.yaml');
}

/** A kubeconfig for a ServiceAccount: a token from the TokenRequest API and the server's CA. */
export async function serviceAccountKubeConfig(namespace: string, name: string): Promise<KubeConfig> {
  const env = testEnv();
  const core = env.admin.makeApiClient(CoreV1Api);
  const tr = await core.createNamespacedServiceAccountToken({ namespace, name, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  const token = tr.status?.token;
  if (!token) throw new Error(`no token for ${namespace}/${name}`);
  const cluster = env.admin.getCurrentCluster();
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'testenv', server: env.server, caData: cluster?.caData, skipTLSVerify: false }],
    users: [{ name, token }],
    contexts: [{ name: 'testenv', cluster: 'testenv', user: name, namespace }],
    currentContext: 'testenv',
  });
  return kc;
}

/** Writes a kubeconfig to a file in the environment's folder (for an operator process). */
export function writeKubeConfig(kc: KubeConfig, file: string): string {
  const path = join(testEnv().dir, file);
  writeFileSync(path, kc.exportConfig(), { mode: 0o600 });
  return path;
}

let ready: Promise<KubeConfig> | null = null;

/** Applies rbac.yaml (once per test file) and returns the operator's kubeconfig. */
export function operatorKubeConfig(): Promise<KubeConfig> {
  ready ??= applyAll(rbacManifests()).then(() => serviceAccountKubeConfig(OPERATOR_NAMESPACE, OPERATOR_ACCOUNT));
  return ready;
}
