/**
 * The optimizer as a scaler of a heterogeneous fleet (issue 19 items 4–5; reference
 * aibrix.md §5.3–5.4): one shared decision — the Mélange solve over the recent load
 * shape — gives a replica target per GPU type, and each type's deployment scales to it.
 * AIBrix feeds its solution to one KPA per deployment as a metric, whose 5-minute
 * stable window and scale-down delay smooth it; here the smoothing is explicit and
 * lives in a plain-data state: a type's target is the highest recommendation of the last
 * `stabilizationSeconds` (Kubernetes' scale-down stabilisation, reference knative-hpa.md
 * B.3), so a type scales up at once and down only after its demand stayed low.
 *
 * Two more rules keep the fleet from paying for the solve's indifference: the current
 * mix is kept while it covers the demand at a price within `switchTolerance` of the
 * optimum's, and no type scales down while another type still waits for replicas to
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
import type { DemandMix } from './loadShape.js';
import type { MipSolver } from './mipModel.js';
import { optimizeAllocation, type OptimizerInput } from './optimize.js';
import type { OptimizerConfig } from './optimizerConfig.js';

export interface FleetScalerSettings {
  /** A type's target is the highest recommendation over this many seconds (scale-down stabilisation). */
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
  /** Recent recommendations, oldest first, within the stabilisation window. */
  recommendations: Array<{ atMs: number; replicas: Record<string, number> }>;
}

export interface FleetDecision {
  /** Target replicas per GPU type, integers within each type's bounds. */
  replicas: Record<string, number>;
  /** The solve's own recommendation (before stabilisation and the minimum). */
  recommended: Record<string, number>;
  /** Types held above their recommendation by the stabilisation window. */
  stabilized: string[];
  /** The current mix was kept: it covers the demand within `switchTolerance` of the optimum's price. */
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
  return { recommendations: [] };
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
 * One decision for the whole fleet at `input.now` (epoch ms): solve for the demand (or
 * take a decision already made, e.g. one optimised for a forecast), stabilise each
 * type's scale-down, keep the fleet's minimum. Deterministic; never throws for bad
 * demand or a failing solver (settings are checked and throw `PrescaleError`).
 */
export function fleetStep(
  config: OptimizerConfig,
  settings: FleetScalerSettings,
  state: FleetScalerState,
  input: OptimizerInput & { now: number; /** Ready replicas per type (make before break); default: all of `current`. */ ready?: Readonly<Record<string, number>> },
  solver: MipSolver,
  solved?: AllocationDecision,
): { state: FleetScalerState; decision: FleetDecision } {
  checkSettings(config, settings);
  const allocation = solved ?? optimizeAllocation(config, input, solver);
  let recommended: Record<string, number> = { ...allocation.replicas };
  const current = input.current;
  let keptCurrentMix = false;
  if (current !== undefined && settings.switchTolerance > 0 && (allocation.status === 'Optimal' || allocation.status === 'Feasible')) {
    const kept = mixCovers(config, current, input.demand, solver);
    if (kept !== null && kept.costPerHour <= (1 + settings.switchTolerance) * allocation.costPerHour + 1e-9 && !sameReplicas(kept.replicas, recommended)) {
      recommended = kept.replicas;
      keptCurrentMix = true;
    }
  }
  const now = Number.isFinite(input.now) ? input.now : (state.recommendations.at(-1)?.atMs ?? 0);
  const horizon = now - settings.stabilizationSeconds * 1000;
  const kept = state.recommendations.filter((r) => r.atMs > horizon && r.atMs <= now);
  const replicas: Record<string, number> = {};
  const stabilized: string[] = [];
  for (const t of config.types) {
    let v = recommended[t.name] ?? t.minReplicas;
    for (const r of kept) {
      const past = r.replicas[t.name] ?? 0;
      if (past > v) v = past;
    }
    v = Math.min(t.maxReplicas, Math.max(t.minReplicas, v));
    if (v > (recommended[t.name] ?? 0)) stabilized.push(t.name);
    replicas[t.name] = v;
  }
  const waitingForReady: string[] = [];
  if (current !== undefined) {
    for (const t of config.types) {
      const now = current[t.name] ?? 0;
      const ready = input.ready?.[t.name] ?? now;
      if (replicas[t.name]! > now || ready < Math.min(now, replicas[t.name]!)) waitingForReady.push(t.name);
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
  const next: FleetScalerState = { recommendations: [...kept, { atMs: now, replicas: recommended }] };
  const parts = config.types.filter((t) => replicas[t.name]! > 0).map((t) => `${replicas[t.name]} ${t.name}`);
  const why = [
    allocation.status,
    ...(keptCurrentMix ? [`current mix kept (within ${Math.round(settings.switchTolerance * 100)} % of $${allocation.costPerHour.toFixed(2)}/h)`] : []),
    ...(waitingForReady.length > 0 ? [`no scale-down while ${waitingForReady.join(', ')} wait for ready replicas`] : []),
    ...(stabilized.length > 0 ? [`held up by the ${settings.stabilizationSeconds} s window: ${stabilized.join(', ')}`] : []), ...(minimumAdded ? [`minimum fleet: +${minimumAdded.replicas} ${minimumAdded.type}`] : []),
  ];
  const message = `${parts.length > 0 ? parts.join(' + ') : 'no replicas'} for ${allocation.demandRps.toFixed(2)} req/s (${why.join('; ')})`;
  return { state: next, decision: { replicas, recommended, stabilized, keptCurrentMix, waitingForReady, minimumAdded, allocation, message } };
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
