/**
 * A stand-in cluster for tests of the operator, here and in packages that compose it
 * (the CLI runs the operator on the simulator's replicas): the API server stand-in with
 * a minimal workload controller that keeps a Deployment's pods in step with its
 * replicas, object builders, a manual clock and a metrics reader whose values the test
 * sets.
 * @module
 */
import { API_VERSION, KIND } from '../crd/names.js';
import type { MetricSource } from '../crd/spec.js';
import { Controller, type ControllerOptions } from '../controller/controller.js';
import { KubeClient } from '../controller/kubeClient.js';
import type { BinnedSeries } from '@prescale/core';
import type { EndpointAuth, HistoryLoader, HistoryRequest, PodEndpoint, PodMetricsReader, RequestRateQuery, SeriesSample } from '../controller/metricsPort.js';
import { FakeApiServer, type KubeObject, type RequestRecord } from './fakeApiServer.js';
import { kubeConfigFor } from './kubeConfig.js';
import { DEFAULT_RESOURCES, type ResourceType } from './resources.js';

/** A Monday, 09:00 UTC: the start of the scalers' clock in tests. */
export const T0 = Date.UTC(2026, 0, 5, 9);

export function deployment(name: string, replicas: number, namespace = 'default'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name } },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai' }] } } },
    status: { replicas },
  };
}

/** A StatefulSet of `replicas` pods labelled `app: name` (its pods are `<name>-<i>`, as Kubernetes names them). */
export function statefulSet(name: string, replicas: number, namespace = 'default'): KubeObject {
  const d = deployment(name, replicas, namespace);
  return { ...d, kind: 'StatefulSet', spec: { ...(d.spec as object), serviceName: name } };
}

export function pod(name: string, app: string, ip: string | null, options: { ready?: boolean; phase?: string; namespace?: string } = {}): KubeObject {
  const ready = options.ready ?? true;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: options.namespace ?? 'default', labels: { app } },
    spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai' }] },
    status: {
      phase: options.phase ?? 'Running',
      ...(ip ? { podIP: ip } : {}),
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  };
}

export function podAutoscaler(name: string, spec: Record<string, unknown>, namespace = 'default'): KubeObject {
  return { apiVersion: API_VERSION, kind: KIND, metadata: { name, namespace }, spec };
}

/** A KPA PodAutoscaler on `vllm:num_requests_waiting` of Deployment `target`. */
export function kpaSpec(target: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
    minReplicas: 1,
    maxReplicas: 10,
    scalingStrategy: 'KPA',
    metricsSources: [{ metricSourceType: 'pod', protocolType: 'http', port: 8000, path: '/metrics', targetMetric: 'vllm:num_requests_waiting', targetValue: '5' }],
    observeWindowSeconds: 60,
    panicWindowSeconds: 20,
    ...overrides,
  };
}

/**
 * Keeps each Deployment's and StatefulSet's pods (`<name>-<i>`) equal in number to its
 * `spec.replicas`, as their controllers would, with ready pods at once. Pod IPs come
 * from `ipFor`. Returns a function that stops it.
 */
export function runWorkloadController(
  server: FakeApiServer,
  ipFor: (pod: string, index: number) => string | null = () => '10.0.0.1',
  readyAtCreation = true,
): () => void {
  const sync = (d: KubeObject): void => {
    const name = d.metadata?.name ?? '';
    const ns = d.metadata?.namespace ?? 'default';
    const want = Number((d.spec as { replicas?: number }).replicas ?? 1);
    const have = server.list('pods', ns).filter((p) => p.metadata?.labels?.app === name);
    for (let i = 0; i < want; i++) {
      const podName = `${name}-${i}`;
      if (!have.some((p) => p.metadata?.name === podName)) server.apply(pod(podName, name, ipFor(podName, i), { namespace: ns, ready: readyAtCreation }));
    }
    for (const p of have) {
      const i = Number(p.metadata?.name?.slice(name.length + 1));
      if (i >= want) server.remove('pods', ns, p.metadata?.name ?? '');
    }
    if ((d.status as { replicas?: number } | undefined)?.replicas !== want) {
      // status.replicas follows, as the workload's controller reports it
      const plural = d.kind === 'StatefulSet' ? 'statefulsets' : 'deployments';
      queueMicrotask(() => {
        const current = server.get(plural, ns, name);
        if (current && (current.status as { replicas?: number } | undefined)?.replicas !== want) {
          server.apply({ ...current, status: { ...(current.status as object), replicas: want } });
        }
      });
    }
  };
  for (const d of [...server.list('deployments'), ...server.list('statefulsets')]) sync(d);
  return server.onWrite((type, object, resource) => {
    if ((resource.plural === 'deployments' || resource.plural === 'statefulsets') && type !== 'DELETED') sync(object);
  });
}

/** A metrics reader whose per-pod values the test sets; unknown pods are missing. */
export class FakeMetrics implements PodMetricsReader {
  /** pod name → metric name → value. */
  readonly values = new Map<string, Record<string, number | null>>();
  external: Record<string, number | null> = {};
  reads = 0;
  /** Every pod read throws (an Error of its own when true, else this one). */
  failPods: boolean | Error = false;
  /** Every query (`prometheus` sources and the request rate) throws this. */
  failQueries: Error | null = null;
  /** The Prometheus queries made, with the credentials they carried. */
  readonly queries: Array<{ endpoint: string; query: string; auth?: EndpointAuth | undefined }> = [];

