/**
 * `prescale simulate --models N`: a fleet of N models (models/modelTraces.ts), each on
 * its own vLLM-like replicas with its own scaler, under each policy
 * (models/modelPolicies.ts), compared on GPU-hours, SLO attainment and the share of
 * requests that waited for a cold start. The models of one policy run together, a loop
 * period at a time, so that they can share a warm pool (engine/warmPool.ts); a pod
 * takes a warm node at the loop period's resolution.
 *
 * GPU-hours: every pod is billed from creation to termination (as in every run), and a
 * warm pool's nodes from their order until a pod takes them or the pool shrinks,
 * weighted by the pool's price per node-hour against the GPU's (1 by default: a warm
 * node holds its GPU and costs as much as a serving one).
 * @module
 */
import { type BinnedSeries, sliceSeries } from '@prescale/core';
import { ACTIVATOR_DEFAULTS, type ActivatorOptions } from '../engine/activator.js';
import { coldStartQuantile, defaultColdStart, nominalColdStartSeconds, nominalPendingSeconds, scaleColdStart, warmStartQuantile } from '../engine/coldStart.js';
import { Simulation } from '../engine/simulation.js';
import type { RunOutput } from '../engine/runOutput.js';
import { DEFAULT_VLLM_VERSION } from '../engine/vllmMetrics.js';
import { WarmPool } from '../engine/warmPool.js';
import { SimulatorError, unknownName } from '../errors.js';
import { gpuCostPerHour } from '../gpu/gpuPrices.js';
import { gpuProfile } from '../gpu/gpuProfile.js';
import { measureCapacity } from '../profile/capacity.js';
import { DEFAULT_METRIC, type ScalerContext, scalerSetup } from '../scalers/scalerSetups.js';
import { CountArrivals } from '../workload/arrivals.js';
import { builtInLengths } from '../workload/lengths.js';
import { deriveModels, type DerivedModel, readModelSource } from './modelTraces.js';
import { forecastPoolSize, MODEL_POLICIES, type ModelPolicyName, POLICY, policyOverride } from './modelPolicies.js';

export interface ManyModelsConfig {
  count: number;
  /** Count traces the models are derived from. */
  sources: string[];
  warmupSeconds: number;
  durationSeconds: number;
  /** Scale the cold-start phases to this nominal total, s; default ≈ 6 min. */
  coldStartSeconds?: number;
  seed: number;
  gpu: string;
  slo: { ttftSeconds: number; tpotSeconds: number };
  targetUtilization: number;
  policies: ModelPolicyName[];
  activator: ActivatorOptions;
  /** The warm pool: its size under `zero+pool` (default one node per ten models) and its price per node-hour (default the GPU's). */
  pool: { size?: number; costPerHour?: number };
  /** Settings of the predictive blend for the `zero-predictive` policies (core's predictive config fields, such as `zeroBelowRps`). */
  predictive: Record<string, unknown>;
}

export const MANY_MODELS_DEFAULTS: Omit<ManyModelsConfig, 'count' | 'sources'> = {
  warmupSeconds: 14 * 86_400,
  durationSeconds: 7 * 86_400,
  seed: 1,
  gpu: 'V100',
  slo: { ttftSeconds: 2, tpotSeconds: 0.1 },
  targetUtilization: 0.7,
  policies: [...MODEL_POLICIES],
  activator: ACTIVATOR_DEFAULTS,
  pool: {},
  predictive: {},
};

/** One policy's results over the whole fleet (the `--json` shape's entries; more fields may be added, none renamed). */
export interface ModelPolicyResult {
  policy: ModelPolicyName;
  /** Pods' GPU-hours plus the pool's node-hours at its price relative to the GPU's. */
  gpuHours: number;
  /** US dollars: gpuHours × the GPU's default price per hour (docs/simulations.md "Prices"); null for a GPU without one. */
  costUsd?: number | null;
  /** Share of all requests that met the SLO (TTFT and TPOT); failed ones miss. */
  sloAttainment: number;
  /** Share of all requests that found no ready replica and waited in the activator. */
  coldWaitShare: number;
  gpuHoursVsMin1: number | null;
  podGpuHours: number;
  poolGpuHours: number;
  poolMaxNodes: number;
  warmStarts: number;
  requests: { arrived: number; waited: number; timedOut: number; rejected: number; failed: number };
  /** Decisions that took a model from zero: by its forecast (predictive wake-up) or by load (the activator's queue). */
  wakeUps: { predicted: number; reactive: number };
  /** Share of model-hours with no pod. */
  zeroShare: number;
  zeroPeriods: number;
  wallSeconds: number;
}

