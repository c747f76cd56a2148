/**
 * What a forecast is asked for and what it answers: the request (series, model, issue
 * time, horizon), one point per bin ahead (p50 and the upper quantile, with the model
 * and parameters that made it) and the status when there is no forecast.
 * @module
 */
import type { BinnedSeries } from '../series/binnedSeries.js';
import type { CombinedModel } from './autoCombination.js';
import type { ForecastSettingsInput, ModelChoice } from './forecastSettings.js';
import type { HistoryState } from './historyState.js';
import type { OutageWindow } from './preparedSeries.js';

export interface ForecastRequest {
  series: BinnedSeries;
  /** Default `auto`. */
  model?: ModelChoice;
  /** Issue time, ms since the epoch; default the end of the series. Only bins that end by then are used. */
  atMs?: number;
  /** Forecast every bin up to this far ahead, ms, a whole number of bins; default one bin. */
  horizonMs?: number;
  /** Declared outages: left out of every pattern and error. */
  outages?: readonly OutageWindow[];
  settings?: ForecastSettingsInput;
  /**
   * IANA time zone of the pattern (`Europe/Berlin`): weeks and days are read in its
   * local time, daylight saving included (forecast/zonedIssue.ts); the points are still
   * UTC bins. Absent: the series' fixed `utcOffsetMinutes`.
   */
  timeZone?: string;
}

export interface ForecastPoint {
  /** Start of the target bin, ms. */
  targetMs: number;
  /** How far past the issue time the target bin ends, ms. */
  horizonMs: number;
  /**
   * The model that made this point; `auto` when it is auto's combination of several
   * (`components`). Until the combination has scored enough errors of its own, auto
   * answers with its heaviest model alone, named here.
   */
  model: ModelChoice;
  /** The chosen parameter candidate, e.g. `weekly k=4 mul λ=1 level=30m`; for `auto`, the weights, e.g. `scryer 70 % + holt-winters 30 %`. */
  parameters: string;
  /** `auto`'s combination: each model, its candidate and its share (summing to 1). */
  components?: CombinedModel[];
  point: number;
  p50: number;
  /** The `quantile` (default p90) forecast. */
  upper: number;
  /** Scored out-of-sample errors behind the choice and the quantiles. */
  samples: number;
  /** Mean absolute relative error of those errors (|y − ŷ| / max(ŷ, 1)). */
  recentError: number;
}

export type ForecastStatus =
  | { status: 'ok' }
  | { status: 'NotEnoughHistory'; haveMs: number; needMs: number }
  | { status: 'NoForecast'; message: string };

export type ForecastResult = ForecastStatus & {
  model: ModelChoice;
  issuedMs: number;
  binMs: number;
  quantile: number;
  history: HistoryState;
  /**
   * Bins of the history before the issue time whose value was outside the plausible
   * range of demand (negative, not finite, or above a billion requests per second) and
   * were read as gaps. `forecast` and `predictFromFit` always set it; a custom
   * forecaster may leave it out.
   */
  implausibleBins?: number;
  /** One point per bin up to the horizon (empty unless `status` is `ok`). */
  points: ForecastPoint[];
};
