/**
 * A fit: what the walk-forward learns at an issue time, kept as small plain JSON so a
 * scaler can forecast from it later without running the walk-forward again (reference
 * predictive.md §10.2: fit offline or rarely, predict every loop). Per horizon it holds
 * the chosen model and parameter candidate (for `auto`, the models it combines, each
 * with its candidate and weight), what a candidate needs to forecast later (Scryer's
 * pattern variant, form and fitted level weights; Holt-Winters' smoothing constants;
 * nothing for the baselines) and the quantile calibration (the median and the upper
 * quantile of the candidate's, or the combination's, recent relative errors, at the
 * adaptive level). Plus the settings, the history state and the fit time.
 * {@link predictPrepared} forecasts from it.
 *
 * Holt-Winters' smoothed state is not kept: its daily season is one number per bin of
 * a day (1,440 at 1-minute bins, about 28 KB of JSON per candidate), and replaying the
 * two weeks a single forecast learns from costs well under a millisecond.
 * @module
 */
import { PrescaleError } from '../errors.js';
import { finite, nonNegative, nonNegativeInt, oneOf, positive, timestamp } from '../validate.js';
import { type CombinedModel, describeCombination } from './autoCombination.js';
import { type SortedWindow, windowQuantile } from './empiricalQuantiles.js';
import type { CandidateParameters } from './candidateParameters.js';
import type { ForecastStatus } from './forecastResult.js';
import type { HistoryState } from './historyState.js';
import { holtWintersStart } from './models/holtWinters.js';
import { DAY_MS, evaluationSampling, type ForecastSettings, forecastSettings, type ModelChoice, modelChoice, MODEL_CHOICES, MODEL_NAMES, type ModelName } from './forecastSettings.js';
import type { PreparedSeries } from './preparedSeries.js';
import { walkForward } from './walkForward.js';

/** A model of `auto`'s combination as a fit keeps it: its candidate, what that needs to forecast, and its weight. */
export interface FittedComponent extends CombinedModel, CandidateParameters {}

/** One horizon of a fit: the candidate that forecasts it (or `auto`'s combination) and its calibration. */
export interface FittedHorizon extends CandidateParameters {
  /** How far past the issue time the target bin ends, ms (one bin for the next bin). */
  horizonMs: number;
  /** The model; `auto` when the horizon is a combination (`components`). */
  model: ModelChoice;
  /** The chosen candidate's label, e.g. `weekly k=4 add fitted level`; for a combination its weights, e.g. `scryer 70 % + holt-winters 30 %`. */
  parameters: string;
  /** `auto`'s combination: the models, their candidates and weights (summing to 1), in the order of `autoModels`. */
  components?: FittedComponent[];
  /** Scored out-of-sample errors behind the choice and the quantiles. */
  samples: number;
  /** Mean absolute relative error of those errors. */
  recentError: number;
  /** Median of the candidate's (or the combination's) recent relative errors (the p50 is ŷ + s · errorP50). */
  errorP50: number;
  /** Their quantile at `level` (the upper quantile is ŷ + s · errorUpper). */
  errorUpper: number;
  /** The adaptive level of the upper quantile when the fit was made. */
  level: number;
}

/** Mean absolute value of a window's relative errors (NaN when empty). */
function meanAbsolute(w: SortedWindow): number {
  let abs = 0;
  for (let i = 0; i < w.size; i++) abs += Math.abs(w.values[i]!);
  return w.size > 0 ? abs / w.size : Number.NaN;
}

/** The fit format of this version (2: `auto` is a combination; a fit of format 1 is refused, and a scaler refits). */
export const FIT_FORMAT = 2 as const;

export type ForecastFit = ForecastStatus & {
  format: typeof FIT_FORMAT;
  /** The model asked for (`auto` or one model). */
  model: ModelChoice;
  /** Issue time of the fit, ms: it learnt from the bins that ended by then. */
  fittedMs: number;
  binMs: number;
  /** Horizons fitted: one per bin up to this many bins ahead. */
  horizonBins: number;
  settings: ForecastSettings;
  history: HistoryState;
  /** Bins of the history the fit learnt from that were implausible demand and read as gaps (absent in fits stored by older versions). */
  implausibleBins?: number;
  /** One per horizon (empty unless `status` is `ok`). */
  horizons: FittedHorizon[];
};

