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
 * A fleet is never left empty by the solve: when the total is below `minTotalReplicas`
 * (no demand in the window, or a decision that held nothing), the remainder goes to the
 * `fallbackType` — by default the cheapest type whose profile serves the most buckets.
 * An unusable demand or a failed solve keeps what `optimizeAllocation` keeps (the
 * current replicas, or the greedy allocation) and says so in the decision.
 * @module
 */
import { PrescaleError } from '../errors.js';
import type { AllocationDecision } from './allocationDecision.js';
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
}

export const FLEET_SCALER_DEFAULTS: FleetScalerSettings = { stabilizationSeconds: 300, minTotalReplicas: 1 };

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
  input: OptimizerInput & { now: number },
  solver: MipSolver,
  solved?: AllocationDecision,
): { state: FleetScalerState; decision: FleetDecision } {
  checkSettings(config, settings);
  const allocation = solved ?? optimizeAllocation(config, input, solver);
  const recommended: Record<string, number> = { ...allocation.replicas };
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
  const why = [allocation.status, ...(stabilized.length > 0 ? [`held up by the ${settings.stabilizationSeconds} s window: ${stabilized.join(', ')}`] : []), ...(minimumAdded ? [`minimum fleet: +${minimumAdded.replicas} ${minimumAdded.type}`] : [])];
  const message = `${parts.length > 0 ? parts.join(' + ') : 'no replicas'} for ${allocation.demandRps.toFixed(2)} req/s (${why.join('; ')})`;
  return { state: next, decision: { replicas, recommended, stabilized, minimumAdded, allocation, message } };
}
