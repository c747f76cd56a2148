/**
 * Settings of the HPA scaler with Kubernetes' defaults (reference/knative-hpa.md B.1,
 * B.5.1) and the API's validation limits.
 * @module
 */
import { PrescaleError } from '../errors.js';
import { inRange, knownKeys, nonNegative, oneOf, positive, replicaBounds } from '../validate.js';
import { DEFAULT_DOWNSCALE_STABILIZATION_SECONDS, resolveBehavior } from './behaviorDefaults.js';
import { DEFAULT_TOLERANCE } from './tolerances.js';
import type { HpaBehavior, HpaMetricSpec, HpaScalingRules, ResolvedBehavior, Tolerances } from './types.js';

export interface HpaConfig {
  /** Default 1. 0 is allowed (Kubernetes' HPAScaleToZero). */
  minReplicas: number;
  maxReplicas: number;
  /** Default: CPU at 80 % utilisation, as Kubernetes. */
  metrics: HpaMetricSpec[];
  /** With `behavior` set (any part), both directions get their defaults; null: the legacy path. */
  behavior: ResolvedBehavior | null;
  /** Controller tolerance, default 0.1; `behavior.*.tolerance` overrides it per direction. */
  tolerance: number;
  /** Controller downscale stabilisation for the legacy path and the default scale-down window, 300 s. */
  downscaleStabilizationSeconds: number;
}

export interface HpaConfigInput {
  minReplicas?: number;
  maxReplicas: number;
  metrics?: HpaMetricSpec[];
  behavior?: HpaBehavior | null;
  tolerance?: number;
  downscaleStabilizationSeconds?: number;
}

export const HPA_DEFAULT_METRICS: HpaMetricSpec[] = [
  { type: 'Resource', name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
];

const HPA_KEYS = ['minReplicas', 'maxReplicas', 'metrics', 'behavior', 'tolerance', 'downscaleStabilizationSeconds'];

/** @throws PrescaleError naming the first bad field. */
export function hpaConfig(input: HpaConfigInput): HpaConfig {
  knownKeys('config', input, HPA_KEYS);
  const { minReplicas, maxReplicas } = replicaBounds(input.minReplicas ?? 1, input.maxReplicas);
  const metrics = input.metrics ?? HPA_DEFAULT_METRICS;
  if (!Array.isArray(metrics) || metrics.length === 0) {
    throw new PrescaleError('InvalidConfig', 'config.metrics', metrics, 'must list at least one metric');
  }
  metrics.forEach((m, i) => checkMetric(m, `config.metrics[${i}]`));
  const tolerance = nonNegative('config.tolerance', input.tolerance ?? DEFAULT_TOLERANCE);
  const downscale = inRange('config.downscaleStabilizationSeconds', input.downscaleStabilizationSeconds ?? DEFAULT_DOWNSCALE_STABILIZATION_SECONDS, 0, 3600);
  let behavior: ResolvedBehavior | null = null;
  if (input.behavior != null) {
    checkRules(input.behavior.scaleUp, 'config.behavior.scaleUp');
    checkRules(input.behavior.scaleDown, 'config.behavior.scaleDown');
    behavior = resolveBehavior(input.behavior, downscale);
  }
  return { minReplicas, maxReplicas, metrics, behavior, tolerance, downscaleStabilizationSeconds: downscale };
}

/** The tolerances in force: per-direction ones from `behavior`, else the controller's. */
export function hpaTolerances(config: Pick<HpaConfig, 'behavior' | 'tolerance'>): Tolerances {
  return {
    scaleUp: config.behavior?.scaleUp.tolerance ?? config.tolerance,
    scaleDown: config.behavior?.scaleDown.tolerance ?? config.tolerance,
  };
}

function checkMetric(m: HpaMetricSpec, field: string): void {
  oneOf(`${field}.type`, m?.type, ['Resource', 'Pods', 'Object', 'External'] as const);
  if (typeof m.name !== 'string' || m.name === '') throw new PrescaleError('InvalidConfig', `${field}.name`, m.name, 'must be a non-empty string');
  const allowed = { Resource: ['Utilization', 'AverageValue'], Pods: ['AverageValue'], Object: ['Value', 'AverageValue'], External: ['Value', 'AverageValue'] } as const;
  const t = m.target;
  oneOf(`${field}.target.type`, t?.type, allowed[m.type]);
  if (t.type === 'Utilization') {
    positive(`${field}.target.averageUtilization`, t.averageUtilization, 'InvalidTarget');
    if (!Number.isInteger(t.averageUtilization)) {
      throw new PrescaleError('InvalidTarget', `${field}.target.averageUtilization`, t.averageUtilization, 'must be a whole percentage');
    }
  } else if (t.type === 'AverageValue') {
    positive(`${field}.target.averageValueMilli`, t.averageValueMilli, 'InvalidTarget');
  } else {
    positive(`${field}.target.valueMilli`, t.valueMilli, 'InvalidTarget');
  }
}

function checkRules(rules: HpaScalingRules | null | undefined, field: string): void {
  if (rules == null) return;
  if (rules.stabilizationWindowSeconds != null) inRange(`${field}.stabilizationWindowSeconds`, rules.stabilizationWindowSeconds, 0, 3600);
  if (rules.selectPolicy != null) oneOf(`${field}.selectPolicy`, rules.selectPolicy, ['Max', 'Min', 'Disabled'] as const);
  if (rules.tolerance != null) nonNegative(`${field}.tolerance`, rules.tolerance);
  if (rules.policies != null) {
    if (rules.policies.length === 0) throw new PrescaleError('InvalidConfig', `${field}.policies`, [], 'must list at least one policy');
    rules.policies.forEach((p, i) => {
      oneOf(`${field}.policies[${i}].type`, p.type, ['Pods', 'Percent'] as const);
      positive(`${field}.policies[${i}].value`, p.value);
      inRange(`${field}.policies[${i}].periodSeconds`, p.periodSeconds, 1, 1800);
    });
  }
}
