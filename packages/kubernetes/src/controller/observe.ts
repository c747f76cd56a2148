/**
 * One observation of a target for `@prescale/core`'s scaler: its pods as `PodSample`s
 * (phase, readiness, deletion, the value of every pod metric source) and the values of
 * its Prometheus sources. Only Running pods with an IP that are not being deleted are
 * scraped; a pod that is not scraped or fails is missing (null), never 0 (AIBrix issues
 * #1032, #617; reference/aibrix.md 2.11). A source that fails as a whole (every pod, or
 * the Prometheus query, or an endpoint the operator may not reach) is missing too, and
 * returned as a {@link SourceFailure} for the loop to report.
 * @module
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { Observation, PodPhase, PodSample } from '@prescale/core';
import type { MetricSource } from '../crd/spec.js';
import { type SourceFailure, sourceFailure } from './metricFailures.js';
import type { EndpointAuth, PodEndpoint, PodMetricsReader } from './metricsPort.js';

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

/**
 * Observes the pods and reads every source.
 * @param open the gate of a `prometheus` source's endpoint: its credentials, or a
 *   MetricSourceError (not allowed, no credentials), in which case it is not fetched.
 */
export async function observe(
  now: number,
  currentReplicas: number,
  pods: readonly V1Pod[],
  sources: readonly MetricSource[],
  keys: readonly string[],
  reader: PodMetricsReader,
  open: (source: MetricSource) => Promise<EndpointAuth | undefined>,
): Promise<{ observation: Observation; failures: SourceFailure[] }> {
  const endpoints: PodEndpoint[] = pods.filter(scrapeable).map((p) => ({ name: p.metadata?.name ?? '', ip: p.status?.podIP ?? null }));
  const perPod: Record<string, Record<string, number | null>> = {};
  const external: Record<string, number | null> = {};
  const failed: Array<SourceFailure | undefined> = [];
  await Promise.all(
    sources.map(async (source, i) => {
      const key = keys[i] ?? source.targetMetric;
      const fail = (error: unknown) => {
        failed[i] = sourceFailure(`metricsSources[${i}]`, error);
      };
      if (source.metricSourceType === 'prometheus') {
        external[key] = await open(source)
          .then((auth) => reader.readQuery(source, auth))
          .catch((error: unknown) => {
            fail(error);
            return null;
          });
        return;
      }
      const values =
        endpoints.length === 0
          ? {}
          : await reader.readPods(endpoints, source).catch((error: unknown) => {
              fail(error);
              return {} as Record<string, number | null>;
            });
      for (const e of endpoints) {
        const v = values[e.name];
        (perPod[e.name] ??= {})[key] = typeof v === 'number' && Number.isFinite(v) ? v : null;
      }
    }),
  );
  const samples: PodSample[] = pods.map((pod) => {
    const name = pod.metadata?.name ?? '';
    const metrics: Record<string, number | null> = {};
    for (const [i, s] of sources.entries()) if (s.metricSourceType === 'pod') metrics[keys[i] ?? s.targetMetric] = perPod[name]?.[keys[i] ?? s.targetMetric] ?? null;
    return { name, phase: phaseOf(pod), ready: isReady(pod), deleting: !!pod.metadata?.deletionTimestamp, metrics };
  });
  const observation: Observation = Object.keys(external).length > 0 ? { now, currentReplicas, pods: samples, external } : { now, currentReplicas, pods: samples };
  return { observation, failures: failed.filter((f): f is SourceFailure => f !== undefined) };
}
