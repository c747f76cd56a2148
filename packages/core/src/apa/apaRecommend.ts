/**
 * AIBrix's APA algorithm (HEAD `pkg/controller/podautoscaler/algorithm/apa.go`;
 * reference/aibrix.md 2.6, after Huo et al. 2023): scale in proportion to the per-pod
 * metric against its target, but only once the ratio leaves the fluctuation band
 * `(1 − down, 1 + up)`, and never by more than the rate limits allow in one step.
 * The band is compared strictly and in IEEE doubles, exactly as upstream.
 * @module
 */
import { int32 } from '../goMath.js';

export interface ApaParameters {
  targetValue: number;
  upFluctuationTolerance: number;
  downFluctuationTolerance: number;
  maxScaleUpRate: number;
  maxScaleDownRate: number;
}

export interface ApaRecommendation {
  replicas: number;
  ratio: number;
  /** Why: the band held, the metric moved it, a rate limit capped it, or the target was unusable. */
  reason: 'WithinTolerance' | 'MetricAboveTarget' | 'MetricBelowTarget' | 'ScaleUpLimit' | 'ScaleDownLimit' | 'InvalidTarget' | 'PendingCapacity';
}

export function apaRecommend(p: ApaParameters, currentReplicas: number, metricPerPod: number): ApaRecommendation {
  const n = currentReplicas;
  if (!(p.targetValue > 0)) return { replicas: n, ratio: Number.NaN, reason: 'InvalidTarget' };
  const ratio = metricPerPod / p.targetValue;
  if (ratio > 1 + p.upFluctuationTolerance) {
    const proportional = int32(Math.ceil(n * ratio));
    const limit = int32(Math.ceil(p.maxScaleUpRate * n));
    return proportional > limit
      ? { replicas: limit, ratio, reason: 'ScaleUpLimit' }
      : { replicas: proportional, ratio, reason: 'MetricAboveTarget' };
  }
  if (ratio < 1 - p.downFluctuationTolerance) {
    const proportional = int32(Math.ceil(n * ratio));
    const limit = int32(Math.floor(n / p.maxScaleDownRate));
    return proportional < limit
      ? { replicas: limit, ratio, reason: 'ScaleDownLimit' }
      : { replicas: proportional, ratio, reason: 'MetricBelowTarget' };
  }
  return { replicas: n, ratio, reason: 'WithinTolerance' };
}
