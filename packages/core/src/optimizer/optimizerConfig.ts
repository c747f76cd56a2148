/**
 * The optimizer's settings (docs/optimizer.md "Settings"): the fleet (one throughput
 * profile per GPU type, its price and replica bounds), the headroom, how a bucket may be
 * split across types, and the solver's limits. Checked once, like the scalers' configs:
 * anything malformed is a `PrescaleError` naming the field.
 * @module
 */
import { PrescaleError } from '../errors.js';
import { knownKeys, nonNegative, nonNegativeInt } from '../validate.js';
import type { MipLimits } from './mipModel.js';
import { profileGrid, sameGrid, type ThroughputProfile, type TokenGrid } from './throughputProfile.js';

/** One GPU type of the fleet. */
export interface FleetType {
  name: string;
  /** US dollars per replica-hour. */
  costPerHour: number;
  minReplicas: number;
  maxReplicas: number;
  /** Max req/s per replica, `[output tick][input tick]`; 0 = cannot serve. */
  tputs: readonly (readonly number[])[];
}

export interface OptimizerConfig extends TokenGrid {
  types: FleetType[];
  /** Demand is multiplied by 1 + headroom before it is covered (Mélange over-provisions by inflating the rate). */
  headroom: number;
  /**
   * null: a bucket's rate may be split across types in any proportion (the default;
   * the limit of Mélange's slices as their number grows). S ≥ 1: Mélange's and AIBrix's
   * formulation, each bucket cut into S equal slices, each slice on one type (AIBrix: 4).
   */
  slices: number | null;
  limits: MipLimits;
}

export interface OptimizerConfigInput {
  /** One profile per GPU type, all on the same token grid; the type's name is the profile's `gpu`. */
  profiles: readonly ThroughputProfile[];
  /** US dollars per replica-hour by type, overriding the profiles' `cost`. */
  costs?: Readonly<Record<string, number>>;
  /** Replica bounds by type; default 0 to {@link DEFAULT_MAX_REPLICAS}. */
  bounds?: Readonly<Record<string, { min?: number; max?: number }>>;
  headroom?: number;
  slices?: number | null;
  maxNodes?: number;
  timeLimitSeconds?: number | null;
  relativeGap?: number;
}

/** The default upper bound of each type's replicas. */
export const DEFAULT_MAX_REPLICAS = 1000;

export const OPTIMIZER_DEFAULTS = {
  headroom: 0,
  slices: null,
  maxNodes: 100_000,
  timeLimitSeconds: null,
  relativeGap: 0,
} as const;

const KEYS = ['profiles', 'costs', 'bounds', 'headroom', 'slices', 'maxNodes', 'timeLimitSeconds', 'relativeGap'] as const;

export function optimizerConfig(input: OptimizerConfigInput): OptimizerConfig {
  knownKeys('config', input, KEYS);
  const profiles = input.profiles;
  if (!Array.isArray(profiles) || profiles.length === 0) {
    throw new PrescaleError('InvalidConfig', 'config.profiles', profiles, 'must hold at least one GPU type profile');
  }
  const grid = profileGrid(profiles[0]!);
  const names = new Set<string>();
  const types: FleetType[] = profiles.map((p, k) => {
    if (!sameGrid(grid, profileGrid(p))) {
      throw new PrescaleError('InvalidConfig', `config.profiles[${k}].indexes`, p.indexes, `must match the first profile's token ticks (${profiles[0]!.gpu}); every type of a model is profiled on one grid`);
    }
    if (names.has(p.gpu)) throw new PrescaleError('InvalidConfig', `config.profiles[${k}].gpu`, p.gpu, 'names a GPU type twice');
    names.add(p.gpu);
    const cost = input.costs?.[p.gpu] ?? p.cost;
    if (!(cost > 0 && cost < Infinity)) throw new PrescaleError('InvalidConfig', `config.costs.${p.gpu}`, cost, 'must be a positive, finite price per hour');
    const b = input.bounds?.[p.gpu] ?? {};
    knownKeys(`config.bounds.${p.gpu}`, b, ['min', 'max']);
    const minReplicas = nonNegativeInt(`config.bounds.${p.gpu}.min`, b.min ?? 0);
    const maxReplicas = nonNegativeInt(`config.bounds.${p.gpu}.max`, b.max ?? DEFAULT_MAX_REPLICAS);
    if (minReplicas > maxReplicas) {
      throw new PrescaleError('InvalidConfig', `config.bounds.${p.gpu}.min`, minReplicas, `must not exceed max (${maxReplicas})`);
    }
    return { name: p.gpu, costPerHour: cost, minReplicas, maxReplicas, tputs: p.tputs };
  });
  for (const [field, record] of [['costs', input.costs], ['bounds', input.bounds]] as const) {
    for (const name of Object.keys(record ?? {})) {
      if (!names.has(name)) throw new PrescaleError('InvalidConfig', `config.${field}.${name}`, name, `names no GPU type of the fleet (${[...names].join(', ')})`);
    }
  }
  const slices = input.slices ?? OPTIMIZER_DEFAULTS.slices;
  if (slices !== null && (!Number.isSafeInteger(slices) || slices < 1 || slices > 64)) {
    throw new PrescaleError('InvalidConfig', 'config.slices', slices, 'must be null (split freely) or an integer from 1 to 64');
  }
  const maxNodes = nonNegativeInt('config.maxNodes', input.maxNodes ?? OPTIMIZER_DEFAULTS.maxNodes);
  const timeLimitSeconds = input.timeLimitSeconds ?? OPTIMIZER_DEFAULTS.timeLimitSeconds;
  if (timeLimitSeconds !== null && !(timeLimitSeconds > 0 && timeLimitSeconds < Infinity)) {
    throw new PrescaleError('InvalidConfig', 'config.timeLimitSeconds', timeLimitSeconds, 'must be null (none) or a positive number of seconds');
  }
  const relativeGap = nonNegative('config.relativeGap', input.relativeGap ?? OPTIMIZER_DEFAULTS.relativeGap);
  return {
    inputTicks: [...grid.inputTicks],
    outputTicks: [...grid.outputTicks],
    types,
    headroom: nonNegative('config.headroom', input.headroom ?? OPTIMIZER_DEFAULTS.headroom),
    slices,
    limits: { maxNodes: Math.max(1, maxNodes), timeLimitSeconds, relativeGap },
  };
}
