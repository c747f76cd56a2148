/**
 * The panic window Knative derives from the stable window
 * (pkg/reconciler/autoscaling/resources/metric.go; reference/knative-hpa.md A.2):
 * `stableWindow × panicWindowPercentage / 100`, rounded to whole seconds, at least 1 s.
 * Defaults 60 s and 10 % give 6 s.
 * @module
 */
import { goRound } from '../goMath.js';

export function panicWindowSeconds(stableWindowSeconds: number, panicWindowPercentage: number): number {
  return Math.max(1, goRound((stableWindowSeconds * panicWindowPercentage) / 100));
}
