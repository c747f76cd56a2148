/**
 * When the blend's built-in forecaster is fitted again (reference predictive.md §10.2:
 * fit rarely, predict every loop). The walk-forward that chooses model and parameters
 * and calibrates the quantiles ({@link fitForecast}) runs every `refitSeconds` (6 h by
 * default), and at once when there is no fit, the fit was made with other settings or
 * for fewer bins than the lead time needs, the history state changed, or the fit cannot
 * forecast the next bins; in between, the kept fit forecasts every new bin
 * ({@link predictFromFit}, well under a millisecond).
 * @module
 */
import { fitForecast, predictFromFit } from '../forecast/forecast.js';
import type { ForecastFit } from '../forecast/fit.js';
import type { ForecastRequest, ForecastResult } from '../forecast/forecastResult.js';
import type { ModelChoice } from '../forecast/forecastSettings.js';
import type { PredictiveConfig } from './predictiveConfig.js';

/** Why the kept fit cannot serve an issue at `issuedMs` for `horizonBins` bins; null when it can. */
export function refitReason(config: PredictiveConfig, fit: ForecastFit | null, issuedMs: number, horizonBins: number): string | null {
  if (fit === null) return 'no fit yet';
  if (fit.model !== config.model || fit.binMs !== config.binMs || JSON.stringify(fit.settings) !== JSON.stringify(config.settings)) return 'the fit was made with other settings';
  if (issuedMs < fit.fittedMs) return 'the fit is from a later time';
  if (fit.status === 'ok' && fit.horizonBins < horizonBins) return `the lead time needs ${horizonBins} bins, the fit holds ${fit.horizonBins}`;
  if (issuedMs > fit.fittedMs && issuedMs - fit.fittedMs >= config.refitMs) return `${Math.round((issuedMs - fit.fittedMs) / 60_000)} min since the last fit`;
  return null;
}

/** Why the kept fit should give way to a new one after forecasting `result` from it; null when it serves. */
export function staleReason(fit: ForecastFit, result: ForecastResult, issuedMs: number): string | null {
  if (issuedMs === fit.fittedMs) return null; // a new fit now would learn the same
  if (result.history.state !== fit.history.state) return `the history state changed (${fit.history.state} → ${result.history.state})`;
  if (fit.status === 'ok') return result.status === 'ok' ? null : `the fit could not forecast (${result.status === 'NoForecast' ? result.message : result.status})`;
  if (fit.status === 'NotEnoughHistory') return result.history.haveMs >= fit.needMs ? 'the history the last fit lacked is in' : null;
  return 'the last fit had no forecast';
}

/** Horizons a fit covers: every bin the lead (or floor) window can reach from any instant of a bin. */
export function fitHorizonBins(config: PredictiveConfig): number {
  return Math.ceil(Math.max(config.leadTimeMs, config.scaleDownFloorMs) / config.binMs) + 1;
}

export interface Fitted {
  result: ForecastResult;
  fit: ForecastFit;
  /** Why this issue refitted; null: it forecast from the kept fit. */
  refit: string | null;
}

/**
 * The forecast of `request` (issued at `issuedMs`, `horizonBins` bins) from the kept fit,
 * or from a new one when the kept one will not do.
 * @throws whatever the forecaster throws (a bad series, a fit that cannot be read).
 */
export function fittedForecast(config: PredictiveConfig, kept: ForecastFit | null, request: ForecastRequest, issuedMs: number, horizonBins: number): Fitted {
  const predict = (fit: ForecastFit): ForecastResult =>
    predictFromFit({
      series: request.series,
      fit,
      atMs: issuedMs,
      horizonMs: horizonBins * config.binMs,
      outages: config.outages,
      ...(config.timeZone !== null ? { timeZone: config.timeZone } : {}),
    });
  let refit = refitReason(config, kept, issuedMs, horizonBins);
  if (refit === null && kept !== null) {
    try {
      const result = predict(kept);
      refit = staleReason(kept, result, issuedMs);
      if (refit === null) return { result, fit: kept, refit };
    } catch (error) {
      refit = `the kept fit is unusable: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  const fit = fitForecast({ ...request, horizonMs: Math.max(fitHorizonBins(config), horizonBins) * config.binMs });
  return { result: predict(fit), fit, refit };
}

/** What a decision says of the fit its forecast came from. */
export interface BlendFitDetail {
  /** Issue time of the fit, ms: it learnt from the demand up to then. */
  fittedMs: number;
  /** When the cadence refits next, ms (sooner if the history state changes or the fit cannot forecast). */
  nextFitMs: number;
  /** Why this step made the fit; null: it forecast from the kept fit. */
  refit: string | null;
  /** Per forecast bin ahead: the model and parameters the fit holds. */
  horizons: Array<{ horizonMs: number; model: ModelChoice; parameters: string }>;
}

export function describeFit(config: PredictiveConfig, fit: ForecastFit, refit: string | null): BlendFitDetail {
  const every = Math.max(config.binMs, Math.ceil(config.refitMs / config.binMs) * config.binMs);
  return {
    fittedMs: fit.fittedMs,
    nextFitMs: fit.fittedMs + every,
    refit,
    horizons: fit.horizons.map((h) => ({ horizonMs: h.horizonMs, model: h.model, parameters: h.parameters })),
  };
}
