/**
 * The forecasting models prescale offers and the settings they share (reference
 * predictive.md §9.2 for the baselines, §1 and §10.2 for the Scryer-style pattern
 * model, §5 and §6.1 for choosing a model by an asymmetric loss with hysteresis).
 * @module
 */
import { PrescaleError } from '../errors.js';
import { atLeast, inRange, knownKeys, oneOf, positive } from '../validate.js';

/** Every forecaster; `auto` picks one of them per series by a walk-forward backtest. */
export const MODEL_NAMES = [
  'scryer',
  'persistence',
  'seasonal-naive-daily',
  'seasonal-naive-weekly',
  'last-week-max',
  'holt-winters',
] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
export type ModelChoice = ModelName | 'auto';
export const MODEL_CHOICES: readonly ModelChoice[] = ['auto', ...MODEL_NAMES];

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

export interface ForecastSettingsInput {
  /** Weeks of history the pattern may use, and the cap on history kept (1–12). */
  maxWeeks?: number;
  /** Half-life of the recency weights of older weeks (or days) in a slot, in weeks. */
  recencyHalfLifeWeeks?: number;
  /** Share of a slot's values clipped at each end before averaging (winsorising), [0, 0.45]. */
  winsorizeFraction?: number;
  /** Span of the out-of-sample errors that choose parameters and models and give quantiles, days. */
  evaluationDays?: number;
  /** At most this many errors in that span (fine bins are sampled evenly). */
  maxEvaluationSamples?: number;
  /** A model forecasts only once it has this many scored errors. */
  minEvaluationSamples?: number;
  /** Cost of under-forecasting one unit relative to over-forecasting one unit (≥ 1). */
  underForecastWeight?: number;
  /** A challenger replaces the current choice only when its loss is below (1 − hysteresis) × the current's. */
  hysteresis?: number;
  /** The upper quantile reported next to p50 and used to scale (0.5–0.999). */
  quantile?: number;
  /** Observed history needed for the daily pattern, days. */
  dailyAfterDays?: number;
  /** Observed history needed for the weekly pattern, days. */
  weeklyAfterDays?: number;
  /** Models `auto` chooses from. */
  autoModels?: readonly ModelName[];
}

export type ForecastSettings = Required<Omit<ForecastSettingsInput, 'autoModels'>> & { autoModels: readonly ModelName[] };

export const DEFAULT_FORECAST_SETTINGS: ForecastSettings = {
  maxWeeks: 12,
  recencyHalfLifeWeeks: 4,
  winsorizeFraction: 0.2,
  evaluationDays: 7,
  maxEvaluationSamples: 1008,
  minEvaluationSamples: 36,
  underForecastWeight: 2,
  hysteresis: 0.1,
  quantile: 0.9,
  dailyAfterDays: 1,
  weeklyAfterDays: 14,
  autoModels: MODEL_NAMES,
};

const KEYS = Object.keys(DEFAULT_FORECAST_SETTINGS);

/**
 * Validates forecast settings and fills defaults.
 * @throws PrescaleError `InvalidConfig` naming the field.
 */
export function forecastSettings(input: ForecastSettingsInput = {}, field = 'settings'): ForecastSettings {
  if (typeof input !== 'object' || input === null) throw new PrescaleError('InvalidConfig', field, input, 'must be an object');
  knownKeys(field, input, KEYS);
  const d = DEFAULT_FORECAST_SETTINGS;
  const int = (name: keyof ForecastSettingsInput, v: number, min: number, max: number): number => {
    inRange(`${field}.${name}`, v, min, max);
    if (!Number.isInteger(v)) throw new PrescaleError('InvalidConfig', `${field}.${name}`, v, 'must be an integer');
    return v;
  };
  const s: ForecastSettings = {
    maxWeeks: int('maxWeeks', input.maxWeeks ?? d.maxWeeks, 1, 12),
    recencyHalfLifeWeeks: positive(`${field}.recencyHalfLifeWeeks`, input.recencyHalfLifeWeeks ?? d.recencyHalfLifeWeeks),
    winsorizeFraction: inRange(`${field}.winsorizeFraction`, input.winsorizeFraction ?? d.winsorizeFraction, 0, 0.45),
    evaluationDays: inRange(`${field}.evaluationDays`, input.evaluationDays ?? d.evaluationDays, 0.25, 84),
    maxEvaluationSamples: int('maxEvaluationSamples', input.maxEvaluationSamples ?? d.maxEvaluationSamples, 10, 100_000),
    minEvaluationSamples: int('minEvaluationSamples', input.minEvaluationSamples ?? d.minEvaluationSamples, 1, 100_000),
    underForecastWeight: atLeast(`${field}.underForecastWeight`, input.underForecastWeight ?? d.underForecastWeight, 1),
    hysteresis: inRange(`${field}.hysteresis`, input.hysteresis ?? d.hysteresis, 0, 0.9),
    quantile: inRange(`${field}.quantile`, input.quantile ?? d.quantile, 0.5, 0.999),
    dailyAfterDays: inRange(`${field}.dailyAfterDays`, input.dailyAfterDays ?? d.dailyAfterDays, 1, 84),
    weeklyAfterDays: inRange(`${field}.weeklyAfterDays`, input.weeklyAfterDays ?? d.weeklyAfterDays, 7, 84),
    autoModels: input.autoModels ?? d.autoModels,
  };
  if (s.minEvaluationSamples > s.maxEvaluationSamples) {
    throw new PrescaleError('InvalidConfig', `${field}.minEvaluationSamples`, s.minEvaluationSamples, `must not exceed maxEvaluationSamples (${s.maxEvaluationSamples})`);
  }
  if (s.weeklyAfterDays < s.dailyAfterDays) {
    throw new PrescaleError('InvalidConfig', `${field}.weeklyAfterDays`, s.weeklyAfterDays, `must not be less than dailyAfterDays (${s.dailyAfterDays})`);
  }
  if (!Array.isArray(s.autoModels) || s.autoModels.length === 0) {
    throw new PrescaleError('InvalidConfig', `${field}.autoModels`, s.autoModels, 'must list at least one model');
  }
  s.autoModels.forEach((m, i) => oneOf(`${field}.autoModels[${i}]`, m, MODEL_NAMES));
  return s;
}

/** Parses a model name (`auto` or one of {@link MODEL_NAMES}). */
export function modelChoice(field: string, value: unknown): ModelChoice {
  return oneOf(field, value, MODEL_CHOICES);
}

/** How errors are sampled: every `stride`-th bin, `capacity` of them in a window. */
export function evaluationSampling(binMs: number, settings: ForecastSettings): { stride: number; capacity: number } {
  const bins = Math.max(1, Math.round((settings.evaluationDays * DAY_MS) / binMs));
  const stride = Math.max(1, Math.ceil(bins / settings.maxEvaluationSamples));
  return { stride, capacity: Math.max(1, Math.ceil(bins / stride)) };
}
