/**
 * From forecast load to replicas (reference predictive.md §10.1; AWS's "inferred
 * required capacity", §3): the replicas needed to serve `requestsPerSecond` when one
 * replica serves `capacityPerReplica` at `targetUtilization`.
 * @module
 */

/** ceil(load / (capacity × utilization)); a hair of rounding slack so 10.000000001 is 10. */
export function replicasForLoad(requestsPerSecond: number, capacityPerReplica: number, targetUtilization: number): number {
  const exact = requestsPerSecond / (capacityPerReplica * targetUtilization);
  return Math.max(0, Math.ceil(exact - 1e-9));
}
