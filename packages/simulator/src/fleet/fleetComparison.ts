/**
 * `prescale simulate --fleet …` (issue 19 item 4; docs/optimizer.md "Simulating a
 * fleet"): one deployment per GPU type behind the fleet router, the `optimizer` scaler
 * and the fleet oracle on the same requests, with GPU-hours and dollars per type.
 *
 * The types' throughput profiles are measured in simulation at the run's SLO (TTFT and
 * TPOT at p99, AIBrix's `TPUT_TOLERANCE` rule; `measureThroughputGrid`) unless given.
 * @module
 */
import { demandAtRate, demandFromRequests, FLEET_SCALER_DEFAULTS, type FleetDecision, fleetStep, initialFleetState, type MipSolver, type OptimizerConfig, optimizerConfig, profileGrid, sameGrid, type Scaler, type ScalerState, type ThroughputProfile } from '@prescale/core';
import { type ColdStartModel, coldStartQuantile, defaultColdStart, nominalColdStartSeconds, scaleColdStart } from '../engine/coldStart.js';
import { resolveConfig, type SimulateConfig } from '../compare.js';
import { SimulatorError } from '../errors.js';
import { type ScalerResult, summarize } from '../evaluate/results.js';
import { gpuCostPerHour } from '../gpu/gpuPrices.js';
import { type GpuProfile, gpuProfile } from '../gpu/gpuProfile.js';
import { measureThroughputGrid } from '../profile/throughputGrid.js';
import { loadWorkload, type Workload } from '../workload/workload.js';
import { DEFAULT_METRIC, scalerSetup } from '../scalers/scalerSetups.js';
import { fleetNeed, fleetOracle, type FleetOracleWindows } from './fleetOracle.js';
import { type FleetRunOutput, runFleetSimulation } from './fleetSimulation.js';
import { optimizerController, scheduleController } from './optimizerController.js';

/** The scalers a fleet run takes. */
export const FLEET_SCALERS = ['optimizer', 'optimizer-predictive', 'oracle'] as const;

/** The token ticks of profiles measured for a fleet run: 8 … 4,096, doubling (the bench profiles' grid). */
export const FLEET_TICKS: readonly number[] = Array.from({ length: 10 }, (_, k) => 8 * 2 ** k);

export interface FleetOptimizerSettings {
  /** The rate's window, s. */
  windowSeconds: number;
  /** The mix's window, s (AIBrix uses one 240 s window for both). */
  shapeWindowSeconds: number;
  /** Decision period, s. */
  loopSeconds: number;
  /** Demand × (1 + headroom) is covered. */
  headroom: number;
  /** Scale-down stabilisation per type, s. */
  stabilizationSeconds: number;
  /** Keep the current mix while it covers the demand within this share of the optimum's price. */
  switchTolerance: number;
}

export const FLEET_OPTIMIZER_DEFAULTS: FleetOptimizerSettings = { windowSeconds: 120, shapeWindowSeconds: 1800, loopSeconds: 10, headroom: 0.1, stabilizationSeconds: FLEET_SCALER_DEFAULTS.stabilizationSeconds, switchTolerance: FLEET_SCALER_DEFAULTS.switchTolerance };

export interface FleetSimulateConfig extends SimulateConfig {
  /** The GPU types, one deployment each (built-in names). */
  fleet: string[];
  /** Throughput profiles of the types (all on one grid); default measured at the SLO. */
  profiles?: ThroughputProfile[];
  optimizer?: Partial<FleetOptimizerSettings>;
}

export interface FleetResult extends ScalerResult {
  fleet: { byType: FleetRunOutput['byType']; misrouted: number };
}

export interface FleetComparison {
  config: FleetSimulateConfig & { optimizer: FleetOptimizerSettings };
  workload: { name: string; startIso: string; durationSeconds: number; meanRps: number; lengths: string };
  types: Array<{ name: string; costPerHour: number; maxReplicas: number; initialReplicas: number; profileCells: number }>;
  coldStart: { nominalSeconds: number; p99Seconds: number };
  oracle: { leadWindows: number; plannedCostUsd: number; partiallyCoveredWindows: number };
  warnings: string[];
  results: FleetResult[];
  /** The optimizer's decisions (time s, message), for the report. */
  decisions: Array<{ t: number; message: string }>;
}

