/**
 * The optimizer as a scaler of a heterogeneous fleet (issue 19 items 4–5; reference
 * aibrix.md §5.3–5.4): one shared decision — the Mélange solve over the recent load
 * shape — gives a replica target per GPU type, and each type's deployment scales to it.
 * AIBrix feeds its solution to one KPA per deployment as a metric, whose 5-minute
 * stable window and scale-down delay smooth it; here the smoothing is explicit and
 * lives in a plain-data state, and it acts on the demand, not on each type's count:
 * the mix is solved at the highest total rate of the last `stabilizationSeconds`
 * (Kubernetes' scale-down stabilisation, reference knative-hpa.md B.3, on the load),
 * so the fleet grows at once and shrinks only after the load stayed low, and every
 * target is one coherent mix (a per-type maximum over past solutions would keep the
 * union of mixes that trade places). With the predictive blend the rate is also raised
 * to the forecast's upper quantile over the lead time (`input.forecastRps`), so capacity
 * of the right type is ordered before the peak; prediction only adds.
 *
 * The mix of lengths may come from a longer window than the rate (`input.shape`): a few
 * minutes of requests give a noisy mix, and each change of mix is a cold start, while
 * the rate must follow the load. Two more rules keep the fleet from paying for the
 * solve's indifference between mixes of nearly equal price: the current mix is kept
 * while it covers the demand at a price within `switchTolerance` of the optimum's (or
 * while its pods are still starting), and no type scales down while another type still waits for replicas to
 * become ready (make before break: `input.ready`), so capacity moved from one type to
 * another is never missing in between.
 *
 * A fleet is never left empty by the solve: when the total is below `minTotalReplicas`
 * (no demand in the window, or a decision that held nothing), the remainder goes to the
 * `fallbackType` — by default the cheapest type whose profile serves the most buckets.
 * An unusable demand or a failed solve keeps what `optimizeAllocation` keeps (the
 * current replicas, or the greedy allocation) and says so in the decision.
 * @module
 */
import { PrescaleError } from '../errors.js';
import type { AllocationDecision } from './allocationDecision.js';
import { demandAtRate } from './forecastDemand.js';
import type { DemandMix } from './loadShape.js';
import type { MipSolver } from './mipModel.js';
import { optimizeAllocation, type OptimizerInput } from './optimize.js';
import type { OptimizerConfig } from './optimizerConfig.js';

export interface FleetScalerSettings {
  /** The mix is solved at the highest total rate seen over this many seconds (scale-down stabilisation). */
  stabilizationSeconds: number;
  /** The fleet's total never goes below this (default 1: never scale the fleet to zero). */
  minTotalReplicas: number;
  /** Where the replicas `minTotalReplicas` adds go; default {@link defaultFallbackType}. */
  fallbackType?: string;
  /**
   * Keep the current mix while it covers the demand and costs at most (1 + this) × the
   * optimum: two mixes of nearly equal price (2 A100 or 1 H100) would otherwise trade
   * places on every small change of the load, each trade a cold start. 0: always switch.
   */
  switchTolerance: number;
}

export const FLEET_SCALER_DEFAULTS: FleetScalerSettings = { stabilizationSeconds: 300, minTotalReplicas: 1, switchTolerance: 0.15 };

/** Plain data: survives `JSON.stringify`. */
export interface FleetScalerState {
  /** Recent observed total rates (req/s), oldest first, within the stabilisation window. */
  rates: Array<{ atMs: number; rps: number }>;
}

export interface FleetDecision {
  /** Target replicas per GPU type, integers within each type's bounds. */
  replicas: Record<string, number>;
  /** The solve's own recommendation (or the kept mix), before make-before-break and the minimum. */
  recommended: Record<string, number>;
  /** The total rate solved for, req/s, and where it came from. */
  rate: { observedRps: number; solvedRps: number; source: 'observed' | 'stabilized' | 'forecast' };
  /** The current mix was kept: it covers the demand within `switchTolerance` of the optimum's price, or its pods are still starting. */
  keptCurrentMix: boolean;
  /** Scale-down deferred because these types still wait for replicas to become ready (make before break). */
  waitingForReady: string[];
  /** Replicas added to reach `minTotalReplicas`, and to which type. */
  minimumAdded: { type: string; replicas: number } | null;
  allocation: AllocationDecision;
  /** One line: the targets and why. */
  message: string;
}

