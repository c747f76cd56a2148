/**
 * Knative's excess burst capacity (reference/knative-hpa.md A.3, autoscaler.go L285-292):
 * how much headroom the ready pods have beyond the burst the user wants absorbed,
 * `floor(readyPods × totalValue − targetBurstCapacity − panicValue)`. Negative means a
 * burst of `targetBurstCapacity` could not be served by the pods already running.
 * `targetBurstCapacity` 0 gives 0; −1 (unlimited) gives −1.
 * @module
 */
import { int32 } from '../goMath.js';

export function excessBurstCapacity(
  readyPods: number,
  totalValue: number,
  targetBurstCapacity: number,
  panicValue: number,
): number {
  if (targetBurstCapacity === 0) return 0;
  if (targetBurstCapacity < 0) return -1;
  return int32(Math.floor(readyPods * totalValue - targetBurstCapacity - panicValue));
}