export interface ManyModelsResult {
  count: number;
  sources: string[];
  gpu: string;
  warmupSeconds: number;
  durationSeconds: number;
  capacityRps: number;
  coldStart: { nominalSeconds: number; p99Seconds: number; warmP99Seconds: number; poolRefillSeconds: number };
  pool: { staticNodes: number; costPerHour: number; gpuCostPerHour: number };
  policies: ModelPolicyResult[];
  models: Array<Pick<DerivedModel, 'name' | 'source' | 'busy' | 'meanRps' | 'activeShare'>>;
}

/** The calendar the fleet shares: the simulated part starts on Monday 2026-01-05, 00:00 UTC. */
const SIMULATION_START_MS = Date.UTC(2026, 0, 5);
const LOOP_SECONDS = 10;
const SCRAPE_LAG_SECONDS = 5;

function check(c: ManyModelsConfig): void {
  if (!Number.isInteger(c.count) || c.count < 1) throw new SimulatorError('InvalidConfig', '--models', c.count, 'must be a whole number of models ≥ 1');
  if (!(c.durationSeconds > 0)) throw new SimulatorError('InvalidConfig', 'durationSeconds', c.durationSeconds, 'must be positive');
  if (!(c.warmupSeconds >= 0)) throw new SimulatorError('InvalidConfig', '--warmup', c.warmupSeconds, 'must not be negative');
  for (const p of c.policies) if (!MODEL_POLICIES.includes(p)) throw unknownName('policies', p, MODEL_POLICIES);
}

