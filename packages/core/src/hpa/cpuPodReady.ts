/**
 * Whether the HPA counts a pod as ready for a CPU metric (`groupPods`, reference
 * B.3.1 step 4): young pods must have been ready for a whole metric window, and a pod
 * that has never been ready since start is unready. An adapter computes this before
 * handing pods to the calculator.
 * @module
 */

export interface CpuReadinessInput {
  now: number;
  /** Pod start time (ms); null if not started. */
  startTime: number | null;
  /** The pod's Ready condition; null if it has none. */
  readyCondition: { status: boolean; lastTransitionTime: number } | null;
  /** The CPU sample's timestamp and window (ms). */
  metricTimestamp: number;
  metricWindowMs: number;
  /** `--horizontal-pod-autoscaler-cpu-initialization-period`, default 5 min. */
  cpuInitializationPeriodMs?: number;
  /** `--horizontal-pod-autoscaler-initial-readiness-delay`, default 30 s. */
  delayOfInitialReadinessStatusMs?: number;
}

export function hpaCpuPodReady(input: CpuReadinessInput): boolean {
  const { startTime, readyCondition: ready } = input;
  if (ready === null || startTime === null) return false;
  const initPeriod = input.cpuInitializationPeriodMs ?? 300_000;
  const readinessDelay = input.delayOfInitialReadinessStatusMs ?? 30_000;
  if (startTime + initPeriod > input.now) {
    return ready.status && input.metricTimestamp >= ready.lastTransitionTime + input.metricWindowMs;
  }
  return ready.status || startTime + readinessDelay <= ready.lastTransitionTime;
}