export interface FleetHooks {
  onProgress?: (label: string, fraction: number) => void;
}

function fleetGpus(names: readonly string[]): GpuProfile[] {
  if (names.length === 0) throw new SimulatorError('InvalidConfig', '--fleet', names, 'name at least one GPU type');
  const gpus = names.map((n) => gpuProfile(n));
  const seen = new Set<string>();
  for (const g of gpus) {
    if (seen.has(g.name)) throw new SimulatorError('InvalidConfig', '--fleet', g.name, 'names a GPU type twice');
    seen.add(g.name);
  }
  return gpus;
}

function checkFleetScalers(scalers: readonly string[]): void {
  for (const s of scalers) {
    if (!(FLEET_SCALERS as readonly string[]).includes(s)) {
      throw new SimulatorError('InvalidConfig', '--scalers', s, `with --fleet, the scalers are ${FLEET_SCALERS.slice(0, -1).join(', ')} and ${FLEET_SCALERS.at(-1)} (the single-type scalers run with --gpu NAME, one type at a time)`);
    }
  }
  if (scalers.length === 0) throw new SimulatorError('InvalidConfig', '--scalers', scalers, 'name at least one scaler');
}

function settingsOf(input: Partial<FleetOptimizerSettings> | undefined): FleetOptimizerSettings {
  const s = { ...FLEET_OPTIMIZER_DEFAULTS, ...input };
  for (const [k, v] of Object.entries(s)) {
    const ok = k === 'headroom' || k === 'stabilizationSeconds' || k === 'switchTolerance' ? v >= 0 && v < Infinity : v > 0 && v < Infinity;
    if (!ok) throw new SimulatorError('InvalidConfig', `optimizer.${k}`, v, k === 'headroom' || k === 'stabilizationSeconds' || k === 'switchTolerance' ? 'must be a non-negative number' : 'must be a positive number');
  }
  return s;
}

