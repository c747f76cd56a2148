/**
 * The policies `prescale simulate --models` compares on a fleet of models (issue 21):
 *
 * - `min1`: Knative's KPA with `minReplicas: 1` (every model keeps a replica; the
 *   baseline a platform runs today);
 * - `zero`: the same KPA with `minReplicas: 0`: reactive scale to zero; a request to a
 *   model at zero waits in the activator, which reports it as load, for a whole cold start;
 * - `zero+pool`: `zero` with a warm pool of a fixed size shared by all models;
 * - `zero-predictive`: the predictive blend over the `zero` KPA: zero only while the
 *   forecast over the lead time is below `zeroBelowRps`, woken one lead time (a cold
 *   start) before the traffic the forecast expects;
 * - `zero-predictive+pool`: the blend planning for a warm start (its lead time a warm
 *   start's), with a shared warm pool sized from the forecast: every loop, one node for
 *   what no forecast expected plus, per model, the replicas its forecast will want within
 *   one node-provisioning time beyond its lead time (`prewarmReplicas`) that it does not
 *   have yet, so a node is warm one node-provisioning time before the predicted return.
 * @module
 */
import type { ScalerOverride } from '../scalers/scalerSetups.js';

export type ModelPolicyName = 'min1' | 'zero' | 'zero+pool' | 'zero-predictive' | 'zero-predictive+pool';
export const MODEL_POLICIES: readonly ModelPolicyName[] = ['min1', 'zero', 'zero+pool', 'zero-predictive', 'zero-predictive+pool'];

export interface ModelPolicy {
  name: ModelPolicyName;
  /** The scaler of each model (scalers/scalerSetups.ts). */
  scaler: 'kpa' | 'predictive';
  minReplicas: 0 | 1;
  /** No pool, a pool of fixed size, or one sized from the forecast every loop. */
  pool: 'none' | 'static' | 'forecast';
}

export const POLICY: Readonly<Record<ModelPolicyName, ModelPolicy>> = {
  min1: { name: 'min1', scaler: 'kpa', minReplicas: 1, pool: 'none' },
  zero: { name: 'zero', scaler: 'kpa', minReplicas: 0, pool: 'none' },
  'zero+pool': { name: 'zero+pool', scaler: 'kpa', minReplicas: 0, pool: 'static' },
  'zero-predictive': { name: 'zero-predictive', scaler: 'predictive', minReplicas: 0, pool: 'none' },
  'zero-predictive+pool': { name: 'zero-predictive+pool', scaler: 'predictive', minReplicas: 0, pool: 'forecast' },
};

/** The predictive settings a policy changes: with a forecast-sized pool, plan for a warm start and report what to pre-warm. */
export function policyOverride(policy: ModelPolicy, lead: { warmLeadSeconds: number; prewarmSeconds: number }, predictive: Record<string, unknown>): ScalerOverride | undefined {
  if (policy.scaler !== 'predictive') return undefined;
  if (policy.pool !== 'forecast') return { config: predictive };
  return { config: { ...predictive, leadTimeSeconds: lead.warmLeadSeconds, prewarmSeconds: lead.prewarmSeconds } };
}

/**
 * The forecast-sized pool's target: one node for the unexpected, plus the nodes the
 * models' forecasts will want within the pre-warm horizon beyond what they have.
 */
export function forecastPoolSize(wanted: ReadonlyArray<{ prewarm: number | null; current: number }>, maxSize: number): number {
  let size = 1;
  for (const w of wanted) size += Math.max(0, (w.prewarm ?? 0) - w.current);
  return Math.min(maxSize, size);
}
