/**
 * Walk-forward backtest (reference predictive.md §9): from the end of the warm-up to
 * the end of the series, one forecast per bin per model, each made from the bins
 * before its issue time only, then scored against what came. Reports per model MAE
 * (of the p50), MAE relative to persistence and to weekly seasonal naive over the
 * same rows, WMAPE, coverage of the upper quantile and its pinball loss. Rows whose
 * target is a gap have no actual and are not scored. In a time zone (`timeZone`) the
 * models run on the zone's local axis (series/timeZone.ts) and are scored on the UTC
 * bins, so the two backtests of one trace compare row for row.
 * @module
 */
import type { BinnedSeries } from '../series/binnedSeries.js';
import { toLocalAxis, zoneAxis } from '../series/timeZone.js';
import { toZoneAxis } from '../series/zonedSeries.js';
import { nonNegative } from '../validate.js';
import { horizonBins } from './forecast.js';
import { evaluationSampling, type ForecastSettingsInput, forecastSettings, type ModelChoice, modelChoice, type ModelName } from './forecastSettings.js';
import { type OutageWindow, prepareSeries } from './preparedSeries.js';
import { walkForward } from './walkForward.js';

export interface BacktestRequest {
  series: BinnedSeries;
  horizonMs: number;
  /** History before the first forecast, ms (default 14 days). */
  warmupMs?: number;
  /** Models to report (default: all and auto). */
  models?: readonly ModelChoice[];
  outages?: readonly OutageWindow[];
  settings?: ForecastSettingsInput;
  /** IANA time zone of the pattern, daylight saving included; absent: the series' fixed `utcOffsetMinutes`. */
  timeZone?: string;
  onProgress?(done: number, total: number): void;
}

/** Forecasts of one model, indexed by issue: `p50[i]` is issued at `issuedMs(i)`; NaN: no forecast. */
export interface BacktestForecasts {
  model: ModelChoice;
  p50: Float64Array;
  upper: Float64Array;
  /**
   * For auto: each model's share of its forecast per issue, issue-major
   * (`weights[i · models.length + m]`, indexed like {@link BacktestResult.models}); all 0 where auto had none.
   */
  weights?: Float64Array;
}

export interface BacktestSummary {
  model: ModelChoice;
  /** Scored rows: the model, persistence and weekly seasonal naive all forecast and the actual is known. */
  rows: number;
  mae: number;
  /** MAE / persistence's MAE over the same rows. */
  maeVsPersistence: number;
  /** MAE / weekly seasonal naive's MAE over the same rows. */
  maeVsSeasonalNaiveWeekly: number;
  wmape: number;
  /** Share of rows with actual ≤ upper quantile. */
  coverage: number;
  /** Mean pinball loss of the upper quantile. */
  pinball: number;
  /** For auto: each model's mean share of its forecast over the scored rows (the shares sum to 1). */
  weights?: Partial<Record<ModelName, number>>;
}

export interface BacktestResult {
  startMs: number;
  binMs: number;
  utcOffsetMinutes: number;
  horizonMs: number;
  horizonBins: number;
  quantile: number;
  /** First issue index (end of the warm-up). */
  firstIssue: number;
  /** Number of issues: issue i is at bin `firstIssue + i`, its target bin `firstIssue + i − 1 + horizonBins`. */
  issues: number;
  /** The target bins' actual values (NaN: a gap). */
  actual: Float64Array;
  /** Bins of the series whose value was outside the plausible range of demand (negative, not finite, above a billion requests per second), read as gaps. */
  implausibleBins: number;
  /** Every model run (the requested ones, the baselines for the ratios, auto's candidates). */
  models: readonly ModelName[];
  forecasts: BacktestForecasts[];
  summary: BacktestSummary[];
}

const ALL: readonly ModelChoice[] = ['auto', 'scryer', 'persistence', 'seasonal-naive-daily', 'seasonal-naive-weekly', 'last-week-max', 'holt-winters'];

/**
 * Runs the backtest. Values outside the plausible range of demand are gaps (not
 * forecast from, not scored), counted in `implausibleBins`.
 * @throws PrescaleError for a bad series, settings, horizon or model name.
 */
