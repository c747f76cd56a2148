/**
 * Kubernetes' `behavior` defaults (pkg/apis/autoscaling/v2/defaults.go; reference
 * B.5.1). Setting any part of `behavior` fills in both directions: scale-up adds up to
 * 4 pods or 100 % per 15 s with no stabilisation; scale-down removes up to 100 % per 15 s
 * behind the controller's downscale stabilisation window (300 s).
 * @module
 */
import type { HpaBehavior, HpaScalingRules, ResolvedBehavior, ResolvedScalingRules } from './types.js';

/** `--horizontal-pod-autoscaler-downscale-stabilization`. */
export const DEFAULT_DOWNSCALE_STABILIZATION_SECONDS = 300;

const SCALE_UP_DEFAULTS: ResolvedScalingRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
  tolerance: null,
};

const SCALE_DOWN_DEFAULTS: Omit<ResolvedScalingRules, 'stabilizationWindowSeconds'> = {
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  tolerance: null,
};

function resolve(
  rules: HpaScalingRules | null | undefined,
  defaults: Omit<ResolvedScalingRules, 'stabilizationWindowSeconds'>,
  defaultWindow: number,
): ResolvedScalingRules {
  return {
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? defaultWindow,
    selectPolicy: rules?.selectPolicy ?? defaults.selectPolicy,
    policies: rules?.policies ?? defaults.policies,
    tolerance: rules?.tolerance ?? defaults.tolerance,
  };
}

/** Fills every unset field of `behavior` with its default. */
export function resolveBehavior(
  behavior: HpaBehavior,
  downscaleStabilizationSeconds = DEFAULT_DOWNSCALE_STABILIZATION_SECONDS,
): ResolvedBehavior {
  return {
    scaleUp: resolve(behavior.scaleUp, SCALE_UP_DEFAULTS, SCALE_UP_DEFAULTS.stabilizationWindowSeconds),
    scaleDown: resolve(behavior.scaleDown, SCALE_DOWN_DEFAULTS, downscaleStabilizationSeconds),
  };
}
