/**
 * One forecast: from the history of a series up to an issue time, the p50 and the
 * upper quantile of each bin up to a horizon, with the model (and its parameters)
 * that made it and the history state. A forecast is a fit (the same walk-forward as
 * the backtest over the evaluation window just before the issue time, so parameters,
 * model choice and quantiles come from the series' own recent out-of-sample errors)
 * and a prediction from it; a scaler keeps the fit and predicts from it at every new
 * bin, refitting now and then (`fitForecast`, `predictFromFit`). Pure.
 * @module
 */
import { PrescaleError } from '../errors.js';
import type { BinnedSeries } from '../series/binnedSeries.js';
import { timestamp } from '../validate.js';
import { describeHistory } from './historyState.js';
import { checkFit, type ForecastFit, fitPrepared } from './fit.js';
import { predictPrepared } from './predictFromFit.js';
import type { ForecastRequest, ForecastResult } from './forecastResult.js';
import { forecastSettings, modelChoice } from './forecastSettings.js';
import { type OutageWindow, type PreparedSeries, prepareSeries } from './preparedSeries.js';
import { fromZone, type ZonedIssue, zonedIssue } from './zonedIssue.js';

/** Horizon in bins, a whole number ≥ 1. */
export function horizonBins(field: string, horizonMs: number, binMs: number): number {
  const h = horizonMs / binMs;
  if (!Number.isInteger(h) || h < 1) {
    throw new PrescaleError('InvalidConfig', field, horizonMs, `must be a whole number (≥ 1) of ${binMs / 60_000}-minute bins`);
  }
  return h;
}

/** Issue index of `atMs` (default: the end of the series): bins before it are known. */
function issueIndex(series: BinnedSeries, atMs: number | undefined): number {
  const at = atMs === undefined ? series.startMs + series.values.length * series.binMs : timestamp('atMs', atMs);
  const t = Math.floor((at - series.startMs) / series.binMs);
  if (t < 1) throw new PrescaleError('InvalidConfig', 'atMs', at, 'must be at least one bin after the start of the series');
  return t;
}

/** The request moved onto the local axis of its `timeZone`, with the issue to bring the points back; null without one. */
function inZone(request: ForecastRequest): { request: ForecastRequest; issue: ZonedIssue } | null {
  const { series, timeZone } = request;
  if (timeZone === undefined) return null;
  const H = horizonBins('horizonMs', request.horizonMs ?? series.binMs, series.binMs);
  const issue = zonedIssue(series, timeZone, request.atMs, H, request.outages);
  const { timeZone: _zone, ...rest } = request;
  return { request: { ...rest, series: issue.series, atMs: issue.atMs, horizonMs: issue.horizonBins * series.binMs, outages: issue.outages }, issue };
}

function fitRequest(request: ForecastRequest): { prep: PreparedSeries; t: number; H: number; fit: ForecastFit } {
  const settings = forecastSettings(request.settings);
  const model = modelChoice('model', request.model ?? 'auto');
  const { series } = request;
  const H = horizonBins('horizonMs', request.horizonMs ?? series.binMs, series.binMs);
  const t = issueIndex(series, request.atMs);
  const prep = prepareSeries(series, request.outages ?? [], t);
  return { prep, t, H, fit: fitPrepared(prep, t, H, model, settings) };
}

/**
 * Forecasts the bins after `atMs`: a fit at that time ({@link fitForecast}) and the
 * forecast from it ({@link predictFromFit}).
 * @throws PrescaleError for bad settings, a bad series, or a horizon that is not a whole number of bins.
 */
export function forecast(request: ForecastRequest): ForecastResult {
  const zoned = inZone(request);
  if (zoned !== null) return fromZone(forecast(zoned.request), zoned.issue);
  const { prep, t, H, fit } = fitRequest(request);
  return predictPrepared(prep, fit, t, H);
}

/**
 * Fits the forecaster at `atMs` (default the end of the series) for every bin up to
 * `horizonMs`: the walk-forward over the evaluation window chooses the model and
 * parameters and calibrates the quantiles. The fit is small plain JSON; forecast from
 * it with {@link predictFromFit}, at this time or later, until it is worth refitting.
 * @throws PrescaleError as {@link forecast}.
 */
export function fitForecast(request: ForecastRequest): ForecastFit {
  // In a time zone: fitted on the local axis anchored at the issue time, where local and UTC issue times are equal.
  return fitRequest(inZone(request)?.request ?? request).fit;
}

export interface PredictRequest {
  /** The history up to the issue time (at least); the same bin width as the fit. */
  series: BinnedSeries;
  fit: ForecastFit;
  /** Issue time, ms; default the end of the series. Not before the fit's issue time. */
  atMs?: number;
  /** Forecast every bin up to this far ahead; default one bin; at most the fit's horizon. */
  horizonMs?: number;
  /** Declared outages: left out of the pattern. */
  outages?: readonly OutageWindow[];
  /** IANA time zone of the weekly pattern (forecastResult.ts `ForecastRequest.timeZone`); the fit may have been made in another. */
  timeZone?: string;
}

/**
 * Forecasts from a fit, cheaply: the fitted candidate of each horizon forecasts from the
 * history up to `atMs`, with the fit's quantile calibration. At the fit's own issue time
 * it equals {@link forecast}. A candidate with no forecast for the target bin (its copies
 * are gaps) gives `NoForecast`: refit.
 * @throws PrescaleError for a bad fit or series, a horizon beyond the fit's, or an issue time before the fit's.
 */
export function predictFromFit(request: PredictRequest): ForecastResult {
  const fit = checkFit(request.fit);
  const { series } = request;
  if (series.binMs !== fit.binMs) throw new PrescaleError('InvalidConfig', 'series.binMs', series.binMs, `must be the fit's bin width (${fit.binMs} ms)`);
  const H = horizonBins('horizonMs', request.horizonMs ?? series.binMs, series.binMs);
  if (fit.status === 'ok' && H > fit.horizonBins) {
    throw new PrescaleError('InvalidConfig', 'horizonMs', request.horizonMs, `must not exceed the fit's horizon (${fit.horizonBins} bins)`);
  }
  const t = issueIndex(series, request.atMs);
  const issuedMs = series.startMs + t * series.binMs;
  if (issuedMs < fit.fittedMs) throw new PrescaleError('InvalidConfig', 'atMs', request.atMs, `must not be before the fit's issue time (${new Date(fit.fittedMs).toISOString()})`);
  if (request.timeZone !== undefined) {
    // Across a change of offset the local horizon is longer than the UTC one: its last bins use the fit's last horizon.
    const issue = zonedIssue(series, request.timeZone, issuedMs, H, request.outages);
    const tLocal = Math.floor((issue.atMs - issue.series.startMs) / series.binMs);
    return fromZone(predictPrepared(prepareSeries(issue.series, issue.outages, tLocal), fit, tLocal, issue.horizonBins), issue);
  }
  return predictPrepared(prepareSeries(series, request.outages ?? [], t), fit, t, H);
}

/** One line per point, for logs and the CLI. */
export function describeForecast(r: ForecastResult): string {
  if (r.status === 'NotEnoughHistory') return `${describeHistory({ state: 'NotEnoughHistory', haveMs: r.haveMs, needMs: r.needMs })}: no forecast`;
  if (r.status === 'NoForecast') return `no forecast: ${r.message}`;
  return r.points.map((p) => `${p.model} (${p.parameters}) p50=${p.p50.toFixed(1)} p${Math.round(r.quantile * 100)}=${p.upper.toFixed(1)}`).join('\n');
}
