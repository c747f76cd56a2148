/**
 * What every forecaster implements so one walk-forward loop can run, score and choose
 * among them. A model offers one or more parameter candidates (Scryer's k weeks and
 * level weights, Holt-Winters' smoothing constants); the walk-forward chooses among
 * them by their recent out-of-sample loss, as it chooses among models.
 * @module
 */
import type { HistoryState } from './historyState.js';
import type { CandidateParameters } from './candidateParameters.js';
import type { ForecastSettings, ModelName } from './forecastSettings.js';
import type { PreparedSeries } from './preparedSeries.js';

export interface ModelEngine {
  readonly model: ModelName;
  /** One label per parameter candidate, e.g. `weekly k=4 mul λ=1 level=30m`. */
  readonly candidates: readonly string[];
  /** Observed history the model needs before it forecasts, ms. */
  readonly needMs: number;
  /**
   * Writes each candidate's point forecast for bin `t − 1 + horizonBins` into `out`,
   * using bins before `t` only; NaN where a candidate cannot forecast. Calls come with
   * non-decreasing `t`.
   */
  forecast(t: number, history: HistoryState, out: Float64Array): void;
  /**
   * Bin `t − 1`, the target of the forecast issued at `t − horizonBins`, is now known
   * and observed (called for the sampled targets, before `forecast(t)`). Models that fit
   * weights to their own recent errors learn from it.
   */
  learn?(t: number): void;
  /**
   * How many candidates, the first ones, forecast at this history (default all): the
   * others write NaN and their scores leave the choice (`retireOptions`). Scryer
   * retires its daily variants once its weekly ones have a full window of scores.
   */
  activeCandidates?(history: HistoryState): number;
  /** The parameters candidate `c` forecasts with now (after the latest `forecast`), for a fit. */
  parameters?(c: number): CandidateParameters;
}

export interface EngineContext {
  prep: PreparedSeries;
  /** The target is bin `t − 1 + horizonBins` for an issue at `t` (1 = the next bin). */
  horizonBins: number;
  settings: ForecastSettings;
  /** First bin a sequential model (Holt-Winters) starts learning from. */
  sequentialStart: number;
}
