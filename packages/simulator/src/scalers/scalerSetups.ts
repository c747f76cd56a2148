/**
 * The scalers a comparison can run and their defaults for an LLM workload. Every one is
 * a `@prescale/core` scaler built with `createScaler` and driven through its
 * `init`/`step` interface, exactly as the operator drives it; the oracle alone is not a
 * scaler but a precomputed schedule (see oracle/oracle.ts).
 *
 * Defaults: all three reactive scalers scale on `vllm:num_requests_running` per pod,
 * with the target the capacity profile measures at the target utilisation (the running
 * requests one replica shows at 70 % of its sustainable rate):
 * - `kpa`: Knative's decider with AIBrix's windows (180 s stable, 60 s panic, reference
 *   aibrix.md §2.4), its experiment's 3-minute scale-down delay, and 10 s buckets for a
 *   10 s loop (AIBrix's resync period);
 * - `hpa`: a Pods metric with an AverageValue target, `behavior` at Kubernetes'
 *   defaults (300 s scale-down stabilisation); a 15 s loop (the HPA's sync period);
 * - `apa`: AIBrix's APA at its defaults (180 s window, ±10 % tolerance, 300 s
 *   scale-down cooldown); a 10 s loop;
 * - `predictive`: core's blend (`algorithm: 'blend'`) in `auto` mode on top of the kpa
 *   above: capacity per replica from the profile, the same target utilisation, a lead
 *   time of the cold start's 99th percentile plus a loop and the scrape lag; it learns
 *   demand from the gateway's request rate and is seeded with the warm-up history;
 * - `fixed:N`: N replicas throughout (a baseline);
 * - `kpa:LABEL` (any scaler above with a label, e.g. `kpa:tuned`): a second instance with
 *   settings of its own (`scalerSettings['kpa:tuned']`), to compare variants side by side.
 * @module
 */
import { type BinnedSeries, createScaler, DEFAULT_LOOP_SECONDS, defaultLoopSeconds, type ReactiveSpec, type Scaler, type ScalerSpec, type ScalerState } from '@prescale/core';
import { SimulatorError, unknownName } from '../errors.js';

export const DEFAULT_METRIC = 'vllm:num_requests_running';

/** What a scaler's defaults are made from. */
export interface ScalerContext {
  minReplicas: number;
  maxReplicas: number;
  /** Per-pod target of `metric`. */
  target: number;
  metric: string;
  /** Sustainable requests per second per replica (from the capacity profile). */
  capacityRps: number;
  /** The warm-up part of the trace (requests per bin), for a scaler that takes history; null without a warm-up. */
  history: BinnedSeries | null;
  /** Epoch ms of simulated time 0. */
  startMs: number;
  initialReplicas: number;
  /** Share of the sustainable rate to plan for. */
  targetUtilization: number;
  /** Cold start (high quantile) + loop period + scrape lag, s: how far ahead prediction must look. */
  leadTimeSeconds: number;
  utcOffsetMinutes: number;
  /** IANA time zone of the demand's weekly pattern (daylight saving included); absent: `utcOffsetMinutes`. */
  timeZone?: string;
}

/** Settings a config file may give per scaler: its loop period, metric and any of its core config fields. */
export interface ScalerOverride {
  loopSeconds?: number;
  metric?: string;
  config?: Record<string, unknown>;
  /** `predictive` only: settings of its reactive kpa. */
  reactive?: ScalerOverride;
  /** A complete core spec to run as given (`prescale tune`'s winners); the other fields but `loopSeconds` are ignored. */
  spec?: ScalerSpec;
}

/** The kpa's windows and delay in the simulator: AIBrix's windows (180 s stable, 60 s panic) and its experiment's 3-minute scale-down delay. */
export const KPA_SIMULATOR_DEFAULTS = { stableWindowSeconds: 180, panicWindowPercentage: 33.4, scaleDownDelaySeconds: 180 } as const;

export interface ScalerSetup {
  name: string;
  loopSeconds: number;
  /** The core spec it was built from (reported in the configuration). */
  spec: ScalerSpec;
  scaler: Scaler;
  /** A state other than `init`'s (a scaler that took the warm-up history). */
  state?: ScalerState;
}

type Factory = (ctx: ScalerContext, override: ScalerOverride | undefined) => ScalerSpec;

function kpaSpec(ctx: ScalerContext, o: ScalerOverride | undefined): ReactiveSpec {
  return {
    algorithm: 'kpa',
    metric: o?.metric ?? ctx.metric,
    config: {
      targetValue: ctx.target,
      minReplicas: ctx.minReplicas,
      maxReplicas: ctx.maxReplicas,
      // Knative averages over every bucket of its windows, so a bucket must be as wide
      // as the loop period or the windows read mostly empty buckets as zero.
      granularitySeconds: o?.loopSeconds ?? DEFAULT_LOOP_SECONDS.kpa,
      ...KPA_SIMULATOR_DEFAULTS,
      ...o?.config,
    },
  };
}

