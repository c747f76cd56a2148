/**
 * Knative's KPA decider, `autoscaler.Scale` (knative/serving
 * pkg/autoscaler/scaling/autoscaler.go; reference/knative-hpa.md A.3–A.5), as a pure
 * step. Given the stable- and panic-window values of the metric (revision-wide totals,
 * not per-pod averages) and the ready pod count, it returns the desired pod count and
 * the excess burst capacity, entering and leaving panic mode and applying the rate
 * limits, activation scale and scale-down delay exactly as upstream.
 * @module
 */
import { int32 } from '../goMath.js';
import { createMaxWindow, type MaxWindow, maxOf, recordMax } from '../windows/maxWindow.js';
import { excessBurstCapacity } from './excessBurstCapacity.js';

/** Knative's `DeciderSpec`, the settings the decider reads. */
export interface KpaDeciderSpec {
  /** Per-pod target of the metric (Knative `TargetValue`). */
  targetValue: number;
  /** Per-pod capacity (Knative `TotalValue`); used only for the excess burst capacity. */
  totalValue: number;
  /** Burst to absorb without new pods; 0 disables, −1 is unlimited. */
  targetBurstCapacity: number;
  /** Panic when `ceil(panic / target) / readyPods ≥ panicThreshold` (Knative default 2). */
  panicThreshold: number;
  maxScaleUpRate: number;
  maxScaleDownRate: number;
  /** Panic mode ends only after this long without crossing the threshold. */
  stableWindowSeconds: number;
  /** Scale-downs wait until the lower count has held this long (0: no delay). */
  scaleDownDelaySeconds: number;
  /** Minimum non-zero scale; 0 or 1 means unset. */
  activationScale: number;
  /** False when the revision receives no traffic: no rate limit on scale-down. */
  reachable: boolean;
}

export interface KpaDeciderState {
  /** When panic mode last started or was extended (ms); null when not panicking. */
  panicSince: number | null;
  /** The highest count wanted during this panic; scale-down is refused below it. */
  maxPanicPods: number;
  /** Scale-down delay window; exists only when the delay was set at creation, as upstream. */
  delayWindow: MaxWindow | null;
}

export interface KpaDeciderInput {
  now: number;
  /** Ready pods; null when they could not be counted. */
  readyPods: number | null;
  /** Stable-window value (revision-wide total); null when the metric source failed. */
  stable: number | null;
  /** Panic-window value (revision-wide total); null when the metric source failed. */
  panic: number | null;
}

export interface KpaDeciderDetail {
  /** The decider's count, before the scaler's bounds, initial scale and scale-to-zero grace. */
  desiredPodCount: number;
  inPanic: boolean;
  /** When panic mode last started or was extended (ms); null when not panicking. */
  panicSince: number | null;
  excessBurstCapacity: number;
  readyPods: number;
  stable: number;
  panic: number;
  /** `ceil(stable / target)`, before limits. */
  desiredStablePodCount: number;
  /** `ceil(panic / target)`, before limits. */
  desiredPanicPodCount: number;
  maxScaleUp: number;
  maxScaleDown: number;
  /** Stable count after rate limits and activation scale. */
  stableCount: number;
  /** Panic count after rate limits and activation scale. */
  panicCount: number;
  overPanicThreshold: boolean;
}

export type KpaDeciderResult =
  | {
      valid: true;
      desiredPodCount: number;
      excessBurstCapacity: number;
      inPanic: boolean;
      /** Which step fixed the count: the stable value, the panic value, the panic hold, or the delay window. */
      path: 'Stable' | 'Panic' | 'PanicHold' | 'ScaleDownDelayed';
      /** The count was raised to the activation scale. */
      activationScaled: boolean;
      /** A rate limit (`maxScaleUp` / `maxScaleDown`) bounded the chosen count. */
      rateLimited: 'ScaleUpLimit' | 'ScaleDownLimit' | null;
      detail: KpaDeciderDetail;
    }
  | {
      valid: false;
      /** Knative returns no decision: ready pods could not be counted or there is no metric. */
      reason: 'InvalidReadyPods' | 'NoMetrics' | 'InvalidMetricValue';
    };

/** Knative's `newAutoscaler`: starts in panic mode when more than one pod is ready. */
export function createKpaDecider(spec: KpaDeciderSpec, now: number, readyPods: number): KpaDeciderState {
  return {
    panicSince: readyPods > 1 ? now : null,
    maxPanicPods: readyPods,
    delayWindow: spec.scaleDownDelaySeconds > 0 ? createMaxWindow(spec.scaleDownDelaySeconds, DECIDER_TICK_SECONDS) : null,
  };
}

