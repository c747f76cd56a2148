/**
 * Settings of the APA scaler with AIBrix HEAD's defaults (reference/aibrix.md 2.9).
 * @module
 */
import { atLeast, inRange, knownKeys, nonNegative, positive, replicaBounds } from '../validate.js';

export interface ApaConfig {
  /** Per-pod target of the metric. Required, > 0. */
  targetValue: number;
  /** Scale up only when the ratio exceeds 1 + this. Default 0.1. */
  upFluctuationTolerance: number;
  /** Scale down only when the ratio falls below 1 − this. Default 0.1. */
  downFluctuationTolerance: number;
  /** At most `ceil(rate × n)` replicas after one step. Default 2. */
  maxScaleUpRate: number;
  /** At least `floor(n / rate)` replicas after one step. Default 2. */
  maxScaleDownRate: number;
  /** The metric is averaged over this window (AIBrix `observeWindowSeconds`). Default 180. */
  windowSeconds: number;
  /** Scale up only to the lowest recommendation of this window. Default 0 (AIBrix). */
  scaleUpCooldownSeconds: number;
  /** Scale down only to the highest recommendation of this window. Default 300 (AIBrix). */
  scaleDownCooldownSeconds: number;
  /** Default 1 (AIBrix). */
  minReplicas: number;
  maxReplicas: number;
}

export type ApaConfigInput = Partial<ApaConfig> & Pick<ApaConfig, 'targetValue' | 'maxReplicas'>;

export const APA_DEFAULTS = {
  upFluctuationTolerance: 0.1,
  downFluctuationTolerance: 0.1,
  maxScaleUpRate: 2,
  maxScaleDownRate: 2,
  windowSeconds: 180,
  scaleUpCooldownSeconds: 0,
  scaleDownCooldownSeconds: 300,
  minReplicas: 1,
} as const satisfies Partial<ApaConfig>;

const APA_KEYS = ['targetValue', 'maxReplicas', ...Object.keys(APA_DEFAULTS)];

/** @throws PrescaleError naming the first bad field. */
export function apaConfig(input: ApaConfigInput): ApaConfig {
  knownKeys('config', input, APA_KEYS);
  const c = { ...APA_DEFAULTS, ...input } as ApaConfig;
  positive('config.targetValue', c.targetValue, 'InvalidTarget');
  nonNegative('config.upFluctuationTolerance', c.upFluctuationTolerance);
  inRange('config.downFluctuationTolerance', c.downFluctuationTolerance, 0, 1);
  atLeast('config.maxScaleUpRate', c.maxScaleUpRate, 1, true);
  atLeast('config.maxScaleDownRate', c.maxScaleDownRate, 1, true);
  inRange('config.windowSeconds', c.windowSeconds, 1, 3600);
  inRange('config.scaleUpCooldownSeconds', c.scaleUpCooldownSeconds, 0, 3600);
  inRange('config.scaleDownCooldownSeconds', c.scaleDownCooldownSeconds, 0, 3600);
  replicaBounds(c.minReplicas, c.maxReplicas);
  return c;
}
