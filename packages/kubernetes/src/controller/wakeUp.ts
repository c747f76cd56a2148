/**
 * Waking a target from 0 replicas (issue 21): the requests waiting while no pod exists
 * are counted by a gateway or an activator (`spec.wakeUp`: a PromQL query, or a metrics
 * page at a fixed URL), never by the pods, which are not there. The operator reads that
 * count every loop and, while no pod serves, hands it to core's KPA as the revision-wide
 * value of its metric (`observation.external`), as Knative's activator reports the
 * requests it holds to the autoscaler (reference/knative-hpa.md A; the simulator's
 * activator does the same). Core decides: a waiting request makes the KPA want at least
 * one replica (its activation scale); the operator has no wake-up rule of its own.
 * @module
 */
import { isServing, type Observation } from '@prescale/core';
import type { MetricSource, WakeUp } from '../crd/spec.js';
import type { ConditionInput } from './conditions.js';
import type { EndpointTarget } from './endpointAccess.js';
import { type SourceFailure, sourceFailure } from './metricFailures.js';
import type { EndpointAuth, PodMetricsReader } from './metricsPort.js';

/** The field a wake-up failure is reported under (MetricsAvailable, the Active condition). */
export const WAKE_UP_SOURCE = 'wakeUp';

/** What the wake-up source said in a loop. */
export type WakeUpReading = { ok: true; waiting: number | null } | { ok: false; failure: SourceFailure };

/** The page of a `scrape` source as the pod scraper reads one: host, port, path and scheme. */
function page(w: WakeUp): { host: string; source: MetricSource } {
  const url = new URL(w.endpoint);
  const https = url.protocol === 'https:';
  const port = url.port === '' ? (https ? 443 : 80) : Number(url.port);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    source: {
      metricSourceType: 'pod',
      protocolType: https ? 'https' : 'http',
      port,
      path: `${url.pathname}${url.search}`,
      targetMetric: w.targetMetric ?? '',
      targetValue: '1',
      ...(w.labelMatchers ? { labelMatchers: w.labelMatchers } : {}),
    },
  };
}

/**
 * Reads the waiting requests, through the endpoint gate (the operator's allow-list and
 * the Secret's credentials). A failed read is a failure, never a zero.
 */
export async function readWakeUp(w: WakeUp, reader: PodMetricsReader, open: (target: EndpointTarget) => Promise<EndpointAuth | undefined>): Promise<WakeUpReading> {
  try {
    const auth = await open(w);
    let waiting: number | null;
    if (w.metricSourceType === 'prometheus') {
      waiting = await reader.readQuery({ metricSourceType: 'prometheus', endpoint: w.endpoint, query: w.query ?? '', targetMetric: WAKE_UP_SOURCE, targetValue: '1' }, auth);
    } else {
      const { host, source } = page(w);
      waiting = (await reader.readPods([{ name: WAKE_UP_SOURCE, ip: host }], source))[WAKE_UP_SOURCE] ?? null;
    }
    return { ok: true, waiting: typeof waiting === 'number' && Number.isFinite(waiting) && waiting >= 0 ? waiting : null };
  } catch (error) {
    return { ok: false, failure: sourceFailure(WAKE_UP_SOURCE, error) };
  }
}

/**
 * The observation core's KPA decides on: while no pod serves, the waiting requests are
 * the revision-wide value of `metric` (the larger of them and a total another source
 * gave); with a pod serving, the pods' own values, unchanged.
 */
export function withWaitingRequests(observation: Observation, metric: string, waiting: number | null): Observation {
  if (waiting === null || observation.pods.some(isServing)) return observation;
  const total = observation.external?.[metric];
  return { ...observation, external: { ...observation.external, [metric]: Math.max(waiting, total ?? 0) } };
}

/** What the `Active` condition is computed from. */
export interface ZeroFacts {
  /** The minReplicas in force (schedules applied). */
  minReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
  /** The wake-up source's reading this loop; null: the spec has none. */
  wakeUp: WakeUpReading | null;
  /** A metric source that is not per pod (a PromQL total) also sees requests with no pod. */
  totalSource: boolean;
  /** The decision's message. */
  message: string;
}

/**
 * `Active`, for a PodAutoscaler that can be at 0 replicas (minReplicas 0 in force, or a
 * wake-up source), as Knative's PodAutoscaler says it: True while replicas serve; False
 * at 0 with the reason: `ScaledToZero` (the wake-up source is read and will wake it),
 * `Activating` (waking from 0), `WakeUpSourceFailed` (at 0 and the one thing that can
 * wake it failed this loop), `NoWakeUpSource` (at 0 and nothing sees requests while no
 * pod exists: it stays there until the spec changes). Null for the others.
 */
export function activeCondition(f: ZeroFacts): ConditionInput | null {
  if (f.minReplicas > 0 && f.wakeUp === null) return null;
  if (f.currentReplicas > 0) return { type: 'Active', status: 'True', reason: 'Serving', message: `${f.currentReplicas} replica(s)` };
  if (f.desiredReplicas > 0) return { type: 'Active', status: 'False', reason: 'Activating', message: `waking from 0 replicas to ${f.desiredReplicas}: ${f.message}` };
  if (f.wakeUp !== null && !f.wakeUp.ok) {
    return { type: 'Active', status: 'False', reason: 'WakeUpSourceFailed', message: `0 replicas, and the wake-up source failed: ${f.wakeUp.failure.message}; requests waiting now do not wake the target` };
  }
  if (f.wakeUp === null && !f.totalSource) {
    return {
      type: 'Active',
      status: 'False',
      reason: 'NoWakeUpSource',
      message: '0 replicas, and nothing sees requests while no pod exists (no spec.wakeUp, only per-pod metric sources): the target stays at 0; set spec.wakeUp',
    };
  }
  const waiting = f.wakeUp?.ok ? f.wakeUp.waiting : null;
  return { type: 'Active', status: 'False', reason: 'ScaledToZero', message: `0 replicas; a waiting request wakes the target${waiting !== null ? ` (waiting now: ${waiting})` : ''}` };
}
