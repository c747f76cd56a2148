/**
 * The Scryer-style forecaster (reference predictive.md §1 and §10.2; DESIGN.md
 * "predictive"): for a target bin, the same slot (same weekday and time of day) over
 * the last k weeks, averaged robustly and with recency weights ({@link
 * winsorizedWeightedMean}), then level-corrected by what happened recently against
 * what the same pattern said for it:
 *
 *     P(T)  = robust average of y(T − j·lag), j = 1..k
 *     r_m   = mean of y over the last m bins − the pattern of that window (m = 10 min, 30 min, 2 h)
 *     additive:        ŷ = P(T) + Σ β_m · r_m
 *     multiplicative:  ŷ = P(T) · (1 + Σ β_m · (A_m / B_m − 1))
 *
 * The weights β are fitted by least squares (a little ridge) to the model's own recent
 * out-of-sample samples ({@link SlidingRegressions}), per series, horizon and pattern,
 * so how much of the seasonal shape and how much of the current level to trust is
 * learned, not tuned. Which k, which pattern and which form (plain pattern, additive,
 * multiplicative) is chosen by the walk-forward like any parameter. With less than
 * `weeklyAfterDays` of history only the daily variants run (the same time of day over
 * the last k days, or over the last k days of the same kind, weekday or weekend, in
 * the series' local time). Gaps and outage bins are NaN in the prepared series and
 * never enter a pattern, a window, a weight or a fit.
 * @module
 */
import { PrescaleError } from '../../errors.js';
import type { ScryerForm, ScryerParameters } from '../candidateParameters.js';
import { DAY_MS, evaluationSampling, type ForecastSettings } from '../forecastSettings.js';
import type { HistoryState } from '../historyState.js';
import type { EngineContext, ModelEngine } from '../modelEngine.js';
import type { PreparedSeries } from '../preparedSeries.js';
import { FEATURES, SlidingRegressions } from '../slidingRegression.js';
import { FORMS, LEVELS, ScryerPatterns } from './scryerPatterns.js';

/** Ridge penalty relative to the mean diagonal of XᵀX. */
const RIDGE = 0.01;
const REFIT_EVERY = 4;

/**
 * The pattern P corrected by the level features at `made[o ..]` (as written by
 * `features`) with the weights `beta[bo ..]`: additive P + Σ β·r, multiplicative
 * P·(1 + Σ β·(A/B − 1)), at least 0; the plain pattern is P.
 */
function levelCorrected(form: ScryerForm, p: number, beta: ArrayLike<number>, bo: number, made: Float64Array, o: number): number {
  if (form === 'pattern') return p;
  return form === 'add' ? additive(p, beta, bo, made, o) : multiplicative(p, beta, bo, made, o);
}

function additive(p: number, beta: ArrayLike<number>, bo: number, made: Float64Array, o: number): number {
  let add = p;
  for (let m = 0; m < FEATURES; m++) add += beta[bo + m]! * made[o + 1 + m]!;
  return add > 0 ? add : 0;
}

function multiplicative(p: number, beta: ArrayLike<number>, bo: number, made: Float64Array, o: number): number {
  let ratio = 1;
  for (let m = 0; m < FEATURES; m++) ratio += beta[bo + m]! * made[o + 1 + FEATURES + m]!;
  const mul = p * ratio;
  return mul > 0 ? mul : 0;
}

