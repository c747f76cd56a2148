/**
 * Settings of the KPA scaler, their defaults and their checks. Defaults are Knative's
 * (`config-autoscaler`; reference/knative-hpa.md A.1) except where an LLM server needs
 * otherwise, which is said on the field.
 * @module
 */
import { PrescaleError } from '../errors.js';
import { atLeast, bool, inRange, knownKeys, nonNegativeInt, oneOf, positive, replicaBounds } from '../validate.js';
import { panicWindowSeconds } from './panicWindow.js';

export type WindowAggregation = 'linear' | 'weighted-exponential';

export interface KpaConfig {
  /** Per-pod target of the metric (Knative `TargetValue`). Required, > 0. */
  targetValue: number;
  /** Per-pod capacity, used only for the excess burst capacity. Default: `targetValue`. */
  totalValue: number;
  /** Default 211 (Knative). 0 disables the burst check; −1 is unlimited. */
  targetBurstCapacity: number;
  /** Default 2 (Knative `panic-threshold-percentage` 200). Range [1.1, 10]. */
  panicThreshold: number;
  /** Default 60 s (Knative). Range [6, 3600]. */
  stableWindowSeconds: number;
  /** Panic window as a percentage of the stable window. Default 10 (Knative). Range [1, 100]. */
  panicWindowPercentage: number;
  /**
   * Width of the metric buckets in whole seconds. Default 1 (Knative's `BucketSize`).
   * Set it to the sampling period when samples arrive less often than every second,
   * or empty seconds count as zero load.
   */
  granularitySeconds: number;
  /** Default `linear` (Knative's default); or `weighted-exponential`. */
  aggregation: WindowAggregation;
  /** Default 1000 (Knative). Must be > 1. */
  maxScaleUpRate: number;
  /** Default 2 (Knative). Must be > 1. */
  maxScaleDownRate: number;
  /** Default 0 (Knative). Range [0, 3600]. */
  scaleDownDelaySeconds: number;
  /** Minimum non-zero scale; 0 (default) means unset. */
  activationScale: number;
  /** Default true. False: the target takes no traffic, so scale-down is not rate limited. */
  reachable: boolean;
  /**
   * Default 1. Knative's default is 0 (scale to zero), but an LLM replica takes minutes
   * to come back, so prescale keeps one unless told otherwise.
   */
  minReplicas: number;
  /** Required. */
  maxReplicas: number;
  /** Scale held until the target first has this many ready pods. Default 1 (Knative). */
  initialScale: number;
  /** With `minReplicas: 0`, how long zero must be wanted before scaling to it. Default 30 s (Knative). */
  scaleToZeroGracePeriodSeconds: number;
}

export type KpaConfigInput = Partial<KpaConfig> & Pick<KpaConfig, 'targetValue' | 'maxReplicas'>;

export const KPA_DEFAULTS = {
  targetBurstCapacity: 211,
  panicThreshold: 2,
  stableWindowSeconds: 60,
  panicWindowPercentage: 10,
  granularitySeconds: 1,
  aggregation: 'linear',
  maxScaleUpRate: 1000,
  maxScaleDownRate: 2,
  scaleDownDelaySeconds: 0,
  activationScale: 0,
  reachable: true,
  minReplicas: 1,
  initialScale: 1,
  scaleToZeroGracePeriodSeconds: 30,
} as const satisfies Partial<KpaConfig>;

const KPA_KEYS = [
  'targetValue', 'totalValue', 'maxReplicas', ...Object.keys(KPA_DEFAULTS),
] as const;

/**
 * Fills in defaults and checks every setting.
 * @throws PrescaleError naming the first bad field.
 */
export function kpaConfig(input: KpaConfigInput): KpaConfig {
  knownKeys('config', input, KPA_KEYS);
  const c = { ...KPA_DEFAULTS, totalValue: input.targetValue, ...input } as KpaConfig;
  positive('config.targetValue', c.targetValue, 'InvalidTarget');
  positive('config.totalValue', c.totalValue, 'InvalidTarget');
  if (c.targetBurstCapacity !== -1) atLeast('config.targetBurstCapacity', c.targetBurstCapacity, 0);
  inRange('config.panicThreshold', c.panicThreshold, 1.1, 10);
  inRange('config.stableWindowSeconds', c.stableWindowSeconds, 6, 3600);
  inRange('config.panicWindowPercentage', c.panicWindowPercentage, 1, 100);
  nonNegativeInt('config.granularitySeconds', c.granularitySeconds);
  positive('config.granularitySeconds', c.granularitySeconds);
  oneOf('config.aggregation', c.aggregation, ['linear', 'weighted-exponential'] as const);
  atLeast('config.maxScaleUpRate', c.maxScaleUpRate, 1, true);
  atLeast('config.maxScaleDownRate', c.maxScaleDownRate, 1, true);
  inRange('config.scaleDownDelaySeconds', c.scaleDownDelaySeconds, 0, 3600);
  nonNegativeInt('config.activationScale', c.activationScale);
  bool('config.reachable', c.reachable);
  const { minReplicas, maxReplicas } = replicaBounds(c.minReplicas, c.maxReplicas);
  nonNegativeInt('config.initialScale', c.initialScale);
  if (c.initialScale === 0 && minReplicas > 0) {
    throw new PrescaleError('InvalidConfig', 'config.initialScale', 0, 'may be 0 only with minReplicas 0');
  }
  if (c.activationScale > maxReplicas) {
    throw new PrescaleError('InvalidConfig', 'config.activationScale', c.activationScale, `must not exceed maxReplicas (${maxReplicas})`);
  }
  positive('config.scaleToZeroGracePeriodSeconds', c.scaleToZeroGracePeriodSeconds);
  const panic = panicWindowSeconds(c.stableWindowSeconds, c.panicWindowPercentage);
  if (panic < c.granularitySeconds) {
    throw new PrescaleError(
      'WindowShorterThanGranularity',
      'config.panicWindowPercentage',
      c.panicWindowPercentage,
      `gives a ${panic} s panic window, shorter than the ${c.granularitySeconds} s granularity`,
    );
  }
  return c;
}
