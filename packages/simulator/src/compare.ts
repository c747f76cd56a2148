/**
 * A whole comparison, as `prescale simulate` runs it: load the workload, measure one
 * replica's capacity at the SLO, count the arrivals per window, plan the oracle, then
 * run every scaler (and the oracle's schedule) on the same requests and summarise.
 * @module
 */
import { ACTIVATOR_DEFAULTS, type ActivatorOptions } from './engine/activator.js';
import type { WarmPool } from './engine/warmPool.js';
import { type ColdStartModel, coldStartQuantile, defaultColdStart, nominalColdStartSeconds, scaleColdStart } from './engine/coldStart.js';
import { type RouterName, ROUTERS } from './engine/runOptions.js';
import { type RunOutput, runSimulation } from './engine/simulation.js';
import { DEFAULT_VLLM_VERSION, type VllmVersion } from './engine/vllmMetrics.js';
import { SimulatorError, unknownName } from './errors.js';
import { largestLoadStep, type LoadStep, type ScalerResult, summarize } from './evaluate/results.js';
import { maxReplicasWarning, oracleMissWarning, scaleFromZeroWarning } from './evaluate/sloWarnings.js';
import { gpuCostPerHour } from './gpu/gpuPrices.js';
import { type GpuProfile, gpuProfile } from './gpu/gpuProfile.js';
import { needCurve, oracleSchedule, type OracleSchedule } from './oracle/oracle.js';
import { type CapacityProfile, measureCapacity } from './profile/capacity.js';
import { type RecordedForecasts, recordForecasts } from './scalers/forecastRecorder.js';
import { checkScalerNames, DEFAULT_METRIC, type ScalerContext, type ScalerOverride, scalerSetup } from './scalers/scalerSetups.js';
import { loadWorkload, type Workload, type WorkloadOptions } from './workload/workload.js';

export interface SimulateConfig {
  workload: Omit<WorkloadOptions, 'seed'>;
  seed: number;
  /** A built-in GPU name, or a profile object. */
  gpu: string | GpuProfile;
  /** US dollars per GPU-hour by GPU name, overriding the defaults (`--gpu-cost`); prices every result's `costUsd`. */
  gpuCosts?: Record<string, number>;
  /** Scale the default cold-start phases to this nominal total, s; default ≈ 6 min. */
  coldStartSeconds?: number;
  slo: { ttftSeconds: number; tpotSeconds: number };
  minReplicas: number;
  /** `auto`: 1.5 × the most replicas the load needs in a window (at least `minReplicas`), so the SLO can always be met. */
  maxReplicas: number | 'auto';
  /**
   * Ready replicas at the start; default the most the load needs over its first cold
   * start (as a deployment already serving would have), since no pod ordered at the
   * start is ready before then.
   */
  initialReplicas?: number;
  scalers: string[];
  /** Per-scaler settings (loop period, metric, core config fields). */
  scalerSettings: Record<string, ScalerOverride>;
  /** Per-pod metric the reactive scalers scale on. */
  metric: string;
  /** Per-pod target; default the running requests at the target utilisation (from the profile). */
  target?: number;
  /** Sustainable requests/s per replica; default measured by the profile. */
  capacityRps?: number;
  targetUtilization: number;
  attainment: number;
  scrapeLagSeconds: number;
  router: RouterName;
  drainGraceSeconds: number;
  vllmVersion: VllmVersion;
  windowSeconds: number;
  /** Where requests wait while no replica is ready (with `minReplicas: 0`): queue size and timeout. */
  activator: ActivatorOptions;
}

export const SIMULATE_DEFAULTS: SimulateConfig = {
  workload: {},
  seed: 1,
  gpu: 'V100',
  slo: { ttftSeconds: 2, tpotSeconds: 0.1 },
  minReplicas: 1,
  maxReplicas: 20,
  scalers: ['hpa', 'kpa', 'apa', 'predictive', 'oracle'],
  scalerSettings: {},
  metric: DEFAULT_METRIC,
  targetUtilization: 0.7,
  attainment: 0.99,
  scrapeLagSeconds: 5,
  router: 'least-request',
  drainGraceSeconds: 60,
  vllmVersion: DEFAULT_VLLM_VERSION,
  windowSeconds: 60,
  activator: ACTIVATOR_DEFAULTS,
};

