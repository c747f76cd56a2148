/**
 * One observation of a target for `@prescale/core`'s scaler: its pods as `PodSample`s
 * (phase, readiness, deletion, requests, the value of every per-pod source: `pod`
 * scrapes, `resource` usage from metrics.k8s.io) and the one value of each other source
 * (`prometheus` queries, `external` metrics from external.metrics.k8s.io, `domain` HTTP
 * endpoints), each read by its own kind. Only Running pods with an IP that are not being deleted are
 * scraped; a pod that is not scraped or fails is missing (null), never 0 (AIBrix issues
 * #1032, #617; reference/aibrix.md 2.11). A source that fails as a whole (every pod, or
 * the Prometheus query, or an endpoint the operator may not reach) is missing too, and
 * returned as a {@link SourceFailure} for the loop to report: a failed fetch is never a
 * zero (AIBrix PR #2592).
 * @module
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { Observation, PodPhase, PodSample } from '@prescale/core';
import { domainUrl } from '../crd/metricSourceRules.js';
import type { MetricSource } from '../crd/spec.js';
import { KubeApiError } from './kubeClient.js';
import { type SourceFailure, sourceFailure } from './metricFailures.js';
import { type ClusterMetricsReader, type EndpointAuth, httpFailureKind, MetricSourceError, type PodEndpoint, type PodMetricsReader, type PodUsage } from './metricsPort.js';
import { parseQuantity } from './quantity.js';

const PHASES: readonly PodPhase[] = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];

function phaseOf(pod: V1Pod): PodPhase {
  const p = pod.status?.phase as PodPhase | undefined;
  return p && PHASES.includes(p) ? p : 'Unknown';
}

function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Running, with an IP, not being deleted: worth scraping. */
function scrapeable(pod: V1Pod): boolean {
  return phaseOf(pod) === 'Running' && !!pod.status?.podIP && !pod.metadata?.deletionTimestamp;
}

/** Whole-pod requests in milli-units (cpu millicores, memory milli-bytes), for HPA utilisation targets. */
function requestsMilli(pod: V1Pod): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  for (const resource of ['cpu', 'memory'] as const) {
    let total = 0;
    for (const c of pod.spec?.containers ?? []) {
      const v = parseQuantity(c.resources?.requests?.[resource]);
      if (v === null) {
        total = Number.NaN;
        break;
      }
      total += v;
    }
    if (Number.isFinite(total) && total > 0) out[resource] = Math.round(total * 1000);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A failed API read as a source failure: its HTTP status as the kind, the API's message. */
function apiFailure(error: unknown): unknown {
  if (!(error instanceof KubeApiError)) return error;
  const kind = error.code === 0 ? (error.reason === 'Timeout' ? 'Timeout' : error.reason === 'BadResponse' ? 'BadResponse' : 'Unreachable') : httpFailureKind(error.code);
  return new MetricSourceError(kind, error.message, { cause: error });
}

/** What a loop observes from. */
export interface ObserveRequest {
  now: number;
  namespace: string;
  currentReplicas: number;
  /** The target's pod selector (for metrics.k8s.io). */
  selector: string;
  pods: readonly V1Pod[];
  sources: readonly MetricSource[];
  keys: readonly string[];
  /** AIBrix reads cpu in millicores under KPA and APA, in cores (of the request) under HPA. */
  strategy: 'KPA' | 'APA' | 'HPA';
}

export interface ObservePorts {
  reader: PodMetricsReader;
  cluster: ClusterMetricsReader;
  /**
   * The gate of a `prometheus` or `domain` source's endpoint: its credentials, or a
   * MetricSourceError (not allowed, no credentials), in which case it is not fetched.
   */
  open: (source: MetricSource) => Promise<EndpointAuth | undefined>;
}

/** Observes the pods and reads every source, each by its kind. */
export async function observe(ports: ObservePorts, request: ObserveRequest): Promise<{ observation: Observation; failures: SourceFailure[] }> {
  const { now, namespace, currentReplicas, pods, sources, keys } = request;
  const { reader, cluster, open } = ports;
  const endpoints: PodEndpoint[] = pods.filter(scrapeable).map((p) => ({ name: p.metadata?.name ?? '', ip: p.status?.podIP ?? null }));
  const perPod: Record<string, Record<string, number | null>> = {};
  const external: Record<string, number | null> = {};
  const failed: Array<SourceFailure | undefined> = [];
  let usage: Promise<Record<string, PodUsage>> | null = null;
  await Promise.all(
    sources.map(async (source, i) => {
      const key = keys[i] ?? source.targetMetric;
      const fail = (error: unknown) => {
        failed[i] = sourceFailure(`metricsSources[${i}]`, apiFailure(error));
        return null;
      };
      switch (source.metricSourceType) {
        case 'prometheus':
          external[key] = await open(source).then((auth) => reader.readQuery(source, auth)).catch(fail);
          return;
        case 'domain':
          external[key] = await open({ ...source, endpoint: domainUrl(source) }).then(() => reader.readDomain(source)).catch(fail);
          return;
        case 'external': {
          const selector = Object.entries(source.labelMatchers ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
          // No item is an error, as in AIBrix and the HPA: never a 0.
          external[key] = await cluster
            .readExternalMetric(namespace, source.targetMetric, selector)
            .then((v) => v ?? fail(new MetricSourceError('NotFound', `external.metrics.k8s.io has no item for ${source.targetMetric}${selector ? ` (${selector})` : ''}`)))
            .catch(fail);
          return;
        }
        case 'resource': {
          // One metrics.k8s.io read serves every resource source of the loop.
          usage ??= cluster.readPodUsage(namespace, request.selector);
          const read = await usage.catch(fail);
          const cpuUnit = request.strategy === 'HPA' ? 1 : 1000;
          for (const p of pods) {
            const name = p.metadata?.name ?? '';
            const u = read?.[name];
            (perPod[name] ??= {})[key] = u === undefined ? null : source.targetMetric === 'cpu' ? u.cpu * cpuUnit : u.memory;
          }
          return;
        }
        case 'pod': {
          const values = endpoints.length === 0 ? {} : ((await reader.readPods(endpoints, source).catch(fail)) ?? {});
          for (const e of endpoints) {
            const v = values[e.name];
            (perPod[e.name] ??= {})[key] = typeof v === 'number' && Number.isFinite(v) ? v : null;
          }
          return;
        }
      }
    }),
  );
  const perPodKinds = new Set(['pod', 'resource']);
  const samples: PodSample[] = pods.map((pod) => {
    const name = pod.metadata?.name ?? '';
    const metrics: Record<string, number | null> = {};
    for (const [i, s] of sources.entries()) if (perPodKinds.has(s.metricSourceType)) metrics[keys[i] ?? s.targetMetric] = perPod[name]?.[keys[i] ?? s.targetMetric] ?? null;
    const requests = requestsMilli(pod);
    return { name, phase: phaseOf(pod), ready: isReady(pod), deleting: !!pod.metadata?.deletionTimestamp, metrics, ...(requests ? { requestsMilli: requests } : {}) };
  });
  const observation: Observation = Object.keys(external).length > 0 ? { now, currentReplicas, pods: samples, external } : { now, currentReplicas, pods: samples };
  return { observation, failures: failed.filter((f): f is SourceFailure => f !== undefined) };
}
