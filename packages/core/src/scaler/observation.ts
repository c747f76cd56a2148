/**
 * What a scaler sees each loop, the same for every algorithm: the target's replicas,
 * its pods with their metric values, metrics that are not per pod, and the request rate
 * a predictive scaler learns its demand from. Observed values are in the metric's own
 * units (3 waiting requests, 0.42 KV-cache usage).
 * @module
 */
import type { PodPhase } from '../hpa/types.js';

/** A pod of the scale target as an adapter sees it. */
export interface PodSample {
  name: string;
  phase: PodPhase;
  /** The pod's Ready condition. */
  ready: boolean;
  /** The pod has a deletion timestamp. */
  deleting?: boolean;
  /** Metric values by name, in the metric's units; absent or null: not observed. */
  metrics: Readonly<Record<string, number | null>>;
  /** Summed container requests per resource, milli-units (for HPA Resource utilisation). */
  requestsMilli?: Readonly<Record<string, number>>;
}

/** What a scaler sees each loop. */
export interface Observation {
  /** Milliseconds since the epoch. */
  now: number;
  /** The target's replicas (`scale.spec.replicas`). */
  currentReplicas: number;
  pods: readonly PodSample[];
  /** Metrics that are not per pod (a queue length at the gateway, an Object or External metric), by name; null: failed. */
  external?: Readonly<Record<string, number | null>>;
  /**
   * Requests per second arriving at the target (gateway or load-balancer count),
   * observed now. Only the predictive blend reads it, to learn its demand history;
   * absent or null: not observed.
   */
  requestRate?: number | null;
}

/** A pod that serves: Running, ready and not being deleted. */
export function isServing(pod: PodSample): boolean {
  return pod.phase === 'Running' && pod.ready && pod.deleting !== true;
}

/** Mean of `metric` over the serving pods that reported it, and how many serve. */
export function servingMean(pods: readonly PodSample[], metric: string): { mean: number | null; serving: number } {
  let serving = 0;
  let reported = 0;
  let total = 0;
  for (const pod of pods) {
    if (!isServing(pod)) continue;
    serving++;
    const v = pod.metrics[metric];
    if (v == null) continue;
    reported++;
    total += v;
  }
  return { mean: reported === 0 ? null : total / reported, serving };
}
