/**
 * The read phase of an Optimizer PodAutoscaler's loop (docs/operator.md "The Optimizer
 * strategy"): each GPU type's workload (its `scale` subresource: replicas, selector;
 * its pods: how many are Running and Ready), the types' throughput profiles (the
 * ConfigMap `spec.optimizer.profiles.configMapRef`, one `<gpu>.json` key per type,
 * parsed once per resourceVersion into core's `OptimizerConfig`), and the demand:
 * the request rate and the two vLLM length histograms from Prometheus, through the
 * endpoint gate (allow-list, credentials) every Prometheus read passes. A demand that
 * failed or came back empty is *missing*, never zero: the decide phase then holds.
 * @module
 */
import type { V1Pod } from '@kubernetes/client-node';
import { type DemandMix, demandFromHistograms, type LengthBucket, type OptimizerConfig, optimizerConfig, parseThroughputProfile, type ThroughputProfile } from '@prescale/core';
import { OPTIMIZER_SPEC_DEFAULTS, type OptimizerSpec, type OptimizerTarget } from '../crd/optimizerSpec.js';
import type { OptimizerPodAutoscalerSpec } from '../crd/spec.js';
import type { OpenEndpoint } from './endpointAccess.js';
import type { KubeClient, ScaleReading } from './kubeClient.js';
import { errorText, toError } from './loopErrors.js';
import { type SourceFailure, sourceFailure } from './metricFailures.js';
import type { PodMetricsReader, SeriesSample } from './metricsPort.js';
import type { PodCache } from './podCache.js';
import type { Halt } from './status.js';

export interface OptimizerReadPorts {
  client: Pick<KubeClient, 'readScale' | 'listPods' | 'readConfigMap'>;
  pods: PodCache | null;
  metrics: PodMetricsReader;
  open: OpenEndpoint;
}

/** One GPU type's workload as read. */
export interface TypeReading {
  target: OptimizerTarget;
  scale: ScaleReading;
  /** Pods of the workload that are Running, Ready and not being deleted. */
  ready: number;
}

/** The profiles parsed into a config, kept while the ConfigMap and the spec stay the same. */
export interface ProfilesMemo {
  key: string;
  config: OptimizerConfig;
}

export interface OptimizerReading {
  spec: OptimizerPodAutoscalerSpec;
  types: TypeReading[];
  config: OptimizerConfig;
  /** The demand mix at the request rate read; null when it is missing (a failure, or no answer). */
  demand: DemandMix | null;
  /** Why the demand is missing (the sources' failures, or what came back). */
  demandNote: string | null;
  failures: SourceFailure[];
}

export type OptimizerRead = { ok: true; reading: OptimizerReading; profiles: ProfilesMemo } | { ok: false; halt: Halt; error?: Error };

/** The window a demand mix is said to cover (informational: the rates are req/s). */
const DEMAND_WINDOW_SECONDS = 60;

function readyPods(pods: readonly V1Pod[]): number {
  return pods.filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp && (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')).length;
}

/** `kind/name` of a target, as status and messages name it. */
export const targetName = (t: OptimizerTarget): string => `${t.scaleTargetRef.kind}/${t.scaleTargetRef.name}`;

/** The config of the fleet: each target's profile (its `gpu` renamed to the target's), price and bounds. */
export function fleetConfig(o: OptimizerSpec, data: Readonly<Record<string, string>>): OptimizerConfig {
  const profiles: ThroughputProfile[] = o.targets.map((t) => {
    const key = `${t.gpu}.json`;
    const text = data[key];
    if (text === undefined) throw new Error(`ConfigMap ${o.profiles.configMapRef.name} has no key ${key} (the profile of GPU type ${t.gpu})`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`ConfigMap ${o.profiles.configMapRef.name} key ${key}: not JSON (${errorText(error)})`);
    }
    return { ...parseThroughputProfile(json, `ConfigMap ${o.profiles.configMapRef.name} key ${key}`), gpu: t.gpu };
  });
  const costs: Record<string, number> = {};
  const bounds: Record<string, { min: number; max: number }> = {};
  for (const t of o.targets) {
    if (t.costPerHour !== undefined) costs[t.gpu] = t.costPerHour;
    bounds[t.gpu] = { min: t.minReplicas ?? 0, max: t.maxReplicas };
  }
  return optimizerConfig({ profiles, costs, bounds, headroom: o.headroom ?? OPTIMIZER_SPEC_DEFAULTS.headroom });
}