  set(podName: string, metric: string, value: number | null): void {
    this.values.set(podName, { ...(this.values.get(podName) ?? {}), [metric]: value });
  }

  async readPods(pods: readonly PodEndpoint[], source: MetricSource): Promise<Record<string, number | null>> {
    this.reads += 1;
    if (this.failPods) throw this.failPods === true ? new Error('scrape failed') : this.failPods;
    const out: Record<string, number | null> = {};
    for (const p of pods) out[p.name] = p.ip ? (this.values.get(p.name)?.[source.targetMetric] ?? null) : null;
    return out;
  }

  async readQuery(source: MetricSource, auth?: EndpointAuth): Promise<number | null> {
    this.queries.push({ endpoint: source.endpoint ?? '', query: source.query ?? '', auth });
    if (this.failQueries) throw this.failQueries;
    return this.external[source.targetMetric] ?? null;
  }

  /** `domain` sources: `external[targetMetric]`, failing as queries do. */
  async readDomain(source: MetricSource): Promise<number | null> {
    this.queries.push({ endpoint: source.endpoint ?? '', query: source.path ?? '' });
    if (this.failQueries) throw this.failQueries;
    return this.external[source.targetMetric] ?? null;
  }

  /** The request rate is `external.requestRate`. */
  async readRequestRate(q: RequestRateQuery): Promise<number | null> {
    this.queries.push(q);
    if (this.failQueries) throw this.failQueries;
    return this.external.requestRate ?? null;
  }

  /** PromQL query → its series (an Optimizer's length histograms); a query not set answers none. */
  readonly series = new Map<string, SeriesSample[]>();

  async readSeries(q: RequestRateQuery): Promise<SeriesSample[]> {
    this.queries.push(q);
    if (this.failQueries) throw this.failQueries;
    return this.series.get(q.query) ?? [];
  }
}

/**
 * A history loader whose demand (req/s) at each bin start is `rate(ms)`; it records the
 * requests and throws `fail` while that is set.
 */
export class FakeHistory implements HistoryLoader {
  readonly requests: HistoryRequest[] = [];
  fail: Error | null = null;

  constructor(private readonly rate: (ms: number) => number = () => 1) {}

  async load(r: HistoryRequest): Promise<BinnedSeries> {
    this.requests.push(r);
    if (this.fail) throw this.fail;
    const values: number[] = [];
    for (let t = r.from; t < r.to; t += r.stepMs) values.push(this.rate(t));
    return { startMs: r.from, binMs: r.stepMs, values, utcOffsetMinutes: 0 };
  }
}

/** Resolves when `predicate` holds, polling every 10 ms; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A stand-in cluster with a workload controller, fake metrics and a manual clock. */
export class TestCluster {
  readonly server: FakeApiServer;
  readonly metrics = new FakeMetrics();
  /** The scalers' clock. */
  t = T0;
  private readonly controllers: Controller[] = [];
  private stopWorkloads: () => void = () => {};

  /** @param extraResources served beside the defaults (metrics APIs, custom workloads). */
  constructor(extraResources: readonly ResourceType[] = []) {
    this.server = new FakeApiServer({ bookmarkIntervalMs: 100, resources: [...DEFAULT_RESOURCES, ...extraResources] });
  }

  async start(ipFor?: (pod: string, index: number) => string | null, readyAtCreation = true): Promise<this> {
    await this.server.start();
    this.stopWorkloads = runWorkloadController(this.server, ipFor, readyAtCreation);
    return this;
  }

  client(token = 'operator-a', timeoutMs = 2000): KubeClient {
    return new KubeClient(kubeConfigFor(this.server.url, token), { timeoutMs, instance: token });
  }

  /**
   * A started controller with the manual clock (no loops run until activated). Pods are
   * listed every loop by default here, so a test sees the cluster as it just made it.
   */
  async controller(options: Partial<ControllerOptions> = {}, token = 'operator-a'): Promise<Controller> {
    const c = new Controller({ client: this.client(token), metrics: this.metrics, now: () => this.t, informer: { restartDelayMs: 50 }, pods: 'list', ...options });
    this.controllers.push(c);
    await c.start();
    return c;
  }

  /** Every pod of Deployment `app` reports `total / pods` for `metric`. */
  spreadLoad(app: string, total: number, metric = 'vllm:num_requests_waiting'): void {
    const pods = this.server.list('pods').filter((p) => p.metadata?.labels?.app === app);
    for (const p of pods) this.metrics.set(p.metadata?.name ?? '', metric, total / pods.length);
  }

  /** `spec.replicas` of a Deployment (or of another workload kind, by plural). */
  replicas(name: string, plural = 'deployments'): number {
    return Number((this.server.get(plural, 'default', name)?.spec as { replicas: number }).replicas);
  }

  status(name: string): Record<string, any> | undefined {
    return this.server.get('podautoscalers', 'default', name)?.status as Record<string, any> | undefined;
  }

  condition(name: string, type: string): { status: string; reason: string; message: string } | undefined {
    return (this.status(name)?.conditions as Array<{ type: string; status: string; reason: string; message: string }> | undefined)?.find((c) => c.type === type);
  }

  scalePatches(): RequestRecord[] {
    return this.server.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/scale'));
  }

  async stop(): Promise<void> {
    for (const c of this.controllers) await c.stop();
    this.stopWorkloads();
    await this.server.close();
  }
}
