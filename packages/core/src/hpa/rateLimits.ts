/**
 * The HPA's rate limits (horizontal.go; reference B.4 and B.5.4–B.5.5). Without
 * `behavior`, a sync may at most double the count (at least to 4). With `behavior`,
 * each policy allows a change relative to the count at the start of its period, which
 * is reconstructed from the scale events of both directions.
 * @module
 */
import { int32, MAX_INT32, MIN_INT32 } from '../goMath.js';
import type { ResolvedBehavior, ResolvedScalingRules, ScaleEvent } from './types.js';

export type LimitReason = 'DesiredWithinRange' | 'TooFewReplicas' | 'TooManyReplicas' | 'ScaleUpLimit' | 'ScaleDownLimit';

export interface Limited {
  replicas: number;
  reason: LimitReason;
}

/** Legacy `convertDesiredReplicasWithRules`. */
export function limitLegacy(current: number, desired: number, minReplicas: number, maxReplicas: number): Limited {
  const scaleUpLimit = int32(Math.max(2 * current, 4));
  const [maximum, maxReason]: [number, LimitReason] =
    maxReplicas > scaleUpLimit ? [scaleUpLimit, 'ScaleUpLimit'] : [maxReplicas, 'TooManyReplicas'];
  if (desired < minReplicas) return { replicas: minReplicas, reason: 'TooFewReplicas' };
  if (desired > maximum) return { replicas: maximum, reason: maxReason };
  return { replicas: desired, reason: 'DesiredWithinRange' };
}

/** Sum of the changes made strictly within the last `periodSeconds`. */
export function changeInPeriod(events: readonly ScaleEvent[], now: number, periodSeconds: number): number {
  const cutoff = now - periodSeconds * 1000;
  let total = 0;
  for (const e of events) if (e.at > cutoff) total += e.change;
  return total;
}

/**
 * The limit a direction's policies allow (`calculateScaleUpLimitWithScalingRules`,
 * `calculateScaleDownLimitWithBehaviors`). `selectPolicy: Max` picks the policy that
 * allows the biggest change: the highest limit up, the lowest down; `Min` the smallest.
 */
function policyLimit(
  direction: 'up' | 'down',
  current: number,
  up: readonly ScaleEvent[],
  down: readonly ScaleEvent[],
  rules: ResolvedScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const highest = (rules.selectPolicy === 'Max') === (direction === 'up');
  let result = highest ? MIN_INT32 : MAX_INT32;
  for (const policy of rules.policies) {
    const start = current - changeInPeriod(up, now, policy.periodSeconds) + changeInPeriod(down, now, policy.periodSeconds);
    const proposed =
      direction === 'up'
        ? policy.type === 'Pods' ? start + policy.value : int32(Math.ceil(start * (1 + policy.value / 100)))
        : policy.type === 'Pods' ? start - policy.value : int32(start * (1 - policy.value / 100));
    result = highest ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** The highest count the scale-up policies allow. */
export function scaleUpLimit(current: number, up: readonly ScaleEvent[], down: readonly ScaleEvent[], rules: ResolvedScalingRules, now: number): number {
  return policyLimit('up', current, up, down, rules, now);
}

/** The lowest count the scale-down policies allow. */
export function scaleDownLimit(current: number, up: readonly ScaleEvent[], down: readonly ScaleEvent[], rules: ResolvedScalingRules, now: number): number {
  return policyLimit('down', current, up, down, rules, now);
}

/** `convertDesiredReplicasWithBehaviorRate`: min/max apply only in the direction of travel. */
export function limitWithBehavior(
  current: number,
  desired: number,
  minReplicas: number,
  maxReplicas: number,
  behavior: ResolvedBehavior,
  events: { scaleUp: readonly ScaleEvent[]; scaleDown: readonly ScaleEvent[] },
  now: number,
): Limited {
  if (desired > current) {
    const limit = Math.max(current, scaleUpLimit(current, events.scaleUp, events.scaleDown, behavior.scaleUp, now));
    const [maximum, reason]: [number, LimitReason] =
      maxReplicas > limit ? [limit, 'ScaleUpLimit'] : [maxReplicas, 'TooManyReplicas'];
    if (desired > maximum) return { replicas: maximum, reason };
  } else if (desired < current) {
    const limit = Math.min(current, scaleDownLimit(current, events.scaleUp, events.scaleDown, behavior.scaleDown, now));
    const [minimum, reason]: [number, LimitReason] =
      minReplicas < limit ? [limit, 'ScaleDownLimit'] : [minReplicas, 'TooFewReplicas'];
    if (desired < minimum) return { replicas: minimum, reason };
  }
  return { replicas: desired, reason: 'DesiredWithinRange' };
}
