/**
 * Warnings that a configuration cannot meet the SLO, said plainly in the terminal, the
 * JSON and the report (docs/simulations.md, "The report"): the load needs more replicas
 * than `--max-replicas` allows, or the offline oracle (reference simulator.md §4.3),
 * which knows the whole load and orders every pod one cold start ahead, still missed
 * the SLO target. When the oracle misses it, no scaler can be expected to meet it, and
 * a table of every scaler at 85 % attainment should not be read as a ranking of
 * scalers.
 * @module
 */

/** The load's need above `--max-replicas` in some windows; null when the bound is never in the way. */
export function maxReplicasWarning(unboundedNeed: ArrayLike<number>, maxReplicas: number): { peakNeed: number; infeasibleWindows: number; warning: string | null } {
  let peakNeed = 0;
  let infeasible = 0;
  for (let w = 0; w < unboundedNeed.length; w++) {
    const n = unboundedNeed[w]!;
    if (n > peakNeed) peakNeed = n;
    if (n > maxReplicas) infeasible++;
  }
  const warning =
    infeasible === 0
      ? null
      : `The load needs up to ${peakNeed} replicas but --max-replicas is ${maxReplicas}: in ${infeasible} of ${unboundedNeed.length} windows ` +
        `(${((100 * infeasible) / unboundedNeed.length).toFixed(1)} %) no scaler can meet the SLO; raise --max-replicas to ${peakNeed} to make it possible.`;
  return { peakNeed, infeasibleWindows: infeasible, warning };
}

export interface OracleMiss {
  /** The oracle's share of requests within the SLO. */
  attainment: number;
  /** The share the capacity profile was measured for (`attainment`, 0.99 by default). */
  target: number;
  capacityRps: number;
  windowSeconds: number;
  /** The max-replicas bound was in the way somewhere (already warned). */
  boundedByMaxReplicas: boolean;
}

/** The warning when the oracle itself missed the SLO target; null when it met it. */
export function oracleMissWarning(o: OracleMiss): string | null {
  if (!(o.attainment < o.target)) return null;
  const pct = (v: number) => `${(100 * v).toFixed(2).replace(/\.?0+$/, '')} %`;
  const why = o.boundedByMaxReplicas
    ? 'Part of the reason is --max-replicas (the warning before this one).'
    : `It plans, for each ${o.windowSeconds} s window, the replicas that serve that window's arrivals at ${o.capacityRps.toFixed(3)} requests/s each ` +
      "(the capacity measured for the token lengths and the SLO); bursts shorter than a window, or requests longer than the profile's, overload them.";
  return (
    `The SLO cannot be met with this configuration: even the oracle, which knows the whole load in advance and orders every pod one cold start ahead, ` +
    `kept only ${pct(o.attainment)} of requests within the SLO (target ${pct(o.target)}), so no scaler can be expected to do better. ${why} ` +
    'Read the table against the oracle rather than against the target.'
  );
}

/**
 * With `--min-replicas 0`, the scalers that cannot wake a model at zero: the HPA stops
 * scaling at 0 replicas (`ScalingDisabled`, as upstream) and the APA reads per-pod
 * means, which a model without pods does not have. Only the KPA (and the predictive
 * blend over it) reads the activator's queue. Null when none is asked for.
 */
export function scaleFromZeroWarning(minReplicas: number, scalers: readonly string[]): string | null {
  if (minReplicas !== 0) return null;
  const stuck = scalers.filter((s) => /^(hpa|apa)(:|$)/.test(s));
  if (stuck.length === 0) return null;
  return `--min-replicas 0: ${stuck.join(', ')} cannot wake a model at zero (the HPA stops at 0 replicas; the APA reads per-pod metrics, and there are no pods); only kpa and predictive see the activator's queue.`;
}
