/**
 * `prescale tune`, the library part: for each scaler, search its parameters for the
 * configuration with the fewest GPU-hours that meets the SLO target on the tuning part
 * ({@link searchScaler}), then run its defaults and the winner over the whole span so
 * both are measured on the validation part the search never saw, beside the oracle for
 * scale. Runs go through a {@link TaskRunner}, so the caller decides where they run (a
 * worker pool, or in process); the outcome is the same either way.
 * @module
 */
import type { ScalerSpec } from '@prescale/core';
import { type PreparedComparison, type SimulateConfig } from '../compare.js';
import { scalerSetup } from '../scalers/scalerSetups.js';
import { paretoFront, searchScaler, type TaskRunner } from './search.js';
import type { TunableScaler, TunePoint } from './searchSpace.js';
import { overrideFor, type TuneMetrics, type TunePlan, type TuneTask } from './tuneTask.js';

export interface TuneSettings {
  scalers: readonly TunableScaler[];
  /** Full-length simulations of the tuning part per scaler. */
  budget: number;
  /** SLO attainment to meet on the tuning part. */
  target: number;
  seed: number;
  /** Runs the searches' simulations; it may reject once the user stops. */
  run: TaskRunner;
  /** Runs the final measurements (defaults, winners, oracle); default `run`. */
  runFinal?: TaskRunner;
  stopped?: () => boolean;
}

export interface PartMetrics {
  tuning: TuneMetrics;
  validation: TuneMetrics;
}

export interface TunedScaler {
  scaler: TunableScaler;
  default: PartMetrics & { spec: ScalerSpec };
  /** null when no candidate met the target on the tuning part. */
  best: (PartMetrics & { point: TunePoint | null; spec: ScalerSpec }) | null;
  /** The Pareto front (GPU-hours against SLO attainment) of the candidates run over the whole tuning part. */
  frontier: Array<{ point: TunePoint | null; spec: ScalerSpec; tuning: TuneMetrics }>;
  /** Budget spent and simulations run by the search. */
  spent: number;
  runs: number;
}

export interface TuneOutcome {
  oracle: PartMetrics;
  scalers: TunedScaler[];
  /** The search was stopped before it spent its budget. */
  stopped: boolean;
}

/** The shortest tuning-part prefix worth screening on: six hours, or all of a shorter tuning part. */
const MIN_SCREEN_SECONDS = 6 * 3600;

/**
 * The configuration workers rebuild the same prepared comparison from, without measuring
 * the capacity profile again: the prepared one's capacity, target and initial replicas.
 */
export function workerConfig(p: PreparedComparison): Partial<SimulateConfig> {
  return { ...p.config, capacityRps: p.capacityRps, target: p.target, initialReplicas: p.initialReplicas };
}

/** The core spec a point gives (null: the defaults). */
export function specFor(p: PreparedComparison, scaler: TunableScaler, point: TunePoint | null): ScalerSpec {
  return scalerSetup(scaler, p.ctx, overrideFor(p, scaler, point)).spec;
}

function both(r: { tuning: TuneMetrics; validation: TuneMetrics | null }): PartMetrics {
  return { tuning: r.tuning, validation: r.validation ?? r.tuning };
}

/** Tunes every scaler of `settings` on the prepared comparison split by `plan`. */
export async function tuneScalers(p: PreparedComparison, plan: TunePlan, settings: TuneSettings): Promise<TuneOutcome> {
  const minFraction = Math.min(1, MIN_SCREEN_SECONDS / plan.tuningSeconds);
  const searches = await Promise.all(
    settings.scalers.map((scaler) =>
      searchScaler({ scaler, budget: settings.budget, seed: settings.seed, target: settings.target, minFraction, run: settings.run, ...(settings.stopped ? { stopped: settings.stopped } : {}) }),
    ),
  );
  // Every scaler's defaults and winner over the whole span, and the oracle, in one batch.
  const finals: TuneTask[] = [{ scaler: 'oracle', point: null, fraction: 1, whole: true }];
  searches.forEach((s, i) => {
    const scaler = settings.scalers[i]!;
    finals.push({ scaler, point: null, fraction: 1, whole: true });
    if (s.best !== null) finals.push({ scaler, point: s.best.point, fraction: 1, whole: true });
  });
  const results = await (settings.runFinal ?? settings.run)(finals);
  let k = 1;
  const scalers = searches.map((s, i): TunedScaler => {
    const scaler = settings.scalers[i]!;
    const defaults = both(results[k++]!);
    const best = s.best === null ? null : { ...both(results[k++]!), point: s.best.point, spec: specFor(p, scaler, s.best.point) };
    return {
      scaler,
      default: { ...defaults, spec: specFor(p, scaler, null) },
      best,
      frontier: paretoFront(s.full).map((e) => ({ point: e.point, spec: specFor(p, scaler, e.point), tuning: e.tuning })),
      spent: s.spent,
      runs: s.runs,
    };
  });
  return { oracle: both(results[0]!), scalers, stopped: searches.some((s) => s.stopped) };
}

/**
 * The `--json` document of `prescale tune`, where `M` is `{ gpuHours, sloAttainment }`:
 * `{ oracle: { tuning: M, validation: M }, scalers: [{ scaler, default: { tuning, validation },
 * best: { config, tuning, validation } | null, frontier: [{ config, tuning }] }] }`; `config` is
 * the core scaler spec (`createScaler`'s input); `parameters` the searched values.
 */
export function tuneJson(outcome: TuneOutcome, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const m = (x: TuneMetrics) => ({ gpuHours: x.gpuHours, sloAttainment: x.sloAttainment });
  return {
    ...extra,
    stopped: outcome.stopped,
    oracle: { tuning: m(outcome.oracle.tuning), validation: m(outcome.oracle.validation) },
    scalers: outcome.scalers.map((s) => ({
      scaler: s.scaler,
      default: { config: s.default.spec, tuning: m(s.default.tuning), validation: m(s.default.validation) },
      best: s.best === null ? null : { config: s.best.spec, parameters: s.best.point, tuning: m(s.best.tuning), validation: m(s.best.validation) },
      frontier: s.frontier.map((f) => ({ config: f.spec, parameters: f.point, tuning: m(f.tuning) })),
      spent: s.spent,
      runs: s.runs,
    })),
  };
}
