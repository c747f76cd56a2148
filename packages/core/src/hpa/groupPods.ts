/**
 * Kubernetes' `groupPods` (replica_calculator.go; reference B.3.1): sorts the target's
 * pods into ready, unready (Pending, or not ready for a Resource metric), missing (no
 * metric sample) and ignored (being deleted, Failed or Succeeded).
 * @module
 */
import type { HpaPod } from './types.js';

export interface PodGroups {
  readyPodCount: number;
  unready: string[];
  missing: string[];
  ignored: string[];
}

export function groupPods(
  pods: readonly HpaPod[],
  values: Readonly<Record<string, number | null>>,
  readinessCounts: boolean,
): PodGroups {
  const groups: PodGroups = { readyPodCount: 0, unready: [], missing: [], ignored: [] };
  for (const pod of pods) {
    if (pod.deleting === true || pod.phase === 'Failed' || pod.phase === 'Succeeded') {
      groups.ignored.push(pod.name);
    } else if (pod.phase === 'Pending') {
      groups.unready.push(pod.name);
    } else if (values[pod.name] == null) {
      groups.missing.push(pod.name);
    } else if (readinessCounts && !pod.ready) {
      groups.unready.push(pod.name);
    } else {
      groups.readyPodCount++;
    }
  }
  return groups;
}