export function backtest(request: BacktestRequest): BacktestResult {
  if (request.timeZone !== undefined) return backtestInZone({ ...request, timeZone: request.timeZone });
  const settings = forecastSettings(request.settings);
  const { series } = request;
  const binMs = series.binMs;
  const h = horizonBins('horizonMs', request.horizonMs, binMs);
  const requested = (request.models ?? ALL).map((m, i) => modelChoice(`models[${i}]`, m));
  const warmupMs = nonNegative('warmupMs', request.warmupMs ?? 14 * 86_400_000);
  const prep = prepareSeries(series, request.outages ?? []);
  const wantAuto = requested.includes('auto');
  const runSet = new Set<ModelName>(['persistence', 'seasonal-naive-weekly']);
  for (const m of requested) if (m !== 'auto') runSet.add(m);
  if (wantAuto) for (const m of settings.autoModels) runSet.add(m);
  const models = [...runSet];
  const firstIssue = Math.max(1, Math.ceil(warmupMs / binMs));
  const lastIssue = prep.n - h; // target bin n − 1
  const issues = Math.max(0, lastIssue - firstIssue + 1);
  const p50 = models.map(() => new Float64Array(issues).fill(Number.NaN));
  const upper = models.map(() => new Float64Array(issues).fill(Number.NaN));
  const autoP50 = new Float64Array(issues).fill(Number.NaN);
  const autoUpper = new Float64Array(issues).fill(Number.NaN);
  const M = models.length;
  const weights = new Float64Array(wantAuto ? issues * M : 0);
  const actual = new Float64Array(issues);
  for (let i = 0; i < issues; i++) actual[i] = prep.values[firstIssue + i - 1 + h]!;
  const sampling = evaluationSampling(binMs, settings);
  if (issues > 0) {
    walkForward({
      prep,
      horizonBins: h,
      settings,
      models,
      autoModels: wantAuto ? settings.autoModels : [],
      // Start early enough that the error windows are full at the end of the warm-up
      // (the models learn from their own out-of-sample errors there, as a single
      // forecast does); report from the end of the warm-up.
      from: Math.max(0, firstIssue - sampling.capacity * sampling.stride - h - 1),
      to: lastIssue,
      everyIssue: true,
      sequentialStart: 0,
      onIssue(view) {
        const i = view.t - firstIssue;
        if (i < 0) return;
        for (let m = 0; m < models.length; m++) {
          p50[m]![i] = view.p50[m]!;
          upper[m]![i] = view.upper[m]!;
        }
        if (wantAuto && view.auto >= 0) {
          weights.set(view.autoWeights, i * M);
          autoP50[i] = view.autoP50;
          autoUpper[i] = view.autoUpper;
        }
      },
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    });
  }
  const forecasts: BacktestForecasts[] = requested.map((m) => {
    if (m === 'auto') return { model: 'auto', p50: autoP50, upper: autoUpper, weights };
    const k = models.indexOf(m);
    return { model: m, p50: p50[k]!, upper: upper[k]! };
  });
  const persistence = p50[models.indexOf('persistence')]!;
  const weekly = p50[models.indexOf('seasonal-naive-weekly')]!;
  const summary = forecasts.map((f) => summarise(f, actual, persistence, weekly, settings.quantile, models));
  return {
    startMs: series.startMs,
    binMs,
    utcOffsetMinutes: series.utcOffsetMinutes,
    horizonMs: request.horizonMs,
    horizonBins: h,
    quantile: settings.quantile,
    firstIssue,
    issues,
    actual,
    implausibleBins: prep.implausible,
    models,
    forecasts,
    summary,
  };
}

/**
 * The backtest on the local axis of `request.timeZone` (anchored at the series' end),
 * each UTC target bin scored against the forecast of its local bin issued `horizon`
 * local bins before it. Rows within one horizon after a change of offset read a local
 * issue up to the change's size away from the UTC one.
 */