/** Runs every policy on the fleet. */
export function runManyModels(config: ManyModelsConfig, onProgress: (label: string, fraction: number) => void = () => {}): ManyModelsResult {
  check(config);
  const gpu = gpuProfile(config.gpu);
  const base = defaultColdStart(gpu.weightBytes);
  const coldModel = config.coldStartSeconds !== undefined ? scaleColdStart(base, config.coldStartSeconds) : base;
  const p99 = coldStartQuantile(coldModel, 0.99, config.seed);
  const warmP99 = warmStartQuantile(coldModel, 0.99, config.seed);
  // A predicted wake-up plans for the cold start's p90, not its p99: it wakes later, and
  // a start in the slowest tenth makes the first requests wait briefly.
  const p90 = coldStartQuantile(coldModel, 0.9, config.seed);
  const warmP90 = warmStartQuantile(coldModel, 0.9, config.seed);
  const lengths = builtInLengths();
  onProgress('profile', 0);
  const profile = measureCapacity({ gpu, lengths, slo: config.slo, targetUtilization: config.targetUtilization, seed: config.seed });
  onProgress('profile', 1);
  const historyStartMs = SIMULATION_START_MS - config.warmupSeconds * 1000;
  const models = deriveModels(config.sources.map(readModelSource), config.count, config.warmupSeconds + config.durationSeconds, historyStartMs, config.seed);
  const listedPrice = gpuCostPerHour(gpu.name);
  const gpuPrice = listedPrice ?? 1;
  const poolPrice = config.pool.costPerHour ?? gpuPrice;
  const staticNodes = config.pool.size ?? Math.ceil(config.count / 10);
  const lead = {
    warmLeadSeconds: Math.ceil(warmP99 + LOOP_SECONDS + SCRAPE_LAG_SECONDS),
    prewarmSeconds: Math.ceil(p99 - warmP99),
    wakeLeadSeconds: Math.ceil(p90 + LOOP_SECONDS + SCRAPE_LAG_SECONDS),
    warmWakeLeadSeconds: Math.ceil(warmP90 + LOOP_SECONDS + SCRAPE_LAG_SECONDS),
  };
  const refill = nominalPendingSeconds(coldModel);
  const policies: ModelPolicyResult[] = [];
  for (const name of config.policies) {
    const policy = POLICY[name];
    const started = performance.now();
    const pool = policy.pool === 'none' ? null : new WarmPool(policy.pool === 'static' ? staticNodes : 1, refill);
    const last: Array<{ prewarm: number | null; current: number }> = models.map(() => ({ prewarm: null, current: 0 }));
    const wakeUps = { predicted: 0, reactive: 0 };
    const runs = models.map((m, i) => {
      const ctx = modelContext(m, config, { minReplicas: policy.minReplicas, capacityRps: profile.capacityRps, target: Math.max(0.1, Math.round(profile.atTarget.meanRunning * 100) / 100), leadTimeSeconds: Math.ceil(p99 + LOOP_SECONDS + SCRAPE_LAG_SECONDS) });
      const setup = scalerSetup(policy.scaler, ctx, policyOverride(policy, lead, config.predictive));
      const inner = setup.scaler;
      const scaler = {
        ...inner,
        step: (state: Parameters<typeof inner.step>[0], observation: Parameters<typeof inner.step>[1]) => {
          const result = inner.step(state, observation);
          const d = result.decision;
          last[i] = { prewarm: d.scaler === 'blend' ? d.detail.prewarmReplicas : null, current: d.desiredReplicas };
          if (d.currentReplicas === 0 && d.desiredReplicas > 0) wakeUps[d.scaler === 'blend' && d.detail.wokenBy === 'predicted' ? 'predicted' : 'reactive']++;
          return result;
        },
      };
      const simulation = new Simulation({
        name: `${name} ${m.name}`,
        arrivals: new CountArrivals(m.series, lengths, gpu.maxModelLen, config.seed + i, config.warmupSeconds, config.warmupSeconds + config.durationSeconds),
        durationSeconds: config.durationSeconds,
        startMs: SIMULATION_START_MS,
        seed: config.seed + 7919 * i,
        gpu,
        controller: { kind: 'scaler', scaler, ...(setup.state ? { state: setup.state } : {}) },
        loopSeconds: LOOP_SECONDS,
        scrapeLagSeconds: SCRAPE_LAG_SECONDS,
        initialReplicas: ctx.initialReplicas,
        coldStart: coldModel,
        router: 'least-request',
        drainGraceSeconds: 60,
        vllmVersion: DEFAULT_VLLM_VERSION,
        windowSeconds: 60,
        need: [],
        chartWindows: Math.ceil(config.durationSeconds / 60),
        slo: config.slo,
        activator: config.activator,
        activatorMetric: DEFAULT_METRIC,
        ...(pool ? { warmPool: pool } : {}),
      });
      simulation.start();
      return simulation;
    });
    const end = config.durationSeconds;
    for (let t = LOOP_SECONDS; t < end + LOOP_SECONDS; t += LOOP_SECONDS) {
      for (const r of runs) r.advance(t);
      if (pool !== null && policy.pool === 'forecast') pool.resize(forecastPoolSize(last, config.count), Math.min(t, end));
      if (t % 3600 === 0) onProgress(name, t / end);
    }
    pool?.finish(end);
    const outputs = runs.map((r) => r.finish());
    policies.push({ ...summarizePolicy(name, outputs, pool, poolPrice / gpuPrice, (performance.now() - started) / 1000), wakeUps });
    onProgress(name, 1);
  }
  const min1 = policies.find((p) => p.policy === 'min1');
  for (const p of policies) p.gpuHoursVsMin1 = min1 ? p.gpuHours / min1.gpuHours : null;
  return {
    count: config.count,
    sources: models.slice(0, config.sources.length).map((m) => m.source),
    gpu: gpu.name,
    warmupSeconds: config.warmupSeconds,
    durationSeconds: config.durationSeconds,
    capacityRps: profile.capacityRps,
    coldStart: { nominalSeconds: nominalColdStartSeconds(coldModel), p99Seconds: p99, warmP99Seconds: warmP99, poolRefillSeconds: refill },
    pool: { staticNodes, costPerHour: poolPrice, gpuCostPerHour: gpuPrice },
    policies: policies.map((p) => ({ ...p, costUsd: listedPrice === null ? null : p.gpuHours * listedPrice })),
    models: models.map((m) => ({ name: m.name, source: m.source, busy: m.busy, meanRps: m.meanRps, activeShare: m.activeShare })),
  };
}