const FACTORIES: Record<string, Factory> = {
  predictive: (ctx, o) => ({
    algorithm: 'blend',
    reactive: kpaSpec(ctx, o?.reactive),
    predictive: {
      mode: 'auto',
      capacityPerReplica: ctx.capacityRps,
      targetUtilization: ctx.targetUtilization,
      leadTimeSeconds: ctx.leadTimeSeconds,
      utcOffsetMinutes: ctx.utcOffsetMinutes,
      ...(ctx.timeZone !== undefined ? { timeZone: ctx.timeZone } : {}),
      ...o?.config,
    },
  }),
  kpa: kpaSpec,
  hpa: (ctx, o) => ({
    algorithm: 'hpa',
    config: {
      minReplicas: ctx.minReplicas,
      maxReplicas: ctx.maxReplicas,
      metrics: [{ type: 'Pods', name: o?.metric ?? ctx.metric, target: { type: 'AverageValue', averageValueMilli: Math.round(ctx.target * 1000) } }],
      behavior: {},
      ...o?.config,
    },
  }),
  apa: (ctx, o) => ({
    algorithm: 'apa',
    metric: o?.metric ?? ctx.metric,
    config: { targetValue: ctx.target, minReplicas: ctx.minReplicas, maxReplicas: ctx.maxReplicas, ...o?.config },
  }),
};

/** Names `--scalers` accepts (besides `fixed:N`). */
export const SCALER_NAMES = ['hpa', 'kpa', 'apa', 'predictive', 'oracle'] as const;
/** Names that will be valid once their scaler is in `@prescale/core`. */
export const PENDING_SCALERS: readonly string[] = [];

/** A variant of a scaler, `kpa:tuned`: its base scaler's name, or null. */
function variantBase(name: string): string | null {
  const m = /^(kpa|hpa|apa|predictive):[a-z][a-z0-9-]*$/.exec(name);
  return m === null ? null : m[1]!;
}

/** Checks a `--scalers` list. @throws SimulatorError listing the valid names. */
export function checkScalerNames(names: readonly string[]): void {
  if (names.length === 0) throw new SimulatorError('InvalidConfig', '--scalers', names, 'name at least one scaler');
  for (const name of names) {
    if ((SCALER_NAMES as readonly string[]).includes(name)) continue;
    if (/^fixed:\d+$/.test(name) || variantBase(name) !== null) continue;
    const pending = PENDING_SCALERS.includes(name) ? ` (${name} is not available yet: its scaler is not in @prescale/core)` : '';
    throw unknownName('--scalers', name, [...SCALER_NAMES, 'fixed:N', 'NAME:LABEL'], pending);
  }
}

/** Requests per bin as requests per second: what a scaler's `seed` takes. */
function asRates(counts: BinnedSeries): BinnedSeries {
  const seconds = counts.binMs / 1000;
  return { ...counts, values: counts.values.map((v) => (v === null ? null : v / seconds)) };
}

/** Builds one named scaler from its defaults and the config file's override. */
export function scalerSetup(name: string, ctx: ScalerContext, override: ScalerOverride | undefined): ScalerSetup {
  const fixed = /^fixed:(\d+)$/.exec(name);
  const factory = FACTORIES[variantBase(name) ?? name];
  let spec: ScalerSpec;
  if (fixed) spec = { algorithm: 'fixed', replicas: Number(fixed[1]) };
  else if (override?.spec !== undefined) spec = override.spec;
  else if (factory !== undefined) spec = factory(ctx, override);
  else throw unknownName('--scalers', name, [...SCALER_NAMES, 'fixed:N']);
  const loopSeconds = override?.loopSeconds ?? defaultLoopSeconds(spec);
  if (!(loopSeconds > 0)) throw new SimulatorError('InvalidConfig', `scalers.${name}.loopSeconds`, loopSeconds, 'must be a positive number of seconds');
  try {
    const scaler = createScaler(spec);
    // A scaler that keeps a demand history (the predictive blend) is handed the warm-up.
    if (ctx.history === null || scaler.demandBinMs === null) return { name, loopSeconds, spec, scaler };
    const state = scaler.seed(scaler.init({ now: ctx.startMs, readyPods: ctx.initialReplicas }), asRates(ctx.history));
    return { name, loopSeconds, spec, scaler, state };
  } catch (cause) {
    throw new SimulatorError('InvalidConfig', `scalers.${name}`, spec, cause instanceof Error ? cause.message : String(cause), { cause });
  }
}
