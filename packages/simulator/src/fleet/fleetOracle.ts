/**
 * The offline oracle of a heterogeneous fleet (issue 19 item 4; docs/optimizer.md
 * "Simulating a fleet"), by analogy with the single-type oracle (reference simulator.md
 * §4.3, `oracle.ts`): knowing every window's requests, it solves the Mélange program on
 * each window's own demand mix (the need of each GPU type in that window, hindsight
 * instead of a recent window), then gives each type the single-type oracle's schedule
 * for that need curve (a window keeps the previous window's mix while it covers the
 * window within the optimizer's `switchTolerance`, as the scaler does) — the cheapest ready counts covering it, given the cold start,
 * ordered one cold start ahead. The fleet is never empty: a window whose solution has no
 * replica gets one of the fallback type (`defaultFallbackType`).
 *
 * It is a bound of the same kind as the single-type oracle's, not a proven optimum of
 * the whole schedule: each window's mix is the cheapest for that window, and a mix that
 * changes type between windows pays both types' cold starts.
 * @module
 */
import { defaultFallbackType, demandFromRequests, FLEET_SCALER_DEFAULTS, type MipSolver, mixCovers, optimizeAllocation, type OptimizerConfig } from '@prescale/core';
import { oracleScheduleForNeed, type OracleSchedule } from '../oracle/oracle.js';

/** Per window: the lengths of the requests that arrived in it. */
export type FleetOracleWindows = ReadonlyArray<{ inputs: ArrayLike<number>; outputs: ArrayLike<number> }>;

export interface FleetOracleInput {
  config: OptimizerConfig;
  windows: FleetOracleWindows;
  windowSeconds: number;
  /** Ready replicas of each type at time 0, in the config's type order. */
  initialReplicas: readonly number[];
  /** Per type: the most replicas its schedule may hold. */
  maxReplicas: readonly number[];
  leadWindows: number;
  /** GPU-seconds billed while a pod starts (the mean cold start). */
  setupSeconds: number;
}

export interface FleetOracle {
  /** Per type, in the config's order: the need curve and its schedule. */
  schedules: OracleSchedule[];
  /** Per window, what the solve cost, US dollars per hour (the fleet's need priced). */
  costPerHourByWindow: Float64Array;
  /** Windows whose demand the fleet's bounds could not cover. */
  partiallyCovered: number;
}

/** Each type's replicas needed per window, solved on the window's own requests (before the per-type maxima of the schedule). */
export function fleetNeed(
  config: OptimizerConfig,
  windows: FleetOracleInput['windows'],
  windowSeconds: number,
  solver: MipSolver,
  switchTolerance = FLEET_SCALER_DEFAULTS.switchTolerance,
): { need: Int32Array[]; costPerHour: Float64Array; partiallyCovered: number } {
  const grid = { inputTicks: config.inputTicks, outputTicks: config.outputTicks };
  const need = config.types.map(() => new Int32Array(windows.length));
  const costPerHour = new Float64Array(windows.length);
  const fallback = config.types.findIndex((t) => t.name === defaultFallbackType(config));
  let partiallyCovered = 0;
  windows.forEach((w, k) => {
    const demand = demandFromRequests(grid, w, windowSeconds);
    const d = optimizeAllocation(config, { demand }, solver);
    if (d.status === 'PartiallyCovered') partiallyCovered++;
    let replicas = d.replicas;
    // As the optimizer scaler does: the previous window's mix stays while it covers this window within the tolerance.
    if (k > 0 && switchTolerance > 0 && (d.status === 'Optimal' || d.status === 'Feasible')) {
      const previous = Object.fromEntries(config.types.map((t, j) => [t.name, need[j]![k - 1]!]));
      const kept = mixCovers(config, previous, demand, solver);
      if (kept !== null && kept.costPerHour <= (1 + switchTolerance) * d.costPerHour + 1e-9) replicas = kept.replicas;
    }
    let total = 0;
    config.types.forEach((t, j) => {
      need[j]![k] = replicas[t.name] ?? 0;
      total += need[j]![k]!;
    });
    if (total === 0) need[fallback]![k] = 1;
    costPerHour[k] = config.types.reduce((s, t, j) => s + t.costPerHour * need[j]![k]!, 0);
  });
  return { need, costPerHour, partiallyCovered };
}

/** The per-type schedules for a fleet need (`fleetNeed`, solved once). */
export function fleetOracle(o: Omit<FleetOracleInput, 'config' | 'windows'>, solved: ReturnType<typeof fleetNeed>): FleetOracle {
  const { need, costPerHour, partiallyCovered } = solved;
  const schedules = need.map((n, j) =>
    oracleScheduleForNeed(n, {
      windowSeconds: o.windowSeconds,
      minReplicas: 0,
      maxReplicas: o.maxReplicas[j]!,
      initialReplicas: o.initialReplicas[j]!,
      leadWindows: o.leadWindows,
      setupSeconds: o.setupSeconds,
    }),
  );
  return { schedules, costPerHourByWindow: costPerHour, partiallyCovered };
}
