/**
 * Status conditions with Kubernetes' `lastTransitionTime` rule: the time changes only
 * when the condition's status does (k8s.io/apimachinery meta.SetStatusCondition).
 * @module
 */
import type { Condition } from '../crd/status.js';

export interface ConditionInput {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

/** `next` conditions, keeping each one's transition time when its status is unchanged. */
export function mergeConditions(previous: readonly Condition[] | undefined, next: readonly ConditionInput[], now: string, generation?: number): Condition[] {
  return next.map((c) => {
    const old = previous?.find((p) => p.type === c.type);
    const lastTransitionTime = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now;
    return { ...c, lastTransitionTime, ...(generation !== undefined ? { observedGeneration: generation } : {}) };
  });
}
