/**
 * Kubernetes' tolerance band (`Tolerances.isWithin`, replica_calculator.go; reference
 * B.3): a usage ratio r is "close enough" when `1 − scaleDown ≤ r ≤ 1 + scaleUp`.
 * @module
 */
import type { Tolerances } from './types.js';

export const DEFAULT_TOLERANCE = 0.1;

export function isWithinTolerance(ratio: number, tolerances: Tolerances): boolean {
  return 1 - tolerances.scaleDown <= ratio && ratio <= 1 + tolerances.scaleUp;
}
