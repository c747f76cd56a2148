/**
 * Per-pod values in the shape `@prescale/core` takes: `PodSample.metrics` by metric
 * name, with `null` for anything not observed (core's scalers then leave the pod out of
 * averages or hold, per their upstream rules; see packages/core/src/scaler.ts).
 * @module
 */
import type { PodSample } from '@prescale/core';
import type { PodValue } from './readPods.js';

/** `{ pod: { metric: value | null } }` from per-read values. */
export function podMetrics(values: Readonly<Record<string, readonly PodValue[]>>): Record<string, Record<string, number | null>> {
  const out: Record<string, Record<string, number | null>> = {};
  for (const [metric, list] of Object.entries(values)) {
    for (const v of list) (out[v.pod] ??= {})[metric] = v.value;
  }
  return out;
}

/**
 * Core's pod samples for `pods` (their phase and readiness come from Kubernetes): each
 * gets every read's value, or `null` when it was not scraped or the read is missing.
 */
export function toPodSamples(pods: ReadonlyArray<Omit<PodSample, 'metrics'>>, values: Readonly<Record<string, readonly PodValue[]>>): PodSample[] {
  const byPod = podMetrics(values);
  const names = Object.keys(values);
  return pods.map((pod) => {
    const metrics: Record<string, number | null> = {};
    for (const name of names) metrics[name] = byPod[pod.name]?.[name] ?? null;
    return { ...pod, metrics };
  });
}