/** Runs the fleet comparison a configuration describes, with a MIP solver (HiGHS from `@prescale/optimizer`). */
export function runFleetComparison(input: Partial<FleetSimulateConfig> & { fleet: string[] }, solver: MipSolver, hooks: FleetHooks = {}): FleetComparison {
  const progress = hooks.onProgress ?? (() => {});
  const scalers = input.scalers ?? [...FLEET_SCALERS];
  checkFleetScalers(scalers);
  const base = resolveConfig({ ...input, scalers: ['kpa'] });
  const settings = settingsOf(input.optimizer);
  const config = { ...base, scalers, fleet: input.fleet, optimizer: settings, ...(input.profiles ? { profiles: input.profiles } : {}) };
  const gpus = fleetGpus(config.fleet);
  const costs: Record<string, number> = {};
  for (const g of gpus) {
    const c = gpuCostPerHour(g.name, config.gpuCosts ?? {});
    if (c === null) throw new SimulatorError('InvalidConfig', '--gpu-cost', g.name, 'has no default price: give one with --gpu-cost NAME=USD_PER_HOUR');
    costs[g.name] = c;
  }
  const workload = loadWorkload({ ...config.workload, seed: config.seed });
  const maxModelLen = Math.min(...gpus.map((g) => g.maxModelLen));

  const profiles = gpus.map((g, k) => {
    const given = config.profiles?.find((p) => p.gpu === g.name);
    if (config.profiles !== undefined && given === undefined) throw new SimulatorError('InvalidConfig', '--profiles', g.name, 'has no profile among those given');
    if (given !== undefined) return given;
    progress(`profile ${g.name}`, 0);
    const p = measureThroughputGrid({
      gpu: g,
      inputTicks: FLEET_TICKS,
      outputTicks: FLEET_TICKS,
      slo: { ttftSeconds: config.slo.ttftSeconds, tpotSeconds: config.slo.tpotSeconds, percentile: 99 },
      cost: costs[g.name]!,
      seed: config.seed + k,
      onProgress: (done, total) => progress(`profile ${g.name}`, done / total),
    });
    return p;
  });
  const grid = profileGrid(profiles[0]!);
  profiles.forEach((p) => {
    if (!sameGrid(grid, profileGrid(p))) throw new SimulatorError('InvalidConfig', '--profiles', p.gpu, 'must share one token grid with the other types');
  });

  const W = config.windowSeconds;
  const windowCount = Math.ceil(workload.durationSeconds / W);
  const windows = Array.from({ length: windowCount }, () => ({ inputs: [] as number[], outputs: [] as number[] }));
  const source = workload.arrivals(maxModelLen);
  while (source.next()) {
    const w = Math.floor(source.time / W);
    if (w < windowCount) {
      windows[w]!.inputs.push(source.input);
      windows[w]!.outputs.push(source.output);
    }
  }
  const colds: ColdStartModel[] = gpus.map((g) => (config.coldStartSeconds !== undefined ? scaleColdStart(defaultColdStart(g.weightBytes), config.coldStartSeconds) : defaultColdStart(g.weightBytes)));
  const p99 = Math.max(...colds.map((c) => coldStartQuantile(c, 0.99, config.seed)));
  const leadWindows = Math.ceil((p99 + 15) / W);
  const bounds: Record<string, { max?: number }> = {};
  for (const g of gpus) bounds[g.name] = config.maxReplicas === 'auto' ? {} : { max: config.maxReplicas };
  const optConfig: OptimizerConfig = optimizerConfig({ profiles, costs, bounds, headroom: 0 });

  progress('oracle', 0);
  // Each window's need, solved once: it sizes `auto` maxima and the starting fleet, then the schedules.
  const solved = fleetNeed(optConfig, windows, W, solver, settings.switchTolerance);
  const peak = solved.need.map((n) => n.reduce((m, v) => Math.max(m, v), 0));
  const maxReplicas = peak.map((p) => (config.maxReplicas === 'auto' ? Math.max(1, Math.ceil(1.5 * p)) : config.maxReplicas));
  const initialReplicas = startingFleet(optConfig, windows.slice(0, Math.max(1, leadWindows)), W, solver).map((n, j) => Math.min(maxReplicas[j]!, n));
  const setupSeconds = nominalColdStartSeconds(colds[0]!);
  const oracle = fleetOracle({ windowSeconds: W, initialReplicas, maxReplicas, leadWindows, setupSeconds }, solved);
  progress('oracle', 1);

  const pools = gpus.map((g, j) => ({ gpu: g, costPerHour: costs[g.name]!, tputs: profiles[j]!.tputs, initialReplicas: initialReplicas[j]!, coldStart: colds[j]! }));
  const runConfig = optimizerConfig({ profiles, costs, bounds: Object.fromEntries(gpus.map((g, j) => [g.name, { max: maxReplicas[j]! }])), headroom: settings.headroom });
  const decisions: FleetComparison['decisions'] = [];
  const runs: FleetRunOutput[] = [];
  const walls: number[] = [];
  for (const name of scalers) {
    progress(name, 0);
    const started = performance.now();
    const controller =
      name === 'oracle'
        ? scheduleController(oracle.schedules.map((s) => s.desired), W, 10)
        : optimizerController({
            config: runConfig,
            settings: { stabilizationSeconds: settings.stabilizationSeconds, minTotalReplicas: config.minReplicas, switchTolerance: settings.switchTolerance },
            solver,
            windowSeconds: settings.windowSeconds,
            shapeWindowSeconds: settings.shapeWindowSeconds,
            holdSeconds: Math.max(settings.windowSeconds, settings.stabilizationSeconds),
            loopSeconds: settings.loopSeconds,
            startMs: workload.startMs,
            ...(name === 'optimizer-predictive' ? { forecaster: forecasterFor(workload, initialReplicas, Math.ceil(p99 + 10 + settings.loopSeconds)) } : {}),
            onDecision: (t: number, d: FleetDecision) => {
              const last = decisions.at(-1);
              if (last === undefined || !sameTargets(last.message, d.message)) decisions.push({ t, message: d.message });
            },
          });
    runs.push(
      runFleetSimulation({
        name,
        arrivals: workload.arrivals(maxModelLen),
        durationSeconds: workload.durationSeconds,
        seed: config.seed,
        grid,
        pools,
        controller,
        drainGraceSeconds: config.drainGraceSeconds,
        windowSeconds: W,
        chartWindows: Math.max(1, Math.ceil(windowCount / 1000)),
        slo: config.slo,
        onProgress: (f) => progress(name, f),
      }),
    );
    walls.push((performance.now() - started) / 1000);
  }
  const oracleRun = runs.find((r) => r.name === 'oracle');
  const results: FleetResult[] = runs.map((run, i) => {
    const r = summarize(run, { oracleGpuSeconds: oracleRun ? oracleRun.gpuSeconds : null, step: null, initialReady: 0, wallSeconds: walls[i]!, costUsd: run.costUsd, oracleCostUsd: oracleRun ? oracleRun.costUsd : null });
    return { ...r, fleet: { byType: run.byType, misrouted: run.misrouted } };
  });
  const warnings: string[] = [];
  if (oracle.partiallyCovered > 0) warnings.push(`${oracle.partiallyCovered} window(s) need more replicas than the per-type maxima (--max-replicas) allow: no schedule meets the SLO there.`);
  const plannedCostUsd = oracle.schedules.reduce((s, sch, j) => s + (sch.plannedGpuSeconds / 3600) * costs[gpus[j]!.name]!, 0);
  return {
    config,
    workload: { name: workload.name, startIso: new Date(workload.startMs).toISOString(), durationSeconds: workload.durationSeconds, meanRps: workload.meanRps, lengths: workload.lengths.name },
    types: gpus.map((g, j) => ({ name: g.name, costPerHour: costs[g.name]!, maxReplicas: maxReplicas[j]!, initialReplicas: initialReplicas[j]!, profileCells: profiles[j]!.tputs.flat().filter((v) => v > 0).length })),
    coldStart: { nominalSeconds: setupSeconds, p99Seconds: p99 },
    oracle: { leadWindows, plannedCostUsd, partiallyCoveredWindows: oracle.partiallyCovered },
    warnings,
    results,
    decisions,
  };
}

