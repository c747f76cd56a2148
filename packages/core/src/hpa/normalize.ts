/**
 * From the metrics' proposal to the count the HPA sets (`normalizeDesiredReplicas` and
 * `normalizeDesiredReplicasWithBehaviors`, horizontal.go; reference B.4, B.5.2):
 * stabilise, then apply rate limits and bounds. Without `behavior` the legacy rules
 * apply; with it, the policies.
 * @module
 */
import { limitLegacy, limitWithBehavior, type LimitReason } from './rateLimits.js';
import { stabilizeLegacy, stabilizeWithBehavior } from './stabilization.js';
import type { Recommendation, ResolvedBehavior, ScaleEvent } from './types.js';

export interface NormalizeArgs {
  now: number;
  currentReplicas: number;
  /** The metrics' proposal. */
  desiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  /** Resolved behavior, or null for the legacy path. */
  behavior: ResolvedBehavior | null;
  /** The legacy path's scale-down window (controller flag, default 300 s). */
  downscaleStabilizationSeconds: number;
  recommendations: readonly Recommendation[];
  scaleUpEvents: readonly ScaleEvent[];
  scaleDownEvents: readonly ScaleEvent[];
}

export interface Normalized {
  replicas: number;
  /** The count after stabilisation, before limits. */
  stabilizedReplicas: number;
  limitReason: LimitReason;
  recommendations: Recommendation[];
}

export function normalizeDesiredReplicas(args: NormalizeArgs): Normalized {
  const { now, currentReplicas: current, desiredReplicas: desired, behavior } = args;
  if (behavior === null) {
    const stabilized = stabilizeLegacy(args.recommendations, now, desired, args.downscaleStabilizationSeconds);
    const limited = limitLegacy(current, stabilized.replicas, args.minReplicas, args.maxReplicas);
    return {
      replicas: limited.replicas,
      stabilizedReplicas: stabilized.replicas,
      limitReason: limited.reason,
      recommendations: stabilized.recommendations,
    };
  }
  const stabilized = stabilizeWithBehavior(args.recommendations, now, current, desired, behavior);
  const limited = limitWithBehavior(current, stabilized.replicas, args.minReplicas, args.maxReplicas, behavior, {
    scaleUp: args.scaleUpEvents,
    scaleDown: args.scaleDownEvents,
  }, now);
  return {
    replicas: limited.replicas,
    stabilizedReplicas: stabilized.replicas,
    limitReason: limited.reason,
    recommendations: stabilized.recommendations,
  };
}