export interface Comparison {
  config: SimulateConfig;
  workload: {
    name: string;
    /** The report's title for it (a trace folder's SOURCE.md heading, or the name). */
    title: string;
    startIso: string;
    durationSeconds: number;
    /** The trace's own offset from UTC: times in the report are shown in it. */
    utcOffsetMinutes: number;
    meanRps: number;
    lengths: string;
    meanInputTokens: number;
    meanOutputTokens: number;
    warmupSeconds: number;
    /** Empty bins of the simulated part filled by interpolation. */
    filledBins: number;
  };
  gpu: GpuProfile;
  coldStart: { model: ColdStartModel; nominalSeconds: number; p99Seconds: number };
  profile: CapacityProfile | null;
  capacityRps: number;
  target: number;
  oracle: { leadWindows: number; plannedGpuHours: number; peakNeed: number; infeasibleWindows: number };
  loadStep: LoadStep | null;
  /** Plain-language warnings (a configuration that can never meet the SLO, a missing warm-up). */
  warnings: string[];
  results: ScalerResult[];
  /** The raw runs, for the report. */
  runs: RunOutput[];
  /** What each predictive blend forecast during its run, by scaler name (for the report). */
  forecasts: Record<string, RecordedForecasts>;
  /** Arrivals and need per window (shared by every run). */
  arrivalsPerWindow: Float64Array;
  need: Int32Array;
  initialReplicas: number;
}

export interface CompareHooks {
  /** A phase started (`profile`, `oracle`, a scaler name) and how far along it is. */
  onProgress?: (label: string, fraction: number) => void;
}

function countArrivals(workload: Workload, gpu: GpuProfile, windowSeconds: number): Float64Array {
  const windows = new Float64Array(Math.ceil(workload.durationSeconds / windowSeconds));
  const source = workload.arrivals(gpu.maxModelLen);
  // Times only where the source can (the token lengths are drawn from a stream of their own).
  const advance = source.nextTime !== undefined ? () => source.nextTime!() : () => source.next();
  while (advance()) {
    const w = Math.floor(source.time / windowSeconds);
    if (w < windows.length) windows[w]!++;
  }
  return windows;
}

/**
 * The replicas a deployment already serving this load would have at the start: the
 * most any window needs before a pod ordered at the start could be ready (the first
 * `leadWindows`), so a run does not open with a cold start's worth of overload.
 */
export function servingReplicas(arrivals: Float64Array, windowSeconds: number, capacityRps: number, leadWindows: number): number {
  const need = needCurve(arrivals.subarray(0, Math.max(1, leadWindows)), windowSeconds, capacityRps);
  let most = 0;
  for (const n of need) if (n > most) most = n;
  return most;
}

export function resolveConfig(input: Partial<SimulateConfig>): SimulateConfig {
  const c: SimulateConfig = { ...SIMULATE_DEFAULTS, ...input, slo: { ...SIMULATE_DEFAULTS.slo, ...input.slo } };
  const int = (field: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new SimulatorError('InvalidConfig', field, v, `must be an integer ≥ ${min}`);
  };
  int('--min-replicas', c.minReplicas, 0);
  if (c.maxReplicas !== 'auto') int('--max-replicas', c.maxReplicas, 1);
  if (c.maxReplicas !== 'auto' && c.maxReplicas < c.minReplicas) throw new SimulatorError('InvalidConfig', '--max-replicas', c.maxReplicas, `must be at least --min-replicas (${c.minReplicas})`);
  if (!(c.slo.ttftSeconds > 0)) throw new SimulatorError('InvalidConfig', '--slo-ttft', c.slo.ttftSeconds, 'must be a positive duration');
  if (!(c.slo.tpotSeconds > 0)) throw new SimulatorError('InvalidConfig', '--slo-tpot', c.slo.tpotSeconds, 'must be a positive duration');
  if (!(c.scrapeLagSeconds >= 0)) throw new SimulatorError('InvalidConfig', 'scrapeLagSeconds', c.scrapeLagSeconds, 'must not be negative');
  if (!(c.windowSeconds > 0)) throw new SimulatorError('InvalidConfig', 'windowSeconds', c.windowSeconds, 'must be positive');
  if (!ROUTERS.includes(c.router)) throw unknownName('--router', c.router, ROUTERS);
  int('--seed', c.seed, 0);
  checkScalerNames(c.scalers);
  return c;
}

