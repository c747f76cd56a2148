/**
 * The Kubernetes calls the controller makes, on `@kubernetes/client-node` 1.4.0, with
 * its traps handled in one place (reference/ecosystem.md 2): patches are sent as
 * merge patches through `setHeaderOptions` (the generated code would otherwise pick
 * `application/json-patch+json`), every call has a deadline (client-node has none),
 * `ApiException`'s string body is parsed into a typed {@link KubeApiError}, and Event
 * times are `V1MicroTime`.
 * @module
 */
import {
  ApiException,
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  createConfiguration,
  CustomObjectsApi,
  EventsV1Api,
  type KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  ServerConfiguration,
  setHeaderMiddleware,
  setHeaderOptions,
  V1MicroTime,
  type V1Lease,
  type V1Pod,
  type V1Scale,
} from '@kubernetes/client-node';
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { CONTROLLER_NAME, GROUP, PLURAL, VERSION } from '../crd/names.js';
import { type GenericApi, patchTarget, readTarget, type ScaleTarget } from './scaleTargets.js';
import type { PodUsage } from './metricsPort.js';
import { parseQuantity } from './quantity.js';

/** A failed API call: the HTTP status (0 when there was no answer) and the Status reason. */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  constructor(
    /** HTTP status; 0 for a timeout or a network failure. */
    readonly code: number,
    /** Kubernetes' `Status.reason` (Conflict, NotFound, …), or Timeout / Unreachable. */
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Turns whatever a client-node call threw into a {@link KubeApiError}. */
export function toKubeApiError(error: unknown, what: string): KubeApiError {
  if (error instanceof KubeApiError) return error;
  if (error instanceof ApiException) {
    let reason = 'Unknown';
    let message = `HTTP ${error.code}`;
    try {
      const status = JSON.parse(String(error.body)) as { reason?: string; message?: string };
      reason = status.reason ?? reason;
      message = status.message ?? message;
    } catch {
      // not a Status body
    }
    return new KubeApiError(error.code, reason, `${what}: ${message}`, { cause: error });
  }
  const name = (error as { name?: string; type?: string })?.name;
  const text = error instanceof Error ? error.message : String(error);
  if (name === 'AbortError' || name === 'TimeoutError' || /aborted|timeout/i.test(text)) {
    return new KubeApiError(0, 'Timeout', `${what}: no answer in time`, { cause: error });
  }
  return new KubeApiError(0, 'Unreachable', `${what}: ${text}`, { cause: error });
}

export interface ScaleReading {
  replicas: number;
  /** `status.selector` of the Scale: the target's pods. */
  selector: string;
  resourceVersion: string;
}

export interface EventInput {
  namespace: string;
  regarding: { apiVersion: string; kind: string; name: string; uid?: string };
  type: 'Normal' | 'Warning';
  reason: string;
  action: string;
  note: string;
  at: Date;
}

type RequestOptions = ReturnType<typeof setHeaderOptions>;

function reading(scale: V1Scale, replicas: number): ScaleReading {
  return { replicas: scale.spec?.replicas ?? replicas, selector: scale.status?.selector ?? '', resourceVersion: scale.metadata?.resourceVersion ?? '' };
}

/**
 * client-node 1.4.0 builds a new `http(s).Agent` for every request (in
 * `applySecurityAuthentication`), so every call opens a new connection, and over TLS
 * makes a new handshake. This keeps one keep-alive agent per distinct TLS setting and
 * puts it in place of the fresh one; proxy agents are left alone.
 */
class AgentCache {
  private readonly agents = new Map<string, http.Agent>();

  reuse(agent: http.Agent | undefined): http.Agent | null {
    if (!agent || (agent.constructor !== http.Agent && agent.constructor !== https.Agent)) return null;
    const o = (agent as http.Agent & { options: Record<string, unknown> }).options;
    const tls = agent.constructor === https.Agent;
    const key = createHash('sha1')
      .update(JSON.stringify([tls, o.rejectUnauthorized, o.servername, String(o.ca ?? ''), String(o.cert ?? ''), String(o.key ?? ''), String(o.pfx ?? '')]))
      .digest('hex');
    let cached = this.agents.get(key);
    if (!cached) {
      const options = { ...o, keepAlive: true, maxSockets: 32, maxFreeSockets: 32 };
      cached = tls ? new https.Agent(options) : new http.Agent(options);
      this.agents.set(key, cached);
    }
    return cached;
  }

  destroy(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }
}

export interface KubeClientOptions {
  /** Deadline of each call; default 10 s (AIBrix's reconcile timeout). */
  timeoutMs?: number;
  /** Name of this operator instance, reported in Events. */
  instance?: string;
}

/**
 * API discovery (`/api/v1`, `/apis/<group>/<version>`) through client-node's own cached
 * lookup: the plural of a kind, as the HPA's REST mapper finds it.
 */
class Discovery extends KubernetesObjectApi {
  async pluralOf(apiVersion: string, kind: string): Promise<string | null> {
    return (await this.resource(apiVersion, kind))?.name ?? null;
  }
}

/** The API calls of the controller, each with a deadline and typed errors. */
export class KubeClient {
  private readonly apps: AppsV1Api;
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly events: EventsV1Api;
  private readonly coordination: CoordinationV1Api;
  private readonly discovery: Discovery;
  private eventSeq = 0;
  private readonly agents = new AgentCache();
  private readonly timeoutMs: number;
  readonly instance: string;

  constructor(readonly kubeConfig: KubeConfig, options: KubeClientOptions = {}) {
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
    this.events = kubeConfig.makeApiClient(EventsV1Api);
    this.coordination = kubeConfig.makeApiClient(CoordinationV1Api);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    // Discovery's `resource()` takes no per-call options: the deadline and the agent go in its configuration.
    const cluster = kubeConfig.getCurrentCluster();
    this.discovery = cluster
      ? new Discovery(createConfiguration({ baseServer: new ServerConfiguration(cluster.server, {}), authMethods: { default: kubeConfig }, middleware: [this.deadline()] }))
      : kubeConfig.makeApiClient(Discovery);
    this.instance = options.instance ?? CONTROLLER_NAME;
  }

  /** A header middleware that also sets an abort signal (client-node has no timeouts) and a keep-alive agent. */
  private deadline() {
    const accept = setHeaderMiddleware('Accept', 'application/json');
    const timeoutMs = this.timeoutMs;
    const agents = this.agents;
    return {
      pre: (ctx: Parameters<typeof accept.pre>[0]) => {
        ctx.setSignal(AbortSignal.timeout(timeoutMs));
        const agent = agents.reuse(ctx.getAgent());
        if (agent) ctx.setAgent(agent);
        return accept.pre(ctx);
      },
      post: accept.post,
    };
  }

  /** Options that abort the call after the deadline and, for patches, set the content type. */
  private options(contentType?: string): RequestOptions {
    const base: RequestOptions = { middleware: [this.deadline()], middlewareMergeStrategy: 'append' };
    return contentType ? setHeaderOptions('Content-Type', contentType, base) : base;
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw toKubeApiError(error, what);
    }
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agents.destroy();
  }

  /** The typed scale calls of the apps/v1 workloads; null for any other target (found through discovery). */
  private appsScaleCalls(ref: ScaleTarget) {
    const a = this.apps;
    if ((ref.apiVersion ?? 'apps/v1') !== 'apps/v1' || ref.subTargetSelector) return null;
    switch (ref.kind) {
      case 'Deployment':
        return { read: a.readNamespacedDeploymentScale.bind(a), patch: a.patchNamespacedDeploymentScale.bind(a) };
      case 'StatefulSet':
        return { read: a.readNamespacedStatefulSetScale.bind(a), patch: a.patchNamespacedStatefulSetScale.bind(a) };
      case 'ReplicaSet':
        return { read: a.readNamespacedReplicaSetScale.bind(a), patch: a.patchNamespacedReplicaSetScale.bind(a) };
      default:
        return null;
    }
  }

  /** The generic calls scaleTargets.ts needs, each with the deadline and typed errors. */
  private readonly generic: GenericApi = {
    plural: async (apiVersion, kind) => {
      const found = await this.call(`discover ${kind} in ${apiVersion}`, () => this.discovery.pluralOf(apiVersion, kind));
      if (!found) throw new KubeApiError(404, 'NotFound', `discover ${kind} in ${apiVersion}: the API server serves no such kind`);
      return found;
    },
    getScale: (g, namespace, name) =>
      this.call(`read scale of ${g.plural}/${name}`, () => this.custom.getNamespacedCustomObjectScale({ ...g, namespace, name }, this.options())),
    patchScale: (g, namespace, name, body) =>
      this.call(`scale ${g.plural}/${name}`, () =>
        this.custom.patchNamespacedCustomObjectScale({ ...g, namespace, name, body, fieldManager: CONTROLLER_NAME }, this.options(PatchStrategy.MergePatch)),
      ),
    getObject: (g, namespace, name) => this.call(`read ${g.plural}/${name}`, () => this.custom.getNamespacedCustomObject({ ...g, namespace, name }, this.options())),
    jsonPatchObject: (g, namespace, name, ops) =>
      this.call(`patch ${g.plural}/${name}`, () =>
        this.custom.patchNamespacedCustomObject({ ...g, namespace, name, body: ops, fieldManager: CONTROLLER_NAME }, this.options(PatchStrategy.JsonPatch)),
      ),
  };

  /** Reads the target's replicas and pod selector: its `scale` subresource, or a StormService role (scaleTargets.ts). */
  async readScale(namespace: string, ref: ScaleTarget): Promise<ScaleReading> {
    const calls = this.appsScaleCalls(ref);
    if (!calls) return readTarget(this.generic, namespace, ref);
    const what = `read scale of ${ref.kind}/${ref.name}`;
    return reading(await this.call(what, () => calls.read({ name: ref.name, namespace }, this.options())), 0);
  }

  /**
   * Sets the target's replicas with a merge patch on its `scale` subresource (a JSON
   * patch of a StormService role). With a `resourceVersion` the patch is conditional:
   * 409 Conflict if the target changed.
   */
  async patchScale(namespace: string, ref: ScaleTarget, replicas: number, resourceVersion?: string): Promise<ScaleReading> {
    const calls = this.appsScaleCalls(ref);
    if (!calls) return patchTarget(this.generic, namespace, ref, replicas, resourceVersion);
    const what = `scale ${ref.kind}/${ref.name} to ${replicas}`;
    const body = { ...(resourceVersion ? { metadata: { resourceVersion } } : {}), spec: { replicas } };
    const p = { name: ref.name, namespace, body, fieldManager: CONTROLLER_NAME };
    return reading(await this.call(what, () => calls.patch(p, this.options(PatchStrategy.MergePatch))), replicas);
  }

  /** Pod usage from metrics.k8s.io (metrics-server), summed over each pod's containers. */
  async readPodUsage(namespace: string, labelSelector: string): Promise<Record<string, PodUsage>> {
    const list = (await this.call(`read pod metrics ${labelSelector}`, () =>
      this.custom.listNamespacedCustomObject({ group: 'metrics.k8s.io', version: 'v1beta1', plural: 'pods', namespace, labelSelector }, this.options()),
    )) as { items?: Array<{ metadata?: { name?: string }; containers?: Array<{ usage?: Record<string, unknown> }> }> };
    const out: Record<string, PodUsage> = {};
    for (const item of list.items ?? []) {
      const name = item.metadata?.name;
      if (!name) continue;
      let cpu = 0;
      let memory = 0;
      let usable = true;
      for (const c of item.containers ?? []) {
        const [cc, mm] = [parseQuantity(c.usage?.cpu ?? '0'), parseQuantity(c.usage?.memory ?? '0')];
        if (cc === null || mm === null) usable = false;
        else [cpu, memory] = [cpu + cc, memory + mm];
      }
      if (usable) out[name] = { cpu, memory };
    }
    return out;
  }

  /** An external metric from external.metrics.k8s.io, its items summed; null when there are none. */
  async readExternalMetric(namespace: string, metric: string, labelSelector: string): Promise<number | null> {
    const list = (await this.call(`read external metric ${metric}`, () =>
      this.custom.listNamespacedCustomObject(
        { group: 'external.metrics.k8s.io', version: 'v1beta1', plural: metric, namespace, ...(labelSelector ? { labelSelector } : {}) },
        this.options(),
      ),
    )) as { items?: Array<{ value?: unknown }> };
    const items = list.items ?? [];
    if (items.length === 0) return null;
    let total = 0;
    for (const item of items) {
      const v = parseQuantity(item.value);
      if (v === null) throw new KubeApiError(0, 'BadResponse', `read external metric ${metric}: an item's value is not a quantity`);
      total += v;
    }
    return total;
  }

  /** The pods matching a label selector. */
  async listPods(namespace: string, labelSelector: string): Promise<V1Pod[]> {
    const list = await this.call(`list pods ${labelSelector}`, () => this.core.listNamespacedPod({ namespace, labelSelector }, this.options()));
    return list.items;
  }

  /**
   * A Secret's `data`, decoded from base64 (the credentials a PodAutoscaler's
   * `authSecretRef` names); null when it has none. One GET of one Secret: RBAC `get` on
   * `secrets` suffices.
   */
  async readSecret(namespace: string, name: string): Promise<Record<string, string> | null> {
    const secret = await this.call(`read secret ${namespace}/${name}`, () => this.core.readNamespacedSecret({ namespace, name }, this.options()));
    if (!secret.data) return null;
    return Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  }

  /**
   * A ConfigMap's `data` (the throughput profiles an Optimizer PodAutoscaler names in
   * `spec.optimizer.profiles.configMapRef`) and its resourceVersion; `data` is empty when
   * it has none. One GET of one ConfigMap: RBAC `get` on `configmaps` suffices.
   */
  async readConfigMap(namespace: string, name: string): Promise<{ data: Record<string, string>; resourceVersion: string }> {
    const map = await this.call(`read configmap ${namespace}/${name}`, () => this.core.readNamespacedConfigMap({ namespace, name }, this.options()));
    return { data: map.data ?? {}, resourceVersion: map.metadata?.resourceVersion ?? '' };
  }

  /** Every pod of a namespace, or of all (the pod cache's list function). */
  async listAllPods(namespace?: string): Promise<{ metadata?: { resourceVersion?: string }; items: V1Pod[] }> {
    const o = this.options();
    return this.call('list pods', () => (namespace ? this.core.listNamespacedPod({ namespace }, o) : this.core.listPodForAllNamespaces({}, o)));
  }

  /** Merge-patches a PodAutoscaler's status subresource. */
  async patchStatus(namespace: string, name: string, status: Record<string, unknown>): Promise<void> {
    await this.call(`update status of ${PLURAL}/${name}`, () =>
      this.custom.patchNamespacedCustomObjectStatus(
        { group: GROUP, version: VERSION, plural: PLURAL, namespace, name, body: { status }, fieldManager: CONTROLLER_NAME },
        this.options(PatchStrategy.MergePatch),
      ),
    );
  }

  /** Lists PodAutoscalers in one namespace or all (the informer's list function). */
  async listPodAutoscalers(namespace?: string): Promise<{ metadata?: { resourceVersion?: string }; items: unknown[] }> {
    const o = this.options();
    return this.call(`list ${PLURAL}`, () =>
      namespace
        ? this.custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace }, o)
        : this.custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: PLURAL }, o),
    );
  }

  /** Records an events.k8s.io/v1 Event. */
  async createEvent(e: EventInput): Promise<void> {
    const stamp = e.at.getTime();
    await this.call(`record event ${e.reason}`, () =>
      this.events.createNamespacedEvent(
        {
          namespace: e.namespace,
          body: {
            metadata: { name: `${e.regarding.name}.${stamp.toString(16)}${(this.eventSeq++ % 0x10000).toString(16)}`, namespace: e.namespace },
            eventTime: new V1MicroTime(stamp),
            reportingController: `${GROUP}/${CONTROLLER_NAME}`,
            reportingInstance: this.instance,
            action: e.action,
            reason: e.reason,
            note: e.note.slice(0, 1024),
            type: e.type,
            regarding: { ...e.regarding, namespace: e.namespace },
          },
        },
        this.options(),
      ),
    );
  }

  /** Reads a Lease; null when it does not exist. */
  async readLease(namespace: string, name: string): Promise<V1Lease | null> {
    try {
      return await this.call(`read lease ${name}`, () => this.coordination.readNamespacedLease({ namespace, name }, this.options()));
    } catch (error) {
      if (error instanceof KubeApiError && error.code === 404) return null;
      throw error;
    }
  }

  async createLease(namespace: string, lease: V1Lease): Promise<V1Lease> {
    return this.call(`create lease ${lease.metadata?.name ?? ''}`, () => this.coordination.createNamespacedLease({ namespace, body: lease }, this.options()));
  }

  /** Replaces a Lease; its `metadata.resourceVersion` makes it conditional (409 if it changed). */
  async replaceLease(namespace: string, lease: V1Lease): Promise<V1Lease> {
    const name = lease.metadata?.name ?? '';
    return this.call(`update lease ${name}`, () => this.coordination.replaceNamespacedLease({ namespace, name, body: lease }, this.options()));
  }
}
