/**
 * The real API server the e2e suite runs against, as `scripts/kube-testenv.sh run`
 * started it: its state folder comes in `KUBE_TESTENV_DIR`, whose `env` file names the
 * server, the binaries and the processes. Helpers for what the tests do as the cluster
 * administrator (apply manifests, restart the API server, compact etcd) and for the
 * binaries built beside the server (kubectl, helm).
 * @module
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import yaml from 'js-yaml';

const run = promisify(execFile);

/** The repository root (this file is packages/kubernetes/e2e/support/testEnv.ts). */
export const REPO = resolve(import.meta.dirname, '../../../..');

export interface TestEnv {
  dir: string;
  server: string;
  bin: string;
  etcdUrl: string;
  admin: KubeConfig;
}

function readEnvFile(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(join(dir, 'env'), 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) out[m[1]] = m[2]; // later lines win (a restart appends its pid)
  }
  return out;
}

let cached: TestEnv | null = null;

/** The environment; throws with how to start one when the suite runs outside `pnpm test:kube`. */
export function testEnv(): TestEnv {
  if (cached) return cached;
  const dir = process.env.KUBE_TESTENV_DIR;
  if (!dir) throw new Error('KUBE_TESTENV_DIR is not set: run the e2e suite with `pnpm test:kube` (scripts/kube-testenv.sh run)');
  const env = readEnvFile(dir);
  const admin = new KubeConfig();
  admin.loadFromFile(join(dir, 'admin.kubeconfig'));
  cached = { dir, server: env.KUBE_TESTENV_SERVER ?? '', bin: env.KUBE_TESTENV_BIN ?? '', etcdUrl: `http://127.0.0.1:${env.ETCD_PORT}`, admin };
  return cached;
}

/** Runs a binary of the test environment (kubectl, helm) as the administrator; its stdout. */
export async function tool(name: 'kubectl' | 'helm', args: readonly string[]): Promise<string> {
  const env = testEnv();
  const { stdout } = await run(join(env.bin, name), [...args], {
    cwd: REPO,
    env: { ...process.env, KUBECONFIG: join(env.dir, 'admin.kubeconfig'), HOME: env.dir, HELM_CACHE_HOME: join(env.dir, 'helm-cache'), HELM_CONFIG_HOME: join(env.dir, 'helm-config') },
    maxBuffer: 64 << 20,
  });
  return stdout;
}

/** Parses a YAML stream into its objects (empty documents left out). */
export function parseManifests(text: string): KubernetesObject[] {
  return yaml.loadAll(text).filter((d): d is KubernetesObject => d !== null && typeof d === 'object');
}

export function readManifests(path: string): KubernetesObject[] {
  return parseManifests(readFileSync(resolve(REPO, path), 'utf8'));
}

/** Server-side applies the objects in order as the administrator. */
export async function applyAll(objects: readonly KubernetesObject[], options: { dryRun?: boolean } = {}): Promise<KubernetesObject[]> {
  const api = KubernetesObjectApi.makeApiClient(testEnv().admin);
  const out: KubernetesObject[] = [];
  for (const o of objects) {
    out.push(await api.patch(o, undefined, options.dryRun ? 'All' : undefined, 'prescale-e2e', true, PatchStrategy.ServerSideApply));
  }
  return out;
}

/** Stops kube-apiserver and starts it again on the same port and etcd (watches break). */
export async function restartApiServer(): Promise<void> {
  await run('bash', [join(REPO, 'scripts/kube-testenv.sh'), 'restart-apiserver', testEnv().dir], { cwd: REPO });
}

/** etcd's current revision, through its JSON gateway. */
export async function etcdRevision(): Promise<number> {
  const r = await fetch(`${testEnv().etcdUrl}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key: Buffer.from('/').toString('base64') }) });
  const body = (await r.json()) as { header?: { revision?: string } };
  return Number(body.header?.revision);
}

/** Compacts etcd's history up to its current revision: older resourceVersions are gone. */
export async function compactEtcd(): Promise<number> {
  const revision = await etcdRevision();
  const r = await fetch(`${testEnv().etcdUrl}/v3/kv/compaction`, { method: 'POST', body: JSON.stringify({ revision: String(revision), physical: true }) });
  if (!r.ok) throw new Error(`etcd compaction failed: HTTP ${r.status} ${await r.text()}`);
  return revision;
}