/** `le` label → tokens; `+Inf` → Infinity; anything else → NaN (tickShares then refuses the histogram). */
function lengthBuckets(series: readonly SeriesSample[]): LengthBucket[] {
  return series.map((s) => ({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le ?? Number.NaN), value: s.value }));
}

/** The demand mix from Prometheus, or why it is missing (with the failures to report). */
async function readDemand(ports: OptimizerReadPorts, namespace: string, o: OptimizerSpec, config: OptimizerConfig, now: number) {
  const d = o.demand;
  const failures: SourceFailure[] = [];
  const auth = await ports.open(namespace, d, now).catch((error: unknown) => {
    failures.push(sourceFailure('optimizer.demand', error));
    return null;
  });
  if (auth === null) return { demand: null, note: failures[0]!.message, failures };
  const q = (query: string) => ({ endpoint: d.endpoint, query, ...(auth ? { auth } : {}) });
  const read = async <T>(source: string, call: () => Promise<T>): Promise<T | null> =>
    call().catch((error: unknown) => {
      failures.push(sourceFailure(source, error));
      return null;
    });
  const [rps, prompt, generation] = await Promise.all([
    read('optimizer.demand.rateQuery', () => ports.metrics.readRequestRate(q(d.rateQuery))),
    read('optimizer.demand.promptTokensQuery', () => ports.metrics.readSeries(q(d.promptTokensQuery))),
    read('optimizer.demand.generationTokensQuery', () => ports.metrics.readSeries(q(d.generationTokensQuery))),
  ]);
  if (failures.length > 0) return { demand: null, note: failures.map((f) => `${f.source}: ${f.message}`).join('; '), failures };
  if (rps === null || !(rps >= 0 && rps < Infinity)) return { demand: null, note: `the request rate query gave ${rps === null ? 'no value' : String(rps)}`, failures };
  const demand = demandFromHistograms(config, rps, { prompt: lengthBuckets(prompt ?? []), generation: lengthBuckets(generation ?? []) }, DEMAND_WINDOW_SECONDS);
  if (demand === null) return { demand: null, note: `${rps.toFixed(3)} req/s, but the length histograms gave no usable mix (${(prompt ?? []).length} prompt and ${(generation ?? []).length} generation buckets)`, failures };
  return { demand, note: null, failures };
}

export async function readOptimizer(
  ports: OptimizerReadPorts,
  request: { namespace: string; spec: OptimizerPodAutoscalerSpec; profiles: ProfilesMemo | null; now: number },
): Promise<OptimizerRead> {
  const { namespace, spec, now } = request;
  const o = spec.optimizer;
  const types: TypeReading[] = [];
  for (const target of o.targets) {
    let scale: ScaleReading;
    try {
      scale = await ports.client.readScale(namespace, target.scaleTargetRef);
    } catch (error) {
      return { ok: false, halt: { reason: 'FailedGetScale', message: `${target.gpu}: ${errorText(error)}` }, error: toError(error) };
    }
    if (scale.selector === '') return { ok: false, halt: { reason: 'FailedGetScale', message: `${targetName(target)} has no pod selector in its scale subresource` } };
    let pods: V1Pod[];
    try {
      pods = ports.pods?.synced ? ports.pods.list(namespace, scale.selector) : await ports.client.listPods(namespace, scale.selector);
    } catch (error) {
      return { ok: false, halt: { reason: 'FailedListPods', message: `${target.gpu}: ${errorText(error)}` }, error: toError(error) };
    }
    types.push({ target, scale, ready: readyPods(pods) });
  }

  let profiles: ProfilesMemo;
  try {
    const map = await ports.client.readConfigMap(namespace, o.profiles.configMapRef.name);
    const key = `${map.resourceVersion}\n${JSON.stringify(o.targets)}\n${o.headroom ?? ''}`;
    profiles = request.profiles?.key === key && map.resourceVersion !== '' ? request.profiles : { key, config: fleetConfig(o, map.data) };
  } catch (error) {
    return { ok: false, halt: { reason: 'FailedGetProfiles', message: errorText(error) }, error: toError(error) };
  }

  const { demand, note, failures } = await readDemand(ports, namespace, o, profiles.config, now);
  return { ok: true, profiles, reading: { spec, types, config: profiles.config, demand, demandNote: note, failures } };
}