export function initialFleetState(): FleetScalerState {
  return { rates: [] };
}

/** The cheapest type among those whose profile serves the most buckets of the grid. */
export function defaultFallbackType(config: OptimizerConfig): string {
  let best = config.types[0]!;
  let bestServed = -1;
  for (const t of config.types) {
    if (t.maxReplicas === 0) continue;
    let served = 0;
    for (const row of t.tputs) for (const v of row) if (v > 0) served++;
    if (served > bestServed || (served === bestServed && t.costPerHour < best.costPerHour)) {
      best = t;
      bestServed = served;
    }
  }
  return best.name;
}

function checkSettings(config: OptimizerConfig, s: FleetScalerSettings): void {
  if (!(s.stabilizationSeconds >= 0 && s.stabilizationSeconds < Infinity)) {
    throw new PrescaleError('InvalidConfig', 'stabilizationSeconds', s.stabilizationSeconds, 'must be a non-negative number of seconds');
  }
  if (!Number.isSafeInteger(s.minTotalReplicas) || s.minTotalReplicas < 0) {
    throw new PrescaleError('InvalidConfig', 'minTotalReplicas', s.minTotalReplicas, 'must be a non-negative integer');
  }
  if (!(s.switchTolerance >= 0 && s.switchTolerance < Infinity)) {
    throw new PrescaleError('InvalidConfig', 'switchTolerance', s.switchTolerance, 'must be a non-negative number');
  }
  if (s.fallbackType !== undefined && !config.types.some((t) => t.name === s.fallbackType)) {
    throw new PrescaleError('InvalidConfig', 'fallbackType', s.fallbackType, `names no GPU type of the fleet (${config.types.map((t) => t.name).join(', ')})`);
  }
}

/**
 * One decision for the whole fleet at `input.now` (epoch ms): solve for the demand at
 * the stabilised (or forecast) rate, keep a covering mix near the optimum's price, defer
 * scale-down while replicas are starting, keep the fleet's minimum. Deterministic;
 * never throws for bad demand or a failing solver (settings are checked and throw
 * `PrescaleError`).
 */
