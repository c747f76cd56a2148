/**
 * The KPA scaler: Knative's Pod Autoscaler as one pure step. Each step records the
 * observed metric (a revision-wide total, such as the summed concurrency of all pods)
 * into the stable and panic windows, runs Knative's decider on the window values, and
 * applies what Knative's reconciler adds around it: min/max scale, initial scale and
 * the scale-to-zero grace period. Specification: reference/knative-hpa.md A.
 *
 * @example
 * ```ts
 * const config = kpaConfig({ targetValue: 10, maxReplicas: 20 });
 * let state = kpaInit(config, { now: 0, readyPods: 1 });
 * const { state: next, decision } = kpaStep(config, state, { now: 2000, currentReplicas: 1, readyPods: 1, value: 45 });
 * decision.desiredReplicas; // 5
 * ```
 * @module
 */
import { clampToBounds, type Decision, holdDecision, makeDecision, type ReasonCode, type StepResult } from '../decision.js';
import { timestamp, nonNegativeInt } from '../validate.js';
import { type BucketWindow, createBucketWindow, isBucketWindowEmpty, recordBucket } from '../windows/bucketWindow.js';
import { linearAverage } from '../windows/linearAverage.js';
import { weightedAverage } from '../windows/weightedAverage.js';
import { createKpaDecider, kpaDecide, type KpaDeciderDetail, type KpaDeciderSpec, type KpaDeciderState } from './decider.js';
import type { KpaConfig } from './kpaConfig.js';
import { panicWindowSeconds } from './panicWindow.js';

export interface KpaState {
  stableWindow: BucketWindow;
  panicWindow: BucketWindow;
  decider: KpaDeciderState;
  /** Time of the last step (ms); later steps must not go back in time. */
  lastNow: number | null;
  /** The target has had `initialScale` ready pods at least once. */
  initialized: boolean;
  /** Since when the decider has wanted zero pods (ms); null otherwise. */
  zeroWantedSince: number | null;
}

export interface KpaInput {
  /** Milliseconds since the epoch. */
  now: number;
  /** The target's replicas (`scale.spec.replicas`). */
  currentReplicas: number;
  /** Ready pods serving traffic. */
  readyPods: number;
  /**
   * The metric observed at `now` as a revision-wide total (for example the summed
   * in-flight requests of all pods); null when nothing was observed this time.
   */
  value: number | null;
}

export interface KpaDetail {
  panicWindowSeconds: number;
  /** The lower bound in force: minReplicas, or initialScale until first reached. */
  effectiveMinReplicas: number;
  /** What Knative's decider saw and computed; null when it did not run (a hold). */
  decider: KpaDeciderDetail | null;
}

export type KpaDecision = Decision<'kpa', KpaDetail>;

/** A copy of `s` with `patch` applied, built as a literal (see bucketWindow.ts on spreads). */
function kpaState(s: KpaState, patch: Partial<KpaState>): KpaState {
  return {
    stableWindow: patch.stableWindow ?? s.stableWindow,
    panicWindow: patch.panicWindow ?? s.panicWindow,
    decider: patch.decider ?? s.decider,
    lastNow: patch.lastNow !== undefined ? patch.lastNow : s.lastNow,
    initialized: patch.initialized ?? s.initialized,
    zeroWantedSince: patch.zeroWantedSince !== undefined ? patch.zeroWantedSince : s.zeroWantedSince,
  };
}

/** The decider settings Knative derives from the KPA config. */
export function kpaDeciderSpec(config: KpaConfig): KpaDeciderSpec {
  return {
    targetValue: config.targetValue,
    totalValue: config.totalValue,
    targetBurstCapacity: config.targetBurstCapacity,
    panicThreshold: config.panicThreshold,
    maxScaleUpRate: config.maxScaleUpRate,
    maxScaleDownRate: config.maxScaleDownRate,
    stableWindowSeconds: config.stableWindowSeconds,
    scaleDownDelaySeconds: config.scaleDownDelaySeconds,
    activationScale: config.activationScale,
    reachable: config.reachable,
  };
}

/**
 * A new KPA state. Like Knative, it starts in panic mode when more than one pod is
 * ready, so a restarted scaler with no metric history does not scale down at once.
 */
