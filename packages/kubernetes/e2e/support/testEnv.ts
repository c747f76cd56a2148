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
import https from 'node:https';
import { KubeConfig, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
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

/** A refused apply: the HTTP status and the Status body. */
export class ApplyError extends Error {
  constructor(
    readonly code: number,
    readonly body: string,
  ) {
    super(`apply failed: HTTP ${code}: ${body}`);
  }
}

/**
 * Server-side applies the objects in order as the administrator. The body goes out as
 * the object's own JSON: client-node's typed serialisation (KubernetesObjectApi and the
 * generated APIs) writes only the fields its models name in their TypeScript spelling,
 * so an object written with the wire names drops `x-kubernetes-validations`,
 * `x-kubernetes-preserve-unknown-fields` and the like without a word.
 */
export async function applyAll(objects: readonly KubernetesObject[], options: { dryRun?: boolean } = {}): Promise<KubernetesObject[]> {
  const env = testEnv();
  const api = KubernetesObjectApi.makeApiClient(env.admin) as unknown as { specUriPath(spec: KubernetesObject, action: string): Promise<string> };
  const out: KubernetesObject[] = [];
  for (const o of objects) {
    const url = new URL(`${env.server}${await api.specUriPath(o, 'patch')}`);
    url.searchParams.set('fieldManager', 'prescale-e2e');
    url.searchParams.set('force', 'true');
    if (options.dryRun) url.searchParams.set('dryRun', 'All');
    const request: https.RequestOptions = {
      method: 'PATCH',
      hostname: url.hostname,
      port: url.port,
      path: `${url.pathname}${url.search}`,
      headers: { 'content-type': 'application/apply-patch+yaml', accept: 'application/json' },
    };
    await env.admin.applyToHTTPSOptions(request);
    out.push(
      await new Promise<KubernetesObject>((resolve, reject) => {
        const req = https.request(request, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve(JSON.parse(body) as KubernetesObject) : reject(new ApplyError(res.statusCode ?? 0, body))));
        });
        req.on('error', reject);
        req.end(JSON.stringify(o));
      }),
    );
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