export function fleetStep(
  config: OptimizerConfig,
  settings: FleetScalerSettings,
  state: FleetScalerState,
  input: OptimizerInput & {
    now: number;
    /** Ready replicas per type (make before break); default: all of `current`. */
    ready?: Readonly<Record<string, number>>;
    /** The predictive blend's upper-quantile rate over the lead time, req/s; null or absent: none. */
    forecastRps?: number | null;
    /** The mix of lengths to spread the rate over (a longer window's); default `demand`'s own. */
    shape?: DemandMix;
  },
  solver: MipSolver,
): { state: FleetScalerState; decision: FleetDecision } {
  checkSettings(config, settings);
  const now = Number.isFinite(input.now) ? input.now : (state.rates.at(-1)?.atMs ?? 0);
  const observedRps = input.demand.totalRps >= 0 && input.demand.totalRps < Infinity ? input.demand.totalRps : 0;
  const kept = state.rates.filter((r) => r.atMs > now - settings.stabilizationSeconds * 1000 && r.atMs <= now);
  let solvedRps = observedRps;
  let source: FleetDecision['rate']['source'] = 'observed';
  for (const r of kept) {
    if (r.rps > solvedRps) {
      solvedRps = r.rps;
      source = 'stabilized';
    }
  }
  const forecast = input.forecastRps;
  if (forecast !== undefined && forecast !== null && forecast > solvedRps && forecast < Infinity) {
    solvedRps = forecast;
    source = 'forecast';
  }
  const shape = input.shape !== undefined && input.shape.totalRps > 0 ? input.shape : input.demand;
  const demand = shape !== input.demand || solvedRps > observedRps ? (demandAtRate(shape, solvedRps) ?? input.demand) : input.demand;
  const allocation = optimizeAllocation(config, { ...input, demand }, solver);
  let recommended: Record<string, number> = { ...allocation.replicas };
  const current = input.current;
  let keptCurrentMix = false;
  const starting = current !== undefined && config.types.some((t) => (input.ready?.[t.name] ?? current[t.name] ?? 0) < (current[t.name] ?? 0));
  if (current !== undefined && settings.switchTolerance > 0 && (allocation.status === 'Optimal' || allocation.status === 'Feasible')) {
    const near = (cost: number) => cost <= (1 + settings.switchTolerance) * allocation.costPerHour + 1e-9;
    const mix = mixCovers(config, current, demand, solver);
    // It covers the demand: keep it if near the optimum's price, or while its pods are still starting (no reshuffle mid-way).
    if (mix !== null && (near(mix.costPerHour) || starting) && !sameReplicas(mix.replicas, recommended)) {
      recommended = mix.replicas;
      keptCurrentMix = true;
    }
  }
  const replicas: Record<string, number> = {};
  for (const t of config.types) replicas[t.name] = Math.min(t.maxReplicas, Math.max(t.minReplicas, recommended[t.name] ?? t.minReplicas));
  const waitingForReady: string[] = [];
  if (current !== undefined) {
    for (const t of config.types) {
      const have = current[t.name] ?? 0;
      const ready = input.ready?.[t.name] ?? have;
      if (replicas[t.name]! > have || ready < Math.min(have, replicas[t.name]!)) waitingForReady.push(t.name);
    }
    if (waitingForReady.length > 0) {
      for (const t of config.types) replicas[t.name] = Math.max(replicas[t.name]!, Math.min(t.maxReplicas, Math.max(0, Math.floor(current[t.name] ?? 0))));
    }
  }
  let total = 0;
  for (const t of config.types) total += replicas[t.name]!;
  let minimumAdded: FleetDecision['minimumAdded'] = null;
  if (total < settings.minTotalReplicas) {
    const name = settings.fallbackType ?? defaultFallbackType(config);
    const type = config.types.find((t) => t.name === name)!;
    const add = Math.min(settings.minTotalReplicas - total, type.maxReplicas - replicas[name]!);
    if (add > 0) {
      replicas[name] = replicas[name]! + add;
      minimumAdded = { type: name, replicas: add };
    }
  }
  const next: FleetScalerState = { rates: [...kept, { atMs: now, rps: observedRps }] };
  const parts = config.types.filter((t) => replicas[t.name]! > 0).map((t) => `${replicas[t.name]} ${t.name}`);
  const why = [
    allocation.status,
    ...(source !== 'observed' ? [`${source === 'forecast' ? 'forecast' : `highest of the last ${settings.stabilizationSeconds} s`}: ${solvedRps.toFixed(2)} req/s`] : []),
    ...(keptCurrentMix ? [`current mix kept (${starting ? 'pods still starting' : `within ${Math.round(settings.switchTolerance * 100)} % of $${allocation.costPerHour.toFixed(2)}/h`})`] : []),
    ...(waitingForReady.length > 0 ? [`no scale-down while ${waitingForReady.join(', ')} wait for ready replicas`] : []),
    ...(minimumAdded ? [`minimum fleet: +${minimumAdded.replicas} ${minimumAdded.type}`] : []),
  ];
  const message = `${parts.length > 0 ? parts.join(' + ') : 'no replicas'} for ${observedRps.toFixed(2)} req/s (${why.join('; ')})`;
  return {
    state: next,
    decision: { replicas, recommended, rate: { observedRps, solvedRps, source }, keptCurrentMix, waitingForReady, minimumAdded, allocation, message },
  };
}

function sameReplicas(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  return Object.keys({ ...a, ...b }).every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}

/** These replicas (within bounds), and their price, if they cover the demand: the program solved with every type fixed at its count; null if they do not. */
export function mixCovers(config: OptimizerConfig, current: Readonly<Record<string, number>>, demand: DemandMix, solver: MipSolver): { replicas: Record<string, number>; costPerHour: number } | null {
  const replicas: Record<string, number> = {};
  const types = config.types.map((t) => {
    const v = current[t.name];
    const n = v !== undefined && Number.isSafeInteger(v) ? Math.min(t.maxReplicas, Math.max(t.minReplicas, v)) : t.minReplicas;
    replicas[t.name] = n;
    return { ...t, minReplicas: n, maxReplicas: n };
  });
  const fixed = optimizeAllocation({ ...config, types }, { demand }, solver);
  if (fixed.uncoveredRps > 1e-9 || !(fixed.status === 'Optimal' || fixed.status === 'Feasible' || fixed.status === 'NoDemand')) return null;
  return { replicas, costPerHour: config.types.reduce((s, t) => s + t.costPerHour * replicas[t.name]!, 0) };
}

