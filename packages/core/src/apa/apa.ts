/**
 * The APA scaler: AIBrix's APA (reference/aibrix.md 2.2–2.8) as one pure step. The
 * per-pod metric is averaged over a window of samples, the APA formula proposes a
 * count, a cooldown stabilises it and the bounds clamp it.
 *
 * Where prescale differs from AIBrix HEAD, on purpose: AIBrix's scale-down cooldown
 * takes the *lowest* recent recommendation, so it never delays a scale-down (reference
 * 2.8); prescale takes the highest, as Kubernetes' HPA does, so the window actually
 * damps scale-down. And samples older than the window are ignored rather than reused.
 * Replicas still starting count as capacity (AIBrix PR #2671, pendingReplicas.ts).
 *
 * @example
 * ```ts
 * const config = apaConfig({ targetValue: 0.5, maxReplicas: 8 });
 * const { decision } = apaStep(config, apaInit(config), { now: 0, currentReplicas: 2, value: 0.9 });
 * decision.desiredReplicas; // 4
 * ```
 * @module
 */
import { clampToBounds, type Decision, holdDecision, makeDecision, type ReasonCode, type StepResult } from '../decision.js';
import { stabilizeWithBehavior } from '../hpa/stabilization.js';
import type { Recommendation, ResolvedScalingRules } from '../hpa/types.js';
import { nonNegativeInt, timestamp } from '../validate.js';
import { createSampleWindow, recordSample, type SampleWindow, sampleMean } from '../windows/sampleWindow.js';
import type { ApaConfig } from './apaConfig.js';
import { apaRecommend } from './apaRecommend.js';
import { guardPendingReplicas } from './pendingReplicas.js';

export interface ApaState {
  window: SampleWindow;
  /** Recent recommendations, for the cooldown. */
  recommendations: Recommendation[];
  lastNow: number | null;
}

export interface ApaInput {
  now: number;
  currentReplicas: number;
  /** The metric's mean over the pods at `now`; null when nothing was observed. */
  value: number | null;
  /**
   * The pods that serve (Running, ready) and so measured `value`; fewer than
   * `currentReplicas` means replicas are still starting (the pending-replica rule,
   * pendingReplicas.ts). Undefined: unknown, the rule is off.
   */
  readyPods?: number;
}

export interface ApaDetail {
  /** Window mean of the per-pod metric. */
  metricPerPod?: number;
  samples?: number;
  ratio?: number;
  /** The APA formula's count, before the cooldown and bounds (after the pending-replica rule). */
  recommendedReplicas?: number;
  /** Replicas asked for that are not serving yet (`currentReplicas − readyPods`), when known. */
  pendingReplicas?: number;
  stabilizedReplicas?: number;
}

export type ApaDecision = Decision<'apa', ApaDetail>;

/** A cooldown is a stabilisation window with no rate policy. */
function cooldown(seconds: number): ResolvedScalingRules {
  return { stabilizationWindowSeconds: seconds, selectPolicy: 'Max', policies: [], tolerance: null };
}

export function apaInit(config: ApaConfig): ApaState {
  return { window: createSampleWindow(config.windowSeconds), recommendations: [], lastNow: null };
}

/** @throws PrescaleError `InvalidReplicaCount` or `InvalidTime` on unusable input. */
export function apaStep(config: ApaConfig, state: ApaState, input: ApaInput): StepResult<ApaState, ApaDecision> {
  const now = timestamp('input.now', input.now);
  const current = nonNegativeInt('input.currentReplicas', input.currentReplicas, 'InvalidReplicaCount');
  const hold = (reason: ReasonCode, next: ApaState): StepResult<ApaState, ApaDecision> => ({
    state: next,
    decision: holdDecision('apa', now, current, config, reason, {}),
  });
  if (state.lastNow !== null && now < state.lastNow) return hold('OutOfOrderSample', state);
  const { value } = input;
  if (value !== null && !(Number.isFinite(value) && value >= 0)) {
    return hold('InvalidMetricValue', { window: state.window, recommendations: state.recommendations, lastNow: now });
  }

  const window = value === null ? state.window : recordSample(state.window, now, value);
  const { mean, count } = sampleMean(window, now);
  if (count === 0) return hold('NoMetrics', { window, recommendations: state.recommendations, lastNow: now });

  const formula = apaRecommend(config, current, mean);
  const pending = guardPendingReplicas(formula.replicas, current, formula.ratio, input.readyPods);
  const rec = pending.applied ? { ...formula, replicas: pending.replicas, reason: 'PendingCapacity' as const } : formula;
  const bounded = clampToBounds(rec.replicas, config.minReplicas, config.maxReplicas);
  const stabilized = stabilizeWithBehavior(state.recommendations, now, current, bounded.replicas, {
    scaleUp: cooldown(config.scaleUpCooldownSeconds),
    scaleDown: cooldown(config.scaleDownCooldownSeconds),
  });
  const final = clampToBounds(stabilized.replicas, config.minReplicas, config.maxReplicas);
  const desired = final.replicas;

  const reasons: ReasonCode[] = [rec.reason];
  if (stabilized.replicas !== bounded.replicas) {
    reasons.push(stabilized.replicas > bounded.replicas ? 'ScaleDownStabilized' : 'ScaleUpStabilized');
  }
  const bound = final.bound ?? (stabilized.replicas === bounded.replicas ? bounded.bound : null);
  if (bound) reasons.push(bound);

  return {
    state: { window, recommendations: stabilized.recommendations, lastNow: now },
    decision: makeDecision('apa', now, current, desired, reasons, {
      metricPerPod: mean,
      samples: count,
      ratio: rec.ratio,
      recommendedReplicas: rec.replicas,
      ...(input.readyPods !== undefined ? { pendingReplicas: Math.max(0, current - input.readyPods) } : {}),
      stabilizedReplicas: stabilized.replicas,
    }),
  };
}
