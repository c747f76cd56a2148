/**
 * The policies `prescale simulate --models` compares on a fleet of models (issue 21):
 *
 * - `min1`: Knative's KPA with `minReplicas: 1` (every model keeps a replica; the
 *   baseline a platform runs today);
 * - `zero`: the same KPA with `minReplicas: 0`: reactive scale to zero; a request to a
 *   model at zero waits in the activator, which reports it as load, for a whole cold start;
 * - `zero+pool`: `zero` with a warm pool of a fixed size shared by all models;
 * - `zero-predictive`: the predictive blend over the `zero` KPA: woken one wake-up lead
 *   time (the cold start's p90 plus loop and lag) before the traffic the forecast
 *   expects when the requests it would make wait are worth the GPU time, held for them
 *   a bounded time, and back to zero by the reactive rule (core's blend/wakeUpHold.ts);
 * - `zero-predictive+pool`: the blend planning for a warm start (its lead time a warm
 *   start's), with a shared warm pool sized from the forecast: every loop, one node for
 *   what no forecast expected plus, per model, the replicas its forecast will want within
 *   one node-provisioning time beyond its lead time (`prewarmReplicas`) that it does not
 *   have yet, so a node is warm one node-provisioning time before the predicted return;
 *   its wake-up lead is a warm start's p90 plus loop and lag.
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

/** The leads the predictive policies plan for, seconds. */
export interface PolicyLeads {
  /** A warm start's p99 plus loop and lag: the lead time with a forecast-sized pool. */
  warmLeadSeconds: number;
  /** Cold p99 − warm p99: how far beyond the lead the pool pre-warms. */
  prewarmSeconds: number;
  /** A cold start's p90 plus loop and lag: the predicted wake-up's lead. */
  wakeLeadSeconds: number;
  /** A warm start's p90 plus loop and lag: the wake-up lead with a forecast-sized pool. */
  warmWakeLeadSeconds: number;
}

/**
 * The forecast quantile the predictive policies plan for: p75 rather than the blend's
 * p90. With two weeks of history a slot's p90 is about the larger of its two samples;
 * on seed 1 of `--models 20` planning the busy models for it cost 20.6 GPU-hours over
 * the KPA alone (measured with the wake-up rule off); p75 made about as many requests
 * wait (3,383 against 3,377) for 25 GPU-hours less (docs/simulations.md, "Many models").
 */
export const POLICY_QUANTILE = 0.75;

/**
 * The predictive settings a policy changes: the wake-up lead (a cold start's p90) and
 * the forecast quantile ({@link POLICY_QUANTILE}); with a forecast-sized pool, plan for a
 * warm start and report what to pre-warm. Settings given in `predictive` win.
 */
export function policyOverride(policy: ModelPolicy, lead: PolicyLeads, predictive: Record<string, unknown>): ScalerOverride | undefined {
  if (policy.scaler !== 'predictive') return undefined;
  const base = { settings: { quantile: POLICY_QUANTILE } };
  if (policy.pool !== 'forecast') return { config: { ...base, wakeUpLeadSeconds: lead.wakeLeadSeconds, ...predictive } };
  return { config: { ...base, wakeUpLeadSeconds: lead.warmWakeLeadSeconds, ...predictive, leadTimeSeconds: lead.warmLeadSeconds, prewarmSeconds: lead.prewarmSeconds } };
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
