/**
 * The pending-replica rule (AIBrix PR #2671, RFC issue #2670): replicas asked for but
 * still starting count as capacity on the way. APA proposes `ceil(n × ratio)` with `n`
 * the target's replica count, while the ratio comes from the ready pods only; during a
 * cold start of minutes the new pods report nothing, the ready pods still measure the
 * same excess, and every loop scaled up again for the same demand (2 → 4 → 8 → 16).
 *
 * With pending replicas (`ready < n`), a scale-up is sized from the pods that measured
 * the demand: `ceil(ready × ratio)`. If the count already asked for covers it, the count
 * holds; otherwise it rises to it (still within the scale-up rate limit). Scale-downs
 * and steady states are not touched.
 * @module
 */
import { int32 } from '../goMath.js';

export interface PendingGuard {
  replicas: number;
  /** True when the rule changed the proposal. */
  applied: boolean;
}

/**
 * @param proposed the APA formula's count (rate-limited) from `current`.
 * @param ratio the window's metric per pod over the target.
 * @param readyPods the pods that serve and measured the metric; undefined: unknown, no rule.
 */
export function guardPendingReplicas(proposed: number, current: number, ratio: number, readyPods: number | undefined): PendingGuard {
  if (readyPods === undefined || !(readyPods < current) || !(proposed > current)) return { replicas: proposed, applied: false };
  const needed = readyPods > 0 && Number.isFinite(ratio) ? int32(Math.ceil(readyPods * ratio)) : 0;
  if (needed <= current) return { replicas: current, applied: true };
  return needed < proposed ? { replicas: needed, applied: true } : { replicas: proposed, applied: false };
}