/**
 * Runs the walk-forward over the evaluation window before issue index `t`, once per
 * horizon, and keeps what it chose. Pure; `prep` holds the bins before `t`.
 */
export function fitPrepared(prep: PreparedSeries, t: number, H: number, model: ModelChoice, settings: ForecastSettings): ForecastFit {
  const binMs = prep.binMs;
  const models: readonly ModelName[] = model === 'auto' ? settings.autoModels : [model];
  const { stride, capacity } = evaluationSampling(binMs, settings);
  const horizons: FittedHorizon[] = [];
  let history: HistoryState = { state: 'NotEnoughHistory', haveMs: 0, needMs: settings.dailyAfterDays * DAY_MS };
  let failure: ForecastStatus | null = null;
  for (let h = 1; h <= H && failure === null; h++) {
    walkForward({
      prep,
      horizonBins: h,
      settings,
      models,
      autoModels: model === 'auto' ? models : [],
      from: Math.max(0, t - capacity * stride - h - 1),
      to: t,
      everyIssue: false,
      sequentialStart: holtWintersStart(t, binMs),
      onIssue(view, engines, windows) {
        history = view.history;
        const m = model === 'auto' ? view.auto : 0;
        if (history.state === 'NotEnoughHistory' && (model === 'auto' || model === 'scryer')) {
          failure = { status: 'NotEnoughHistory', haveMs: history.haveMs, needMs: history.needMs };
          return;
        }
        if (m < 0 || view.p50[m]! !== view.p50[m]!) {
          failure = notReady(view.haveMs, models.map((_, i) => ({ need: engines[i]!.needMs, samples: view.samples[i]! })), h * binMs, stride * binMs, settings);
          return;
        }
        if (model === 'auto' && view.autoCombined) {
          const components: FittedComponent[] = [];
          models.forEach((name, i) => {
            const weight = view.autoWeights[i]!;
            const c = view.candidate[i]!;
            if (weight > 0) components.push({ model: name, parameters: engines[i]!.candidates[c]!, weight, ...engines[i]!.parameters?.(c) });
          });
          horizons.push({
            horizonMs: h * binMs,
            model: 'auto',
            parameters: describeCombination(components),
            components,
            samples: view.autoSamples,
            recentError: meanAbsolute(view.autoErrors),
            errorP50: windowQuantile(view.autoErrors, 0.5),
            errorUpper: windowQuantile(view.autoErrors, view.autoLevel),
            level: view.autoLevel,
          });
          return;
        }
        const w = windows[m]!;
        const c = view.candidate[m]!;
        horizons.push({
          horizonMs: h * binMs,
          model: models[m]!,
          parameters: engines[m]!.candidates[c]!,
          samples: view.samples[m]!,
          recentError: meanAbsolute(w.sorted),
          errorP50: windowQuantile(w.sorted, 0.5),
          errorUpper: windowQuantile(w.sorted, view.level[m]!),
          level: view.level[m]!,
          ...engines[m]!.parameters?.(c),
        });
      },
    });
  }
  const base = { format: FIT_FORMAT, model, fittedMs: prep.startMs + t * binMs, binMs, horizonBins: H, settings, history, implausibleBins: prep.implausible };
  if (failure !== null) return { ...(failure as ForecastStatus), ...base, horizons: [] };
  return { status: 'ok', ...base, horizons };
}

/** Why no model could forecast: the history it still needs (its own need plus enough scored errors). */
function notReady(
  haveMs: number,
  models: Array<{ need: number; samples: number }>,
  horizonMs: number,
  sampleMs: number,
  settings: ForecastSettings,
): ForecastStatus {
  let needMs = Number.POSITIVE_INFINITY;
  for (const m of models) {
    const warmUp = m.need + horizonMs + settings.minEvaluationSamples * sampleMs;
    const need = haveMs >= warmUp ? haveMs + Math.max(1, settings.minEvaluationSamples - m.samples) * sampleMs : warmUp;
    needMs = Math.min(needMs, need);
  }
  if (haveMs >= needMs) return { status: 'NoForecast', message: 'the target bin has no observed copies in the pattern' };
  return { status: 'NotEnoughHistory', haveMs, needMs };
}

