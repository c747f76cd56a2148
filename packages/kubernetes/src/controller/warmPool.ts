/**
 * The balloon Deployment of a warm pool (issue 21, `spec.warmPool`): placeholder pods at
 * a priority below every real pod keep nodes provisioned (and the model server's image
 * pulled) for the replicas the forecast will ask for one node-provisioning time from
 * now, so those replicas skip node provisioning: the scheduler preempts a balloon for
 * them at once. The size is core's: the blend's `prewarmReplicas` (the replicas its
 * forecast needs over the lead time plus `warmPool.leadSeconds`) less the replicas
 * already ordered, in balloon pods. A decision without it (no forecast, too little
 * history, mode preview) leaves the balloon as it is,
 * and the `WarmPool` condition says why. The operator has no sizing rule of its own.
 * @module
 */
import type { ScalerDecision } from '@prescale/core';
import type { WarmPool } from '../crd/spec.js';
import type { ConditionInput } from './conditions.js';

/** What a loop makes of the warm pool: the balloon pods to keep, or null (leave it) with the reason. */
export type BalloonSize = { replicas: number; message: string } | { replicas: null; reason: string; message: string };

/** The blend's pre-warm replicas (core's `prewarmReplicas`), when the decision has them. */
function prewarmOf(decision: ScalerDecision): number | null {
  if (decision.scaler !== 'blend') return null;
  const value = decision.detail.prewarmReplicas;
  return value !== null && Number.isInteger(value) && value >= 0 ? value : null;
}

/**
 * The balloon pods for `decision`: `(prewarm − desired) × podsPerReplica`, within
 * `[0, warmPool.maxReplicas]` (default `maxReplicas × podsPerReplica`).
 */
export function balloonSize(pool: WarmPool, decision: ScalerDecision, maxReplicas: number): BalloonSize {
  const mode = decision.scaler === 'blend' ? decision.detail.mode : 'off';
  if (mode !== 'auto') return { replicas: null, reason: 'PredictionNotApplied', message: `predictive mode is ${mode}: the balloon is left as it is` };
  const prewarm = prewarmOf(decision);
  if (prewarm === null) return { replicas: null, reason: 'NoPrewarmForecast', message: 'no pre-warm size from the forecast (too little history, or no forecast); the balloon is left as it is' };
  const perReplica = pool.podsPerReplica ?? 1;
  const most = pool.maxReplicas ?? maxReplicas * perReplica;
  const gap = Math.max(0, prewarm - decision.desiredReplicas);
  const replicas = Math.min(most, gap * perReplica);
  return { replicas, message: `the forecast needs ${prewarm} replica(s) one provisioning time ahead, ${decision.desiredReplicas} ordered: ${replicas} balloon pod(s)` };
}

/** `WarmPool`: True with the size applied, False with why the balloon was left or could not be scaled. */
export function warmPoolCondition(pool: WarmPool, size: BalloonSize, failed: string | null): ConditionInput {
  const name = `Deployment/${pool.balloonRef.name}`;
  if (failed !== null) return { type: 'WarmPool', status: 'False', reason: 'FailedUpdateScale', message: `${name}: ${failed}` };
  if (size.replicas === null) return { type: 'WarmPool', status: 'False', reason: size.reason, message: `${name}: ${size.message}` };
  return { type: 'WarmPool', status: 'True', reason: 'Sized', message: `${name}: ${size.message}` };
}
