/**
 * The circuit breaker (after AIBrix PR #2444, "autoscaler circuit breaker": track the
 * health of the metric sources and freeze scaling on degraded rounds): after
 * `failureThreshold` consecutive loops in which a metric source failed, or the target
 * could not be read, the PodAutoscaler holds its current scale and says so in the
 * `CircuitBreaker` condition, instead of scaling on what is left. It closes by itself at
 * the first loop in which every source answers. Until the threshold, a loop with a failed
 * source follows the sources that answered (a failure is never a zero, AIBrix PR #2592).
 * Plain data: the count of consecutive failed loops, kept by the controller.
 * @module
 */
import type { ScalerDecision } from '@prescale/core';
import type { ConditionInput } from './conditions.js';

/** Consecutive failed loops before the breaker opens, when the spec does not say. */
export const DEFAULT_FAILURE_THRESHOLD = 3;

/** The count after a loop: one more when it failed, 0 when every source answered. */
export function failuresAfter(previous: number, loopFailed: boolean): number {
  return loopFailed ? previous + 1 : 0;
}

export function breakerOpen(failures: number, threshold: number): boolean {
  return failures >= threshold;
}

/**
 * The decision with the scale held at `current`: what a loop does while the breaker is
 * open. A decision that already keeps the count (a hold of its own: `NoMetrics`) is left
 * as it is, its own reason first; the condition says the breaker is open.
 */
export function heldByBreaker(decision: ScalerDecision, current: number, failures: number): ScalerDecision {
  if (decision.desiredReplicas === current) return decision;
  return {
    ...decision,
    desiredReplicas: current,
    valid: false,
    reasons: ['CircuitBreakerOpen', ...decision.reasons.filter((r) => r !== 'CircuitBreakerOpen')],
    message: `circuit breaker open after ${failures} failed loops: hold at ${current} (the scaler wanted ${decision.desiredReplicas})`,
  };
}

/** `CircuitBreaker`: True (Open) while holding, False (Closed) otherwise. */
export function breakerCondition(failures: number, threshold: number): ConditionInput {
  return breakerOpen(failures, threshold)
    ? { type: 'CircuitBreaker', status: 'True', reason: 'Open', message: `${failures} consecutive loops with a failed metric source (threshold ${threshold}): holding the scale until every source answers` }
    : { type: 'CircuitBreaker', status: 'False', reason: 'Closed', message: failures === 0 ? 'every metric source answered' : `${failures} consecutive failed loops (opens at ${threshold})` };
}