/** Knative's decider tick (multiscaler.go `tickInterval`), the delay window's bucket. */
export const DECIDER_TICK_SECONDS = 2;

export function kpaDecide(
  spec: KpaDeciderSpec,
  state: KpaDeciderState,
  input: KpaDeciderInput,
): { state: KpaDeciderState; result: KpaDeciderResult } {
  const { now, readyPods: orig, stable, panic } = input;
  if (orig === null || !Number.isInteger(orig) || orig < 0) {
    return { state, result: { valid: false, reason: 'InvalidReadyPods' } };
  }
  if (stable === null || panic === null) return { state, result: { valid: false, reason: 'NoMetrics' } };
  if (!(stable >= 0 && panic >= 0 && Number.isFinite(stable) && Number.isFinite(panic))) {
    return { state, result: { valid: false, reason: 'InvalidMetricValue' } };
  }

  const readyPods = Math.max(1, orig);
  const maxScaleUp = Math.ceil(spec.maxScaleUpRate * readyPods);
  const maxScaleDown = spec.reachable ? Math.floor(readyPods / spec.maxScaleDownRate) : 0;
  const dspc = Math.ceil(stable / spec.targetValue);
  const dppc = Math.ceil(panic / spec.targetValue);

  let stableCount = int32(Math.min(Math.max(dspc, maxScaleDown), maxScaleUp));
  let panicCount = int32(Math.min(Math.max(dppc, maxScaleDown), maxScaleUp));
  let stableActivated = false;
  let panicActivated = false;
  if (spec.activationScale > 1) {
    if (dspc > 0 && spec.activationScale > stableCount) {
      stableCount = spec.activationScale;
      stableActivated = true;
    }
    if (dppc > 0 && spec.activationScale > panicCount) {
      panicCount = spec.activationScale;
      panicActivated = true;
    }
  }

  const overPanicThreshold = dppc / readyPods >= spec.panicThreshold;
  let { panicSince, maxPanicPods } = state;
  if (overPanicThreshold) {
    panicSince = now;
  } else if (panicSince !== null && panicSince + spec.stableWindowSeconds * 1000 < now) {
    panicSince = null;
    maxPanicPods = 0;
  }

  // Which window's count is used, before the panic hold and the delay window.
  const panicWins = panicSince !== null && panicCount > stableCount;
  let desired = panicWins ? panicCount : stableCount;
  let path: 'Stable' | 'Panic' | 'PanicHold' | 'ScaleDownDelayed' = panicSince === null ? 'Stable' : 'Panic';
  if (panicSince !== null) {
    if (desired > maxPanicPods) maxPanicPods = desired;
    else if (desired < maxPanicPods) path = 'PanicHold';
    desired = maxPanicPods;
  }

  let delayWindow = state.delayWindow;
  if (spec.reachable && delayWindow !== null) {
    delayWindow = recordMax(delayWindow, now, desired);
    const delayed = maxOf(delayWindow);
    if (delayed !== desired) path = 'ScaleDownDelayed';
    desired = delayed;
  }

  const raw = panicWins ? dppc : dspc;
  const fromWindow = path === 'Stable' || path === 'Panic';
  const rateLimited = !fromWindow ? null : raw > maxScaleUp ? 'ScaleUpLimit' : raw < maxScaleDown ? 'ScaleDownLimit' : null;
  const activationScaled = fromWindow && (panicWins ? panicActivated : stableActivated);

  const excess = excessBurstCapacity(orig, spec.totalValue, spec.targetBurstCapacity, panic);
  return {
    state: { panicSince, maxPanicPods, delayWindow },
    result: {
      valid: true,
      desiredPodCount: desired,
      excessBurstCapacity: excess,
      inPanic: panicSince !== null,
      path,
      activationScaled,
      rateLimited,
      detail: {
        desiredPodCount: desired,
        inPanic: panicSince !== null,
        panicSince,
        excessBurstCapacity: excess,
        readyPods: orig,
        stable,
        panic,
        desiredStablePodCount: dspc,
        desiredPanicPodCount: dppc,
        maxScaleUp,
        maxScaleDown,
        stableCount,
        panicCount,
        overPanicThreshold,
      },
    },
  };
}
