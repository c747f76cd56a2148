/**
 * How often each scaler decides by default, as upstream: every 10 s for KPA and APA
 * (AIBrix's `DefaultResyncInterval`, reference/aibrix.md 2.1), every 15 s for the HPA
 * (kube-controller-manager's `--horizontal-pod-autoscaler-sync-period`, reference/
 * knative-hpa.md B). The `fixed` baseline runs every 10 s; the predictive blend at its
 * reactive scaler's period, several sources (`multi`) at their first source's. Adapters take the defaults from here, never write them again.
 * A KPA's bucket granularity should equal the loop period it runs at.
 * @module
 */
import type { ScalerSpec } from './scaler.js';

export const DEFAULT_LOOP_SECONDS = { kpa: 10, apa: 10, hpa: 15, fixed: 10 } as const;

/** The default loop period of a scaler, seconds. */
export function defaultLoopSeconds(spec: ScalerSpec): number {
  const reactive = spec.algorithm === 'blend' ? spec.reactive : spec;
  const algorithm = reactive.algorithm === 'multi' ? (reactive.sources[0]?.algorithm ?? 'kpa') : reactive.algorithm;
  return DEFAULT_LOOP_SECONDS[algorithm];
}