export function createScryerEngine(ctx: EngineContext): ModelEngine {
  const { prep, horizonBins: h, settings } = ctx;
  const patterns = new ScryerPatterns(prep, settings);
  const { families } = patterns;
  const F = families.length;
  const { capacity, stride: sampleStride } = evaluationSampling(prep.binMs, settings);
  // Per family: the additive and the multiplicative fit.
  const fits = new SlidingRegressions(2 * F, capacity);
  const minFit = Math.max(FEATURES * 4, settings.minEvaluationSamples);
  // The fitted weights, re-solved every REFIT_EVERY-th sampled target (by its bin
  // number since the epoch, so a forecast and a backtest refit at the same bins).
  const betas = new Float64Array(2 * F * FEATURES);
  // What each forecast was made from, kept until its target is known: per issue slot
  // and family, P(T), then the additive and the multiplicative features.
  const ring = h + 1;
  const stride = 1 + 2 * FEATURES;
  const made = new Float64Array(ring * F * stride).fill(Number.NaN);
  const level = new Float64Array(LEVELS);
  const weeklyCandidates = patterns.weeklyFamilies * FORMS.length;
  const dailyUntilMs = dailyVariantsUntilMs(settings);
  const dailyRetired = (history: HistoryState): boolean => history.state === 'WeeklyPattern' && history.haveMs >= dailyUntilMs;

  return {
    model: 'scryer',
    candidates: patterns.labels,
    needMs: scryerNeedMs(settings),
    activeCandidates(history: HistoryState): number {
      return dailyRetired(history) ? weeklyCandidates : patterns.labels.length;
    },
    forecast(t: number, history: HistoryState, out: Float64Array): void {
      const base = (t % ring) * F * stride;
      if (history.state === 'NotEnoughHistory') {
        made.fill(Number.NaN, base, base + F * stride);
        out.fill(Number.NaN);
        return;
      }
      const weekly = history.state === 'WeeklyPattern';
      const target = t - 1 + h;
      patterns.levels(t, level);
      patterns.allFeatures(target, t, weekly, !dailyRetired(history), level, made, base);
      for (let fi = 0; fi < F; fi++) {
        const o = base + fi * stride;
        const p = made[o]!;
        if (p !== p) {
          out[fi * 3] = out[fi * 3 + 1] = out[fi * 3 + 2] = Number.NaN;
          continue;
        }
        const ba = 2 * fi * FEATURES;
        out[fi * 3] = p;
        out[fi * 3 + 1] = additive(p, betas, ba, made, o);
        out[fi * 3 + 2] = multiplicative(p, betas, ba + FEATURES, made, o);
      }
    },
    learn(t: number): void {
      const y = prep.values[t - 1]!;
      const base = ((t - h) % ring) * F * stride;
      for (let fi = 0; fi < F; fi++) {
        const o = base + fi * stride;
        const p = made[o]!;
        if (p !== p) continue;
        fits.add(2 * fi, made, o + 1, y - p);
        if (p > 0) fits.add(2 * fi + 1, made, o + 1 + FEATURES, y / p - 1);
      }
      if ((prep.epochBin + t - 1) % (REFIT_EVERY * sampleStride) !== 0) return;
      for (let k = 0; k < 2 * F; k++) fits.solve(k, minFit, RIDGE, betas, k * FEATURES);
    },
    parameters(c: number) {
      const f = families[Math.floor(c / 3)]!;
      const form = FORMS[c % 3]!;
      const at = 2 * Math.floor(c / 3) * FEATURES + (form === 'mul' ? FEATURES : 0);
      return { scryer: { pattern: f.kind, k: f.k, form, weights: form === 'pattern' ? [] : Array.from(betas.subarray(at, at + FEATURES)) } };
    },
  };
}

/**
 * Observed history after which Scryer forecasts from the weekly pattern only: the daily
 * variants (the fallback while fewer weeks exist) run until the weekly ones have been
 * scored over a full evaluation window, so the choice hands over on evidence.
 */
export function dailyVariantsUntilMs(settings: ForecastSettings): number {
  return (settings.weeklyAfterDays + settings.evaluationDays) * DAY_MS;
}

/** Observed history Scryer needs before it forecasts (the daily pattern's). */
export function scryerNeedMs(settings: ForecastSettings): number {
  return settings.dailyAfterDays * DAY_MS;
}

/**
 * One Scryer forecast of bin `t − 1 + horizonBins` from bins before `t`, with a fitted
 * candidate: the same pattern and level features as the engine's, corrected with the
 * fit's weights. NaN when the pattern has no copy there.
 * @throws PrescaleError when the candidate is not one of this series' pattern variants.
 */
export function scryerForecast(prep: PreparedSeries, settings: ForecastSettings, t: number, horizonBins: number, history: HistoryState, fit: ScryerParameters): number {
  if (history.state === 'NotEnoughHistory') return Number.NaN;
  const patterns = new ScryerPatterns(prep, settings);
  const fi = patterns.families.findIndex((f) => f.kind === fit.pattern && f.k === fit.k);
  if (fi < 0 || !FORMS.includes(fit.form) || (fit.form !== 'pattern' && !(fit.weights.length === FEATURES && fit.weights.every(Number.isFinite)))) {
    throw new PrescaleError('InvalidConfig', 'fit.scryer', fit, `must name one of the pattern variants (maxWeeks ${settings.maxWeeks}), a form and ${FEATURES} finite level weights`);
  }
  const level = new Float64Array(LEVELS);
  patterns.levels(t, level);
  const made = new Float64Array(1 + 2 * FEATURES);
  const p = patterns.features(fi, t - 1 + horizonBins, t, history.state === 'WeeklyPattern', level, made, 0);
  return p === p ? levelCorrected(fit.form, p, fit.weights, 0, made, 0) : p;
}