const HISTORY_STATES = ['NotEnoughHistory', 'DailyPattern', 'WeeklyPattern'] as const;

/**
 * Checks a fit that may have come back from storage (JSON) and returns it with its
 * settings validated.
 * @throws PrescaleError `InvalidConfig` naming the first bad field.
 */
export function checkFit(fit: ForecastFit, field = 'fit'): ForecastFit {
  const bad = (name: string, value: unknown, message: string): never => {
    throw new PrescaleError('InvalidConfig', `${field}${name}`, value, message);
  };
  if (typeof fit !== 'object' || fit === null) bad('', fit, 'must be a fit (from fitForecast)');
  if (fit.format !== FIT_FORMAT) bad('.format', fit.format, `must be ${FIT_FORMAT} (a fit from this version; fit again)`);
  modelChoice(`${field}.model`, fit.model);
  timestamp(`${field}.fittedMs`, fit.fittedMs);
  positive(`${field}.binMs`, fit.binMs);
  if (!Number.isInteger(fit.horizonBins) || fit.horizonBins < 1) bad('.horizonBins', fit.horizonBins, 'must be a whole number ≥ 1');
  const settings = forecastSettings(fit.settings, `${field}.settings`);
  if (typeof fit.history !== 'object' || fit.history === null) bad('.history', fit.history, 'must be a history state');
  oneOf(`${field}.history.state`, fit.history.state, HISTORY_STATES);
  nonNegative(`${field}.history.haveMs`, fit.history.haveMs);
  oneOf(`${field}.status`, fit.status, ['ok', 'NotEnoughHistory', 'NoForecast'] as const);
  if (!Array.isArray(fit.horizons)) bad('.horizons', fit.horizons, 'must be an array');
  if (fit.status === 'NotEnoughHistory') nonNegative(`${field}.needMs`, fit.needMs);
  if (fit.status !== 'ok') return { ...fit, settings };
  if (fit.horizons.length !== fit.horizonBins) bad('.horizons', fit.horizons.length, `must hold one entry per horizon (${fit.horizonBins})`);
  /** A model and what its candidate needs to forecast later. */
  const candidate = (at: string, c: { model: unknown; parameters: unknown } & CandidateParameters, models: readonly string[]): void => {
    if (typeof c !== 'object' || c === null) bad(at, c, 'must be a fitted model');
    oneOf(`${field}${at}.model`, c.model, models);
    if (typeof c.parameters !== 'string') bad(`${at}.parameters`, c.parameters, 'must be a string');
    if (c.model === 'scryer' && (typeof c.scryer !== 'object' || c.scryer === null || !Array.isArray(c.scryer.weights))) {
      bad(`${at}.scryer`, c.scryer, 'must hold the pattern variant, form and level weights');
    }
    if (c.model === 'holt-winters') {
      const q = c.holtWinters;
      if (typeof q !== 'object' || q === null || ![q.alpha, q.beta, q.gamma].every((v) => typeof v === 'number' && v > 0 && v <= 1)) {
        bad(`${at}.holtWinters`, q, 'must hold alpha, beta and gamma in (0, 1]');
      }
    }
  };
  fit.horizons.forEach((h, i) => {
    const at = `.horizons[${i}]`;
    candidate(at, h, MODEL_CHOICES);
    nonNegativeInt(`${field}${at}.samples`, h.samples);
    for (const key of ['recentError', 'errorP50', 'errorUpper', 'level'] as const) finite(`${field}${at}.${key}`, h[key]);
    if (h.model !== 'auto') return;
    if (!Array.isArray(h.components) || h.components.length === 0) bad(`${at}.components`, h.components, 'must list the models auto combines');
    h.components!.forEach((c, j) => {
      candidate(`${at}.components[${j}]`, c, MODEL_NAMES);
      if (!(typeof c.weight === 'number' && c.weight > 0 && c.weight <= 1)) bad(`${at}.components[${j}].weight`, c.weight, 'must be a share in (0, 1]');
    });
  });
  return { ...fit, settings };
}
