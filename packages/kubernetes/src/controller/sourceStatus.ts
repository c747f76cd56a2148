/**
 * `status.metrics`: every metric source's value and the replicas it proposed in the last
 * decision, so a user sees which source won and what each one said (AIBrix takes the
 * largest proposal over its sources, PR #1688, and logs each; the HPA's
 * `status.currentMetrics` lists each metric's value). A source that failed shows its
 * error and no proposal: it was left out, never read as 0. Pure: from the spec, the
 * decision and the loop's failures.
 * @module
 */
import type { ScalerDecision } from '@prescale/core';
import { metricKeys } from '../crd/scalerSpec.js';
import type { PodAutoscalerSpec } from '../crd/spec.js';
import type { MetricSourceStatus } from '../crd/status.js';
import type { SourceFailure } from './metricFailures.js';
import { statusInt, statusNumber } from './statusNumbers.js';

interface Said {
  value: number | null;
  proposal: number | null;
}

/** What each source said, in spec order, from the reactive decision. */
function said(decision: ScalerDecision, count: number): Said[] {
  const none = (): Said[] => Array.from({ length: count }, () => ({ value: null, proposal: null }));
  switch (decision.scaler) {
    case 'blend':
      return said(decision.detail.reactive, count);
    case 'multi':
      return decision.detail.sources.map((s) => ({ value: s.value, proposal: s.desiredReplicas }));
    case 'kpa':
      return [{ value: decision.detail.decider?.stable ?? null, proposal: decision.valid ? decision.desiredReplicas : null }];
    case 'apa':
      return [{ value: decision.detail.metricPerPod ?? null, proposal: decision.valid ? (decision.detail.recommendedReplicas ?? decision.desiredReplicas) : null }];
    case 'hpa':
      return decision.detail.metrics.map((m) => ({ value: m.rawValueMilli === null ? null : m.rawValueMilli / 1000, proposal: m.replicas }));
    case 'fixed':
      return none();
  }
}

export function metricSourcesStatus(spec: Pick<PodAutoscalerSpec, 'metricsSources'>, decision: ScalerDecision, failures: readonly SourceFailure[]): MetricSourceStatus[] {
  const keys = metricKeys(spec.metricsSources);
  const values = said(decision, spec.metricsSources.length);
  return spec.metricsSources.map((s, i) => {
    const name = `metricsSources[${i}]`;
    const failure = failures.find((f) => f.source === name);
    const v = values[i];
    const value = v?.value == null ? null : statusNumber(v.value);
    const proposal = v?.proposal == null ? null : statusInt(v.proposal);
    return {
      source: name,
      type: s.metricSourceType,
      metric: keys[i] ?? s.targetMetric,
      ...(value !== null ? { value } : {}),
      ...(proposal !== null ? { desiredReplicas: proposal } : {}),
      ...(failure ? { error: `${failure.kind}: ${failure.message}` } : {}),
    };
  });
}