/**
 * The predictive blend whose forecast `optimizer-predictive` uses, with the warm-up as
 * its history; its replica settings are placeholders (only its forecast is read).
 */
function forecasterFor(workload: Workload, initial: readonly number[], leadTimeSeconds: number): { scaler: Scaler; state: ScalerState } {
  const total = Math.max(1, initial.reduce((a, b) => a + b, 0));
  const setup = scalerSetup('predictive', {
    minReplicas: 1,
    maxReplicas: 1000,
    target: 1,
    metric: DEFAULT_METRIC,
    capacityRps: 1,
    history: workload.history,
    startMs: workload.startMs,
    initialReplicas: total,
    targetUtilization: 1,
    leadTimeSeconds,
    utcOffsetMinutes: workload.utcOffsetMinutes,
  }, undefined);
  return { scaler: setup.scaler, state: setup.state ?? setup.scaler.init({ now: workload.startMs, readyPods: total }) };
}

/**
 * The fleet a deployment already serving the load would have at the start (as
 * `servingReplicas` for one type): one solve for the requests of the first cold start,
 * their mix at the busiest window's rate. Never empty.
 */
export function startingFleet(config: OptimizerConfig, first: FleetOracleWindows, windowSeconds: number, solver: MipSolver): number[] {
  const inputs: number[] = [];
  const outputs: number[] = [];
  let peak = 0;
  for (const w of first) {
    for (let k = 0; k < w.inputs.length; k++) {
      inputs.push(w.inputs[k]!);
      outputs.push(w.outputs[k]!);
    }
    peak = Math.max(peak, w.inputs.length / windowSeconds);
  }
  const grid = { inputTicks: config.inputTicks, outputTicks: config.outputTicks };
  const pooled = demandFromRequests(grid, { inputs, outputs }, windowSeconds * first.length);
  const demand = demandAtRate(pooled, peak) ?? pooled;
  const d = fleetStep(config, { ...FLEET_SCALER_DEFAULTS, stabilizationSeconds: 0 }, initialFleetState(), { now: 0, demand }, solver).decision;
  return config.types.map((t) => d.replicas[t.name] ?? 0);
}

/** Two decision messages with the same targets (the part before " for "). */
function sameTargets(a: string, b: string): boolean {
  return a.slice(0, a.indexOf(' for ')) === b.slice(0, b.indexOf(' for '));
}

/** The `--json` document of a fleet run: the configuration, the types and one result per scaler. */
export function fleetComparisonJson(c: FleetComparison): unknown {
  const { profiles: _profiles, ...config } = c.config;
  return { config: { ...config, workload: { ...c.config.workload, ...c.workload }, types: c.types, coldStart: c.coldStart, oracle: c.oracle }, warnings: c.warnings, results: c.results, decisions: c.decisions };
}
