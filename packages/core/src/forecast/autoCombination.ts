/**
 * `auto` as a combination of the models by their recent skill, instead of a switch
 * from one model to another. Netflix's Scryer merges its predictors' outputs with a
 * "prediction combiner" (reference predictive.md §1, Part 2); weighting forecasts by
 * their recent accuracy is the classic way to do it (Bates & Granger, "The
 * Combination of Forecasts", 1969). A switch made per horizon on the recent loss made
 * `auto` jump between models across the horizon (on NASA-HTTP at 1995-07-20 08:00
 * −04:00, 751 requests at 40 minutes from Holt-Winters, then 519.5 at 50 from
 * persistence) and lag the changes in which model is best; weights that move with the
 * losses do neither.
 *
 * Each model's weight is (L_best / L)^k, with L its mean asymmetric loss over the
 * evaluation window (the same scores the switch used) and L_best the lowest: the best
 * model weighs 1, and a model 1 / (1 − hysteresis) times worse weighs ½ (a challenger
 * that much better is what the switch called clearly better), so k = ln 2 / −ln(1 −
 * hysteresis), 6.6 at the default 0.1; with hysteresis 0 only the best counts. Weights
 * are normalised; a model under {@link MIN_WEIGHT} of the total is left out (it moves
 * the forecast by less than that share of its distance from the rest), and the rest
 * normalised again. The combination's quantiles come from its own recent errors, like
 * every model's.
 * @module
 */
import type { ModelName } from './forecastSettings.js';

/** A model with less than this share of the weight is left out of the combination. */
export const MIN_WEIGHT = 0.01;

/** The exponent k of the weights (L_best / L)^k for a hysteresis h: a model 1 / (1 − h) times worse weighs ½. */
export function weightExponent(hysteresis: number): number {
  return hysteresis > 0 ? Math.LN2 / -Math.log(1 - hysteresis) : Number.POSITIVE_INFINITY;
}

/**
 * Normalised weights for mean losses `losses` (NaN: the model has no forecast or no
 * score, weight 0), written into `out`; returns how many models have a weight, 0 when
 * none has.
 */
export function skillWeights(losses: ArrayLike<number>, exponent: number, out: Float64Array): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < losses.length; i++) {
    const l = losses[i]!;
    if (l < best) best = l;
  }
  out.fill(0);
  if (best === Number.POSITIVE_INFINITY) return 0;
  let total = 0;
  for (let i = 0; i < losses.length; i++) {
    const l = losses[i]!;
    if (!(l === l)) continue;
    // The best weighs 1; when the best loss is 0, only losses of 0 count.
    const ratio = l === best ? 1 : best / l;
    const w = exponent === Number.POSITIVE_INFINITY ? (ratio === 1 ? 1 : 0) : ratio ** exponent;
    out[i] = w;
    total += w;
  }
  let kept = 0;
  for (let i = 0; i < out.length; i++) {
    if (out[i]! / total < MIN_WEIGHT) out[i] = 0;
    else kept += out[i]!;
  }
  let count = 0;
  for (let i = 0; i < out.length; i++) {
    if (out[i]! > 0) {
      out[i] = out[i]! / kept;
      count++;
    }
  }
  return count;
}

/**
 * The combined point Σ w·ŷ / Σ w over the entries whose point is a number (a model
 * without a forecast for the bin drops out and the others share its weight); NaN when
 * none has one. The same arithmetic in the walk-forward and in a prediction from a fit,
 * so the two agree exactly.
 */
export function combinePoints(weights: ArrayLike<number>, points: ArrayLike<number>): number {
  let sum = 0;
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    const p = points[i]!;
    if (w > 0 && p === p) {
      sum += w * p;
      total += w;
    }
  }
  return total > 0 ? sum / total : Number.NaN;
}

/** One model of a combination as a forecast or a fit reports it. */
export interface CombinedModel {
  model: ModelName;
  /** Its parameter candidate, e.g. `weekly k=4 add fitted level`. */
  parameters: string;
  /** Its share of the combination (the shares sum to 1). */
  weight: number;
}

/** `holt-winters 62 % + persistence 30 % + scryer 8 %`, heaviest first. */
export function describeCombination(models: readonly CombinedModel[]): string {
  return [...models]
    .sort((a, b) => b.weight - a.weight)
    .map((m) => `${m.model} ${Math.round(100 * m.weight)} %`)
    .join(' + ');
}

/** The model with the most weight (the first of equals). */
export function leadModel(models: readonly CombinedModel[]): ModelName {
  let lead = models[0]!;
  for (const m of models) if (m.weight > lead.weight) lead = m;
  return lead.model;
}