export function kpaInit(config: KpaConfig, at: { now: number; readyPods: number }): KpaState {
  const now = timestamp('now', at.now);
  const readyPods = nonNegativeInt('readyPods', at.readyPods, 'InvalidReplicaCount');
  return {
    stableWindow: createBucketWindow(config.stableWindowSeconds, config.granularitySeconds),
    panicWindow: createBucketWindow(panicWindowSeconds(config.stableWindowSeconds, config.panicWindowPercentage), config.granularitySeconds),
    decider: createKpaDecider(kpaDeciderSpec(config), now, readyPods),
    lastNow: null,
    initialized: readyPods >= config.initialScale,
    zeroWantedSince: null,
  };
}

/**
 * One KPA decision.
 * @throws PrescaleError `InvalidReplicaCount` when `currentReplicas` is not a
 *   non-negative integer, `InvalidTime` when `now` is not a valid time.
 */
export function kpaStep(config: KpaConfig, state: KpaState, input: KpaInput): StepResult<KpaState, KpaDecision> {
  const now = timestamp('input.now', input.now);
  const current = nonNegativeInt('input.currentReplicas', input.currentReplicas, 'InvalidReplicaCount');
  const panicSeconds = panicWindowSeconds(config.stableWindowSeconds, config.panicWindowPercentage);
  const effectiveMin = (initialized: boolean): number =>
    config.initialScale > 1 && !initialized && config.reachable ? Math.max(config.initialScale, config.minReplicas) : config.minReplicas;
  const hold = (reason: ReasonCode, next: KpaState): StepResult<KpaState, KpaDecision> => ({
    state: next,
    decision: holdDecision('kpa', now, current, { minReplicas: effectiveMin(next.initialized), maxReplicas: config.maxReplicas }, reason, {
      panicWindowSeconds: panicSeconds,
      effectiveMinReplicas: effectiveMin(next.initialized),
      decider: null,
    }),
  });

  if (state.lastNow !== null && now < state.lastNow) return hold('OutOfOrderSample', state);
  const { readyPods, value } = input;
  if (!Number.isInteger(readyPods) || readyPods < 0) return hold('InvalidReadyPods', kpaState(state, { lastNow: now }));
  if (value !== null && !(Number.isFinite(value) && value >= 0)) return hold('InvalidMetricValue', kpaState(state, { lastNow: now }));

  const initialized = state.initialized || readyPods >= config.initialScale;
  let { stableWindow, panicWindow } = state;
  if (value !== null) {
    stableWindow = recordBucket(stableWindow, now, value);
    panicWindow = recordBucket(panicWindow, now, value);
  }
  const recorded = kpaState(state, { stableWindow, panicWindow, lastNow: now, initialized });
  if (isBucketWindowEmpty(stableWindow, now)) return hold('NoMetrics', recorded);

  const average = config.aggregation === 'linear' ? linearAverage : weightedAverage;
  const decided = kpaDecide(kpaDeciderSpec(config), state.decider, {
    now,
    readyPods,
    stable: average(stableWindow, now),
    panic: average(panicWindow, now),
  });
  const result = decided.result;
  if (!result.valid) return hold(result.reason, recorded);

  const reasons: ReasonCode[] = [result.path];
  if (result.activationScaled) reasons.push('ActivationScale');
  if (result.rateLimited) reasons.push(result.rateLimited);

  const min = effectiveMin(initialized);
  let { replicas: desired, bound } = clampToBounds(result.desiredPodCount, min, config.maxReplicas);
  if (bound === 'TooFewReplicas' && min > config.minReplicas) reasons.push('InitialScale');
  else if (bound) reasons.push(bound);

  let zeroWantedSince: number | null = null;
  if (desired === 0) {
    zeroWantedSince = state.zeroWantedSince ?? now;
    if (current > 0 && now - zeroWantedSince < config.scaleToZeroGracePeriodSeconds * 1000) {
      desired = Math.min(1, config.maxReplicas);
      reasons.push('ScaleToZeroGrace');
    }
  }

  return {
    state: kpaState(recorded, { decider: decided.state, zeroWantedSince }),
    decision: makeDecision('kpa', now, current, desired, reasons, {
      panicWindowSeconds: panicSeconds,
      effectiveMinReplicas: min,
      decider: result.detail,
    }),
  };
}