/**
 * Everything a comparison's runs share, computed once: the workload, the capacity
 * profile, the arrivals and the oracle's need per window, the initial replicas and what
 * every scaler's defaults are made from. {@link runOne} runs one scaler on it.
 */
export interface PreparedComparison {
  /** With `maxReplicas` resolved. */
  config: SimulateConfig & { maxReplicas: number };
  gpu: GpuProfile;
  workload: Workload;
  coldModel: ColdStartModel;
  p99: number;
  profile: CapacityProfile | null;
  capacityRps: number;
  target: number;
  arrivalsPerWindow: Float64Array;
  initialReplicas: number;
  leadWindows: number;
  oracle: OracleSchedule;
  peakNeed: number;
  infeasibleWindows: number;
  step: LoadStep | null;
  chartWindows: number;
  ctx: ScalerContext;
  warnings: string[];
}

/** `maxReplicas: auto`: half as many again as the most replicas the load needs in a window. */
function autoMaxReplicas(arrivals: ArrayLike<number>, windowSeconds: number, capacityRps: number, minReplicas: number): number {
  let peak = 0;
  for (const n of needCurve(arrivals, windowSeconds, capacityRps)) peak = Math.max(peak, n);
  return Math.max(1, minReplicas, Math.ceil(1.5 * peak));
}

/** Loads the workload, measures the capacity profile and plans the oracle. */
export function prepareComparison(input: Partial<SimulateConfig>, hooks: CompareHooks = {}): PreparedComparison {
  const resolved = resolveConfig(input);
  const progress = hooks.onProgress ?? (() => {});
  const gpu = typeof resolved.gpu === 'string' ? gpuProfile(resolved.gpu) : resolved.gpu;
  const workload = loadWorkload({ ...resolved.workload, seed: resolved.seed });
  const base = defaultColdStart(gpu.weightBytes);
  const coldModel = resolved.coldStartSeconds !== undefined ? scaleColdStart(base, resolved.coldStartSeconds) : base;
  const p99 = coldStartQuantile(coldModel, 0.99, resolved.seed);
  const warnings: string[] = [];

  progress('profile', 0);
  let profile: CapacityProfile | null = null;
  if (resolved.capacityRps === undefined || resolved.target === undefined) {
    profile = measureCapacity({ gpu, lengths: workload.lengths, slo: resolved.slo, attainment: resolved.attainment, targetUtilization: resolved.targetUtilization, seed: resolved.seed });
  }
  const capacityRps = resolved.capacityRps ?? profile!.capacityRps;
  const target = resolved.target ?? Math.max(0.1, Math.round(profile!.atTarget.meanRunning * 100) / 100);
  progress('profile', 1);

  const W = resolved.windowSeconds;
  const arrivalsPerWindow = countArrivals(workload, gpu, W);
  const config = { ...resolved, maxReplicas: resolved.maxReplicas === 'auto' ? autoMaxReplicas(arrivalsPerWindow, W, capacityRps, resolved.minReplicas) : resolved.maxReplicas };
  const leadWindows = Math.ceil((p99 + 15) / W);
  const initialReplicas = Math.min(config.maxReplicas, Math.max(config.minReplicas, config.initialReplicas ?? servingReplicas(arrivalsPerWindow, W, capacityRps, leadWindows)));
  const oracle: OracleSchedule = oracleSchedule({
    arrivals: arrivalsPerWindow,
    windowSeconds: W,
    capacityRps,
    minReplicas: config.minReplicas,
    maxReplicas: config.maxReplicas,
    initialReplicas,
    leadWindows,
    setupSeconds: nominalColdStartSeconds(coldModel),
  });
  const { peakNeed, infeasibleWindows: infeasible, warning: boundWarning } = maxReplicasWarning(oracle.unboundedNeed, config.maxReplicas);
  if (boundWarning !== null) warnings.push(boundWarning);
  const ctx: ScalerContext = {
    minReplicas: config.minReplicas,
    maxReplicas: config.maxReplicas,
    target,
    metric: config.metric,
    capacityRps,
    history: workload.history,
    startMs: workload.startMs,
    initialReplicas,
    targetUtilization: config.targetUtilization,
    leadTimeSeconds: Math.ceil(p99 + 10 + config.scrapeLagSeconds),
    utcOffsetMinutes: workload.utcOffsetMinutes,
    ...(resolved.workload.timeZone !== undefined ? { timeZone: resolved.workload.timeZone } : {}),
  };
  const zeroWarning = scaleFromZeroWarning(config.minReplicas, config.scalers);
  if (zeroWarning !== null) warnings.push(zeroWarning);
  if (config.scalers.includes('predictive') && workload.history === null) {
    warnings.push('No warm-up history (--warmup): the predictive scaler starts with none and stays reactive until it has learnt enough.');
  }
  return {
    config,
    gpu,
    workload,
    coldModel,
    p99,
    profile,
    capacityRps,
    target,
    arrivalsPerWindow,
    initialReplicas,
    leadWindows,
    oracle,
    peakNeed,
    infeasibleWindows: infeasible,
    step: largestLoadStep(oracle.need, W),
    chartWindows: Math.max(1, Math.ceil(arrivalsPerWindow.length / 1000)),
    ctx,
    warnings,
  };
}

