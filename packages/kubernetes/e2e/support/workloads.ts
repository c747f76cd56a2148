/**
 * The parts of a cluster the e2e suite plays itself, since only kube-apiserver and
 * etcd run: namespaces with their `default` ServiceAccount (the ServiceAccount
 * admission plugin wants it for pods; the controller-manager would make it), and a
 * workload controller that keeps a Deployment's pods in step with its replicas, marks
 * them Running and Ready with a loopback pod IP through the pods' status subresource
 * (the kubelet's part), and serves each pod's vLLM-style `/metrics` on that IP.
 * @module
 */
import { createServer, type Server } from 'node:http';
import { AppsV1Api, CoreV1Api, type KubeConfig, PatchStrategy, setHeaderOptions, type V1Deployment } from '@kubernetes/client-node';
import { testEnv } from './testEnv.js';

/** The port every fake pod serves `/metrics` on (each on its own loopback address). */
export const METRICS_PORT = 19481;

function isConflict(error: unknown): boolean {
  return (error as { code?: number })?.code === 409;
}

/** Creates the namespace and its `default` ServiceAccount, if missing. */
export async function ensureNamespace(name: string, kc: KubeConfig = testEnv().admin): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name } } }).catch((e: unknown) => { if (!isConflict(e)) throw e; });
  await core.createNamespacedServiceAccount({ namespace: name, body: { metadata: { name: 'default' } } }).catch((e: unknown) => { if (!isConflict(e)) throw e; });
}

export function deploymentManifest(namespace: string, name: string, replicas: number): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.11.0' }] } },
    },
  };
}

let nextIp = 0;
/** A fresh loopback address per pod: 127.42.x.y. */
function allocateIp(): string {
  const i = nextIp++;
  return `127.42.${Math.floor(i / 250)}.${(i % 250) + 1}`;
}

interface FakePod {
  ip: string;
  server: Server;
}

/**
 * Keeps the pods of the Deployments it is given equal in number to their
 * `spec.replicas`, every 200 ms, as the Deployment and ReplicaSet controllers and the
 * kubelet would; each pod reports `load(deployment) / pods` for `vllm:num_requests_waiting`.
 */
export class WorkloadController {
  private readonly apps: AppsV1Api;
  private readonly core: CoreV1Api;
  private readonly pods = new Map<string, FakePod>();
  private readonly load = new Map<string, number>();
  private readonly watched = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> | null = null;
  /** Replica counts seen per Deployment (`namespace/name`), in order, for tests of what the operator did. */
  readonly seen = new Map<string, number[]>();

  constructor(kc: KubeConfig = testEnv().admin) {
    this.apps = kc.makeApiClient(AppsV1Api);
    this.core = kc.makeApiClient(CoreV1Api);
  }

  /** Creates the Deployment and keeps its pods. */
  async deploy(namespace: string, name: string, replicas: number): Promise<void> {
    await this.apps.createNamespacedDeployment({ namespace, body: deploymentManifest(namespace, name, replicas) });
    this.watch(namespace, name);
    await this.sync();
  }

  /** Keeps the pods of an existing Deployment. */
  watch(namespace: string, name: string): void {
    this.watched.add(`${namespace}/${name}`);
    this.timer ??= setInterval(() => void this.sync(), 200);
  }

  /** Sets the total `vllm:num_requests_waiting` over the Deployment's pods. */
  setLoad(namespace: string, name: string, total: number): void {
    this.load.set(`${namespace}/${name}`, total);
  }

  /** One pass over the Deployments (a pass in flight is awaited, not doubled). */
  sync(): Promise<void> {
    this.syncing ??= this.syncAll().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  private async syncAll(): Promise<void> {
    for (const key of this.watched) {
      const [namespace = '', name = ''] = key.split('/');
      await this.syncOne(namespace, name).catch(() => {
        // the API server may be restarting; the next pass catches up
      });
    }
  }

  private async syncOne(namespace: string, name: string): Promise<void> {
    const key = `${namespace}/${name}`;
    const d = await this.apps.readNamespacedDeployment({ namespace, name });
    const want = d.spec?.replicas ?? 1;
    const seen = this.seen.get(key) ?? [];
    if (seen.at(-1) !== want) this.seen.set(key, [...seen, want]);
    for (let i = 0; i < want; i++) await this.ensurePod(namespace, name, i);
    const list = await this.core.listNamespacedPod({ namespace, labelSelector: `app=${name}` });
    for (const p of list.items) {
      const podName = p.metadata?.name ?? '';
      const i = Number(podName.slice(name.length + 1));
      if (i >= want) {
        await this.core.deleteNamespacedPod({ namespace, name: podName, gracePeriodSeconds: 0 }).catch(() => undefined);
        const fake = this.pods.get(`${namespace}/${podName}`);
        fake?.server.close();
        this.pods.delete(`${namespace}/${podName}`);
      }
    }
  }

  private async ensurePod(namespace: string, app: string, i: number): Promise<void> {
    const name = `${app}-${i}`;
    const key = `${namespace}/${name}`;
    if (this.pods.has(key)) return;
    const ip = allocateIp();
    const server = createServer((_req, res) => {
      const total = this.load.get(`${namespace}/${app}`) ?? 0;
      const count = [...this.pods.keys()].filter((k) => k.startsWith(`${namespace}/${app}-`)).length || 1;
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(`# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting{model_name="m"} ${total / count}\n`);
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(METRICS_PORT, ip, () => resolve()));
    this.pods.set(key, { ip, server });
    await this.core
      .createNamespacedPod({ namespace, body: { metadata: { name, namespace, labels: { app } }, spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai:v0.11.0' }] } } })
      .catch((e: unknown) => { if (!isConflict(e)) throw e; });
    const now = new Date().toISOString();
    await this.core.patchNamespacedPodStatus(
      {
        namespace,
        name,
        body: { status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  }

  /** Stops the loop and the pods' servers. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.syncing;
    for (const p of this.pods.values()) p.server.close();
    this.pods.clear();
  }
}