function backtestInZone(request: BacktestRequest & { timeZone: string }): BacktestResult {
  const { series, timeZone, ...rest } = request;
  const { binMs } = series;
  const axis = zoneAxis(timeZone, binMs, series.startMs + Math.max(0, series.values.length - 1) * binMs);
  const local = toZoneAxis(series, axis);
  // The baselines of the ratios are run anyway; ask for them to read their forecasts.
  const requested = (request.models ?? ALL).map((m, i) => modelChoice(`models[${i}]`, m));
  const run = backtest({ ...rest, series: local, models: [...new Set<ModelChoice>([...requested, 'persistence', 'seasonal-naive-weekly'])] });
  const h = run.horizonBins;
  const prep = prepareSeries(series, request.outages ?? []);
  const firstIssue = Math.max(1, Math.ceil((request.warmupMs ?? 14 * 86_400_000) / binMs));
  const issues = Math.max(0, prep.n - h - firstIssue + 1);
  const actual = new Float64Array(issues);
  // Per UTC issue, the local issue whose target is the UTC target's local bin (-1: none).
  const from = new Int32Array(issues);
  for (let i = 0; i < issues; i++) {
    const target = firstIssue + i - 1 + h;
    actual[i] = prep.values[target]!;
    const localTarget = Math.round((toLocalAxis(axis, series.startMs + target * binMs) - local.startMs) / binMs);
    const k = localTarget + 1 - h - run.firstIssue;
    from[i] = k >= 0 && k < run.issues ? k : -1;
  }
  const M = run.models.length;
  const pick = (a: Float64Array, width = 1): Float64Array => {
    const out = new Float64Array(issues * width).fill(Number.NaN);
    for (let i = 0; i < issues; i++) if (from[i]! >= 0) out.set(a.subarray(from[i]! * width, (from[i]! + 1) * width), i * width);
    return out;
  };
  const all: BacktestForecasts[] = run.forecasts.map((f) => ({ model: f.model, p50: pick(f.p50), upper: pick(f.upper), ...(f.weights ? { weights: pick(f.weights, M).map((w) => (w === w ? w : 0)) } : {}) }));
  const forecasts = requested.map((m) => all.find((f) => f.model === m)!);
  const persistence = all.find((f) => f.model === 'persistence')!.p50;
  const weekly = all.find((f) => f.model === 'seasonal-naive-weekly')!.p50;
  const tau = run.quantile;
  return {
    ...run,
    startMs: series.startMs,
    utcOffsetMinutes: series.utcOffsetMinutes,
    firstIssue,
    issues,
    actual,
    implausibleBins: prep.implausible,
    forecasts,
    summary: forecasts.map((f) => summarise(f, actual, persistence, weekly, tau, run.models)),
  };
}

function summarise(
  f: BacktestForecasts,
  actual: Float64Array,
  persistence: Float64Array,
  weekly: Float64Array,
  tau: number,
  models: readonly ModelName[],
): BacktestSummary {
  let rows = 0;
  let abs = 0;
  let absP = 0;
  let absW = 0;
  let total = 0;
  let covered = 0;
  let pinball = 0;
  const shares = new Float64Array(models.length);
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i]!;
    const q50 = f.p50[i]!;
    const p = persistence[i]!;
    const w = weekly[i]!;
    if (y !== y || q50 !== q50 || p !== p || w !== w) continue;
    const up = f.upper[i]!;
    rows++;
    abs += Math.abs(y - q50);
    absP += Math.abs(y - p);
    absW += Math.abs(y - w);
    total += Math.abs(y);
    if (y <= up) covered++;
    pinball += y >= up ? tau * (y - up) : (1 - tau) * (up - y);
    if (f.weights) for (let m = 0; m < models.length; m++) shares[m] = shares[m]! + f.weights[i * models.length + m]!;
  }
  return {
    model: f.model,
    rows,
    mae: abs / rows,
    maeVsPersistence: abs / absP,
    maeVsSeasonalNaiveWeekly: abs / absW,
    wmape: abs / total,
    coverage: covered / rows,
    pinball: pinball / rows,
    ...(f.weights ? { weights: meanShares(models, shares, rows) } : {}),
  };
}

/** Each model's mean share over `rows` rows, for the models that had any. */
function meanShares(models: readonly ModelName[], sums: Float64Array, rows: number): Partial<Record<ModelName, number>> {
  const out: Partial<Record<ModelName, number>> = {};
  models.forEach((m, i) => {
    if (sums[i]! > 0) out[m] = sums[i]! / rows;
  });
  return out;
}
