/**
 * From forecast load to replicas (reference predictive.md §10.1; AWS's "inferred
 * required capacity", §3): the replicas needed to serve `requestsPerSecond` when one
 * replica serves `capacityPerReplica` at `targetUtilization`.
 * @module
 */
import { MAX_INT32 } from '../goMath.js';

/**
 * ceil(load / (capacity × utilization)); a hair of rounding slack so 10.000000001 is 10.
 * Always an integer in [0, MAX_INT32] (a replica count is an int32 in Kubernetes): a
 * load that needs more saturates there, and a load that is not a number needs none.
 */
export function replicasForLoad(requestsPerSecond: number, capacityPerReplica: number, targetUtilization: number): number {
  const exact = requestsPerSecond / (capacityPerReplica * targetUtilization);
  if (!(exact > 0)) return 0;
  return exact >= MAX_INT32 ? MAX_INT32 : Math.max(0, Math.ceil(exact - 1e-9));
}
