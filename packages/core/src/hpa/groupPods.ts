/**
 * Kubernetes' `groupPods` (replica_calculator.go; reference B.3.1): sorts the target's
 * pods into ready, unready (Pending, or not ready for a Resource metric), missing (no
 * metric sample) and ignored (being deleted, Failed or Succeeded).
 * @module
 */
import type { HpaPod } from './types.js';

export interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

export function groupPods(
  pods: readonly HpaPod[],
  values: Readonly<Record<string, number | null>>,
  readinessCounts: boolean,
): PodGroups {
  const groups: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    if (pod.deleting === true || pod.phase === 'Failed' || pod.phase === 'Succeeded') {
      groups.ignored.add(pod.name);
    } else if (pod.phase === 'Pending') {
      groups.unready.add(pod.name);
    } else if (values[pod.name] === undefined || values[pod.name] === null) {
      groups.missing.add(pod.name);
    } else if (readinessCounts && !pod.ready) {
      groups.unready.add(pod.name);
    } else {
      groups.readyPodCount++;
    }
  }
  return groups;
}
