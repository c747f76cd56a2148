/**
 * The read phase of a loop: the spec checked and the conflict rule applied, then the
 * target's `scale` subresource read (current replicas, pod selector), its pods listed
 * (from the pod cache once it has listed, else from the API), their metrics observed,
 * and, for a predictive scaler, the current request rate read. Every Prometheus request
 * passes the endpoint gate first (the operator's allow-list, the Secret's credentials).
 * Returns the facts the decide and act phases work from, with the sources that failed,
 * or why the loop stops.
 * @module
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { Observation, Scaler } from '@prescale/core';
import type { Bounds } from '../crd/schedules.js';
import { metricKeys } from '../crd/scalerSpec.js';
import type { PodAutoscalerSpec } from '../crd/spec.js';
import { formatSpecError, type SpecResult } from '../crd/validateSpec.js';
import type { OpenEndpoint } from './endpointAccess.js';
import type { KubeClient, ScaleReading } from './kubeClient.js';
import { failed, type Stopped } from './loopErrors.js';
import { type SourceFailure, sourceFailure } from './metricFailures.js';
import type { PodMetricsReader } from './metricsPort.js';
import { observe } from './observe.js';
import type { ScaleTarget } from './scaleTargets.js';
import type { PodCache } from './podCache.js';
import { readWakeUp, type WakeUpReading, withWaitingRequests } from './wakeUp.js';

export interface ReadPorts {
  client: Pick<KubeClient, 'readScale' | 'listPods' | 'readPodUsage' | 'readExternalMetric'>;
  /** The pod cache (watch mode); null: list the pods every loop. */
  pods: PodCache | null;
  metrics: PodMetricsReader;
  /** The gate of every Prometheus endpoint a PodAutoscaler names. */
  open: OpenEndpoint;
}

/** The scaler a spec asks for at the loop's time, as the controller keeps it per object. */
export interface ScalerSetup {
  scaler: Scaler;
  /** {@link scalerFingerprint} of its spec: a saved state is reused only under the same one. */
  fingerprint: string;
  /** The replica bounds in force (schedules applied). */
  bounds: Bounds;
}

export interface ReadRequest {
  namespace: string;
  /** The spec as checked (the controller keeps the result per generation); an Optimizer spec has its own loop (optimizerLoop.ts). */
  checked: SpecResult<PodAutoscalerSpec>;
  /** The other PodAutoscalers (`namespace/name`) that name the same target. */
  rivals: readonly string[];
  /** The scaler for the valid spec. */
  scalerFor: (spec: PodAutoscalerSpec) => ScalerSetup;
  now: number;
}

/** What a loop read: the facts it decides and acts on. */
export interface Reading extends ScalerSetup {
  spec: PodAutoscalerSpec;
  scale: ScaleReading;
  /** The pods and their metrics; for a predictive scaler also the request rate. */
  observation: Observation;
  /** The demand history to load, when the scaler keeps one (a predictive blend). */
  demand: NonNullable<PodAutoscalerSpec['predictive']>['history'] | null;
  /** The sources that failed (they are missing from the observation). */
  failures: SourceFailure[];
  /** What `spec.wakeUp` said (controller/wakeUp.ts); null without one. */
  wakeUp: WakeUpReading | null;
}

/** The target of a spec: its reference and, for a StormService role, the role. */
export function targetOf(spec: PodAutoscalerSpec): ScaleTarget {
  return spec.subTargetSelector ? { ...spec.scaleTargetRef, subTargetSelector: spec.subTargetSelector } : spec.scaleTargetRef;
}

export async function read(ports: ReadPorts, request: ReadRequest): Promise<{ ok: true; reading: Reading } | Stopped> {
  const { namespace, checked, now } = request;
  if (!checked.ok) return { ok: false, halt: { reason: 'InvalidSpec', message: formatSpecError(checked.error) } };
  const spec = checked.spec;
  const ref = targetOf(spec);
  if (request.rivals.length > 0) {
    const names = request.rivals.map((k) => k.split('/')[1]).sort().join(', ');
    return { ok: false, halt: { reason: 'Conflict', message: `${ref.kind}/${ref.name} is also the target of PodAutoscaler ${names}; none of them scales it` } };
  }
  const setup = request.scalerFor(spec);

  let scale: ScaleReading;
  try {
    scale = await ports.client.readScale(namespace, ref);
  } catch (error) {
    return failed('FailedGetScale', error);
  }
  if (scale.selector === '') return failed('FailedGetScale', new Error(`${ref.kind}/${ref.name} has no pod selector in its scale subresource`));
  let pods: V1Pod[];
  try {
    pods = ports.pods?.synced ? ports.pods.list(namespace, scale.selector) : await ports.client.listPods(namespace, scale.selector);
  } catch (error) {
    return failed('FailedListPods', error);
  }
  const open = (target: Parameters<OpenEndpoint>[1]) => ports.open(namespace, target, now);
  const keys = metricKeys(spec.metricsSources);
  const observed = await observe(
    { reader: ports.metrics, cluster: ports.client, open },
    { now, namespace, currentReplicas: scale.replicas, selector: scale.selector, pods, sources: spec.metricsSources, keys, strategy: spec.scalingStrategy },
  );
  const { failures } = observed;
  let observation = observed.observation;
  const wakeUp = spec.wakeUp ? await readWakeUp(spec.wakeUp, ports.metrics, open) : null;
  if (wakeUp?.ok) observation = withWaitingRequests(observation, keys[0] ?? '', wakeUp.waiting);
  else if (wakeUp) failures.push(wakeUp.failure);
  const demand = setup.scaler.demandBinMs !== null ? (spec.predictive?.history ?? null) : null;
  if (demand) {
    observation.requestRate = await open(demand)
      .then((auth) => ports.metrics.readRequestRate({ endpoint: demand.endpoint, query: demand.query, ...(auth ? { auth } : {}) }))
      .catch((error: unknown) => {
        failures.push(sourceFailure('predictive.history.query', error));
        return null;
      });
  }
  return { ok: true, reading: { spec, ...setup, scale, observation, demand, failures, wakeUp } };
}