export interface RunOneOptions {
  /** Settings for this scaler instead of the config's `scalerSettings[name]`. */
  override?: ScalerOverride;
  /** Simulate only this many seconds from the start (default the whole workload). */
  durationSeconds?: number;
  onProgress?: (fraction: number) => void;
  /** Where a predictive blend's forecasts are recorded, under the scaler's name (for the report). */
  forecasts?: Record<string, RecordedForecasts>;
  /** Warm nodes new pods may start on. */
  warmPool?: WarmPool;
}

/** Runs one scaler (or `oracle`, the planned schedule) on a prepared comparison. */
export function runOne(p: PreparedComparison, name: string, options: RunOneOptions = {}): RunOutput {
  const { config, workload, gpu } = p;
  const common = {
    name,
    arrivals: workload.arrivals(gpu.maxModelLen),
    durationSeconds: Math.min(options.durationSeconds ?? workload.durationSeconds, workload.durationSeconds),
    startMs: workload.startMs,
    seed: config.seed,
    gpu,
    scrapeLagSeconds: config.scrapeLagSeconds,
    initialReplicas: p.initialReplicas,
    coldStart: p.coldModel,
    router: config.router,
    drainGraceSeconds: config.drainGraceSeconds,
    vllmVersion: config.vllmVersion,
    windowSeconds: config.windowSeconds,
    need: p.oracle.need,
    chartWindows: p.chartWindows,
    slo: config.slo,
    activator: config.activator,
    activatorMetric: config.metric,
    ...(options.warmPool ? { warmPool: options.warmPool } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  if (name === 'oracle') return runSimulation({ ...common, controller: { kind: 'schedule', replicas: p.oracle.desired }, loopSeconds: 10 });
  const setup = scalerSetup(name, p.ctx, options.override ?? config.scalerSettings[name]);
  // A fixed count starts at its count, so its cost is exactly N × duration.
  if (setup.spec.algorithm === 'fixed') common.initialReplicas = setup.spec.replicas;
  let scaler = setup.scaler;
  if (options.forecasts !== undefined && setup.spec.algorithm === 'blend' && scaler.demandBinMs !== null) {
    const recorder = recordForecasts(scaler, scaler.demandBinMs);
    scaler = recorder.scaler;
    options.forecasts[name] = recorder.record;
  }
  return runSimulation({ ...common, controller: { kind: 'scaler', scaler, ...(setup.state ? { state: setup.state } : {}) }, loopSeconds: setup.loopSeconds });
}

/** Runs the comparison a configuration describes. */
export function runComparison(input: Partial<SimulateConfig>, hooks: CompareHooks = {}): Comparison {
  const p = prepareComparison(input, hooks);
  const progress = hooks.onProgress ?? (() => {});
  const { config, workload } = p;
  const runs: RunOutput[] = [];
  const forecasts: Record<string, RecordedForecasts> = {};
  const walls: number[] = [];
  for (const name of config.scalers) {
    progress(name, 0);
    const started = performance.now();
    runs.push(runOne(p, name, { onProgress: (f) => progress(name, f), forecasts }));
    walls.push((performance.now() - started) / 1000);
  }
  const oracleRun = runs.find((r) => r.name === 'oracle');
  const usdPerHour = gpuCostPerHour(p.gpu.name, config.gpuCosts ?? {});
  const usd = (r: RunOutput | undefined) => (r === undefined || usdPerHour === null ? null : (r.gpuSeconds / 3600) * usdPerHour);
  const results = runs.map((run, i) =>
    summarize(run, { oracleGpuSeconds: oracleRun ? oracleRun.gpuSeconds : null, step: p.step, initialReady: p.initialReplicas, wallSeconds: walls[i]!, costUsd: usd(run), oracleCostUsd: usd(oracleRun) }),
  );
  const oracleResult = results.find((r) => r.scaler === 'oracle');
  const missed = oracleResult
    ? oracleMissWarning({ attainment: oracleResult.sloAttainment, target: config.attainment, capacityRps: p.capacityRps, windowSeconds: config.windowSeconds, boundedByMaxReplicas: p.infeasibleWindows > 0 })
    : null;
  const warnings = [...p.warnings];
  // Right after the --max-replicas warning, which it refers to, and before the rest.
  if (missed !== null) warnings.splice(p.infeasibleWindows > 0 ? 1 : 0, 0, missed);
  return {
    config,
    workload: {
      name: workload.name,
      title: workload.title,
      startIso: new Date(workload.startMs).toISOString(),
      durationSeconds: workload.durationSeconds,
      utcOffsetMinutes: workload.utcOffsetMinutes,
      meanRps: workload.meanRps,
      lengths: workload.lengths.name,
      meanInputTokens: workload.lengths.meanInput,
      meanOutputTokens: workload.lengths.meanOutput,
      warmupSeconds: workload.history === null ? 0 : (workload.history.values.length * workload.history.binMs) / 1000,
      filledBins: workload.filledBins,
    },
    gpu: p.gpu,
    coldStart: { model: p.coldModel, nominalSeconds: nominalColdStartSeconds(p.coldModel), p99Seconds: p.p99 },
    profile: p.profile,
    capacityRps: p.capacityRps,
    target: p.target,
    oracle: { leadWindows: p.leadWindows, plannedGpuHours: p.oracle.plannedGpuSeconds / 3600, peakNeed: p.peakNeed, infeasibleWindows: p.infeasibleWindows },
    loadStep: p.step,
    warnings,
    results,
    runs,
    forecasts,
    arrivalsPerWindow: p.arrivalsPerWindow,
    need: p.oracle.need,
    initialReplicas: p.initialReplicas,
  };
}

/** The `--json` document: the configuration and one result per scaler. */
export function comparisonJson(c: Comparison): unknown {
  return {
    config: {
      ...c.config,
      gpu: c.gpu,
      workload: { ...c.config.workload, ...c.workload },
      coldStart: c.coldStart,
      capacityRps: c.capacityRps,
      target: c.target,
      initialReplicas: c.initialReplicas,
      oracle: c.oracle,
      loadStep: c.loadStep,
      profile: c.profile,
    },
    warnings: c.warnings,
    results: c.results,
  };
}