/** Requests per second of each bin. */
function rates(series: BinnedSeries): BinnedSeries {
  const seconds = series.binMs / 1000;
  return { ...series, values: series.values.map((v) => (v === null ? null : v / seconds)) };
}

/** A model's scaler context: its bounds from its own peak, its warm-up history, its replicas at the start. */
function modelContext(m: DerivedModel, config: ManyModelsConfig, o: { minReplicas: number; capacityRps: number; target: number; leadTimeSeconds: number }): ScalerContext {
  const startMs = SIMULATION_START_MS;
  const simulated = rates(sliceSeries(m.series, startMs, startMs + config.durationSeconds * 1000)).values;
  let peak = 0;
  for (const v of simulated) peak = Math.max(peak, v ?? 0);
  const maxReplicas = Math.max(2, Math.ceil((1.5 * peak) / o.capacityRps));
  // Serving at the start what the first cold start's worth of traffic needs, as a deployment already running would.
  const leadBins = Math.max(1, Math.ceil((o.leadTimeSeconds * 1000) / m.series.binMs));
  let first = 0;
  for (let k = 0; k < leadBins && k < simulated.length; k++) first = Math.max(first, simulated[k] ?? 0);
  const initialReplicas = Math.min(maxReplicas, Math.max(o.minReplicas, Math.ceil(first / (o.capacityRps * config.targetUtilization))));
  return {
    minReplicas: o.minReplicas,
    maxReplicas,
    target: o.target,
    metric: DEFAULT_METRIC,
    capacityRps: o.capacityRps,
    history: config.warmupSeconds > 0 ? sliceSeries(m.series, m.series.startMs, startMs) : null,
    startMs,
    initialReplicas,
    targetUtilization: config.targetUtilization,
    leadTimeSeconds: o.leadTimeSeconds,
    utcOffsetMinutes: m.series.utcOffsetMinutes,
  };
}

function summarizePolicy(policy: ModelPolicyName, runs: RunOutput[], pool: WarmPool | null, poolWeight: number, wallSeconds: number): Omit<ModelPolicyResult, 'wakeUps'> {
  let podSeconds = 0;
  let arrived = 0;
  let sloMet = 0;
  let waited = 0;
  let timedOut = 0;
  let rejected = 0;
  let failed = 0;
  let zeroSeconds = 0;
  let zeroPeriods = 0;
  let warmStarts = 0;
  for (const r of runs) {
    podSeconds += r.gpuSeconds;
    arrived += r.arrived;
    sloMet += r.sloMet;
    waited += r.activator.waited;
    timedOut += r.activator.timedOut;
    rejected += r.activator.rejected;
    failed += r.aborted;
    zeroSeconds += r.zero.seconds;
    zeroPeriods += r.zero.periods;
    warmStarts += r.warmStarts;
  }
  const poolGpuHours = pool === null ? 0 : (pool.slotSeconds / 3600) * poolWeight;
  const modelSeconds = runs.length * (runs[0]?.windows.arrivals.length ?? 0) * 60;
  return {
    policy,
    gpuHours: podSeconds / 3600 + poolGpuHours,
    sloAttainment: arrived === 0 ? 1 : sloMet / arrived,
    coldWaitShare: arrived === 0 ? 0 : waited / arrived,
    gpuHoursVsMin1: null,
    podGpuHours: podSeconds / 3600,
    poolGpuHours,
    poolMaxNodes: pool?.maxSize ?? 0,
    warmStarts,
    requests: { arrived, waited, timedOut, rejected, failed },
    zeroShare: modelSeconds > 0 ? zeroSeconds / modelSeconds : 0,
    zeroPeriods,
    wallSeconds,
  };
}
