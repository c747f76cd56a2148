/**
 * Whether a loop that decided writes its status. The Kubernetes HPA writes status only
 * when it differs from what the object holds (`updateStatusIfNeeded` in
 * pkg/controller/podautoscaler/horizontal.go); prescale's status also carries numbers
 * that move every loop (metric values, messages, the forecast, the persisted scaler
 * state), so a plain comparison would write every loop: one PATCH and one watch event
 * per PodAutoscaler every 10 s, most of the API server's and the operator's work at a
 * thousand objects (docs/benchmarks.md, "On the real API server").
 *
 * So the comparison is on what the autoscaler *is doing*: the replicas (desired, actual,
 * per source, predicted), the bounds in force, the scaling history, each condition's
 * status and reason, the decision's algorithm, validity and reasons, the observed
 * generation, an Optimizer's decision status and each GPU type's desired, current and
 * ready replicas. Any change there is written at once; the moving numbers are refreshed
 * when the status in the object is `refreshSeconds` old (its `lastDecision.time`). A
 * restarted operator or a new leader therefore resumes from a scaler state at most that
 * old. `refreshSeconds` 0 writes every loop.
 * @module
 */
import type { PodAutoscalerStatus } from '../crd/status.js';
import type { StatusPatch } from './status.js';

/** Default seconds between writes of a status whose meaning did not change. */
export const DEFAULT_STATUS_REFRESH_SECONDS = 60;

type StatusLike = StatusPatch | PodAutoscalerStatus;

/** What a status says about the autoscaler, without the numbers that move every loop. */
export function statusMeaning(s: StatusLike): string {
  const history = s.scalingHistory ?? [];
  return JSON.stringify([
    s.observedGeneration ?? null,
    s.desiredScale ?? null,
    s.actualScale ?? null,
    s.lastScaleTime ?? null,
    history.length,
    history.at(-1)?.timestamp ?? null,
    s.scheduledBounds ? [s.scheduledBounds.activeSchedule ?? null, s.scheduledBounds.effectiveMinReplicas, s.scheduledBounds.effectiveMaxReplicas] : null,
    [...(s.conditions ?? [])].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)).map((c) => [c.type, c.status, c.reason ?? null]),
    s.lastDecision ? [s.lastDecision.algorithm, s.lastDecision.valid, s.lastDecision.reasons] : null,
    (s.metrics ?? []).map((m) => [m.source, m.desiredReplicas ?? null, m.error === undefined]),
    s.prediction ? [s.prediction.mode, s.prediction.reactiveReplicas ?? null, s.prediction.predictedReplicas ?? null, s.prediction.wouldBeReplicas ?? null, s.prediction.historyState ?? null] : null,
    // An Optimizer's decision and each GPU type's replicas (a rebalancing keeps the totals).
    s.optimizer ? [s.optimizer.status, s.optimizer.reasons, s.optimizer.types.map((t) => [t.gpu, t.desiredReplicas, t.currentReplicas, t.readyReplicas])] : null,
  ]);
}

/**
 * True when the loop must write `next`: the object's status (`current`, as the informer
 * last saw it) means something else, or was written `refreshSeconds` or more before `now`
 * (ms of the scalers' clock), or has no decision time to tell.
 */
export function statusNeedsWrite(current: PodAutoscalerStatus | undefined, next: StatusPatch, now: number, refreshSeconds: number): boolean {
  if (refreshSeconds <= 0 || !current?.lastDecision) return true;
  const written = Date.parse(current.lastDecision.time);
  if (!Number.isFinite(written) || now - written >= refreshSeconds * 1000 || now < written) return true;
  return statusMeaning(current) !== statusMeaning(next);
}
