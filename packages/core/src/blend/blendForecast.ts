/**
 * The forecast as the blend keeps it: a forecaster's answer checked once, so the blend
 * rule only ever sees finite, non-negative points (requests per bin), or the reason
 * there are none (`NotEnoughHistory`, `ForecastFailed`) with a message a user can read.
 * @module
 */
import type { ForecastResult } from '../forecast/forecastResult.js';
import type { ModelChoice } from '../forecast/forecastSettings.js';
import type { HistoryState } from '../forecast/historyState.js';
import { isPlausibleDemand, MAX_PLAUSIBLE_REQUESTS_PER_SECOND, maxPlausibleDemand } from '../series/plausibleDemand.js';

/** A forecast point as the blend keeps it (requests per bin). */
export interface BlendForecastPoint {
  targetMs: number;
  p50: number;
  upper: number;
  /** The model that made it; `auto` for auto's combination (its weights in `parameters`). */
  model: ModelChoice;
  parameters: string;
  recentError: number;
}

export type BlendForecast =
  | { ok: true; history: HistoryState; points: BlendForecastPoint[] }
  | { ok: false; history: HistoryState | null; reason: 'NotEnoughHistory' | 'ForecastFailed'; message: string };

/** No usable forecast. */
export function noForecast(reason: 'NotEnoughHistory' | 'ForecastFailed', message: string, history: HistoryState | null = null): BlendForecast {
  return { ok: false, history, reason, message };
}

/** A forecaster that threw. */
export function forecasterThrew(error: unknown): BlendForecast {
  return noForecast('ForecastFailed', `the forecaster threw: ${error instanceof Error ? error.message : String(error)}`);
}

/**
 * Checks a forecaster's result: a status other than `ok`, a point that is not finite,
 * is negative or is above the plausible range of demand (a billion requests per
 * second over the bin), or no point at all is a forecast the blend does not use, and
 * says why. `binMs` is the blend's forecast bin, which the points are counts of.
 */
export function cleanForecast(result: ForecastResult, binMs: number): BlendForecast {
  if (result.status !== 'ok') {
    if (result.status === 'NotEnoughHistory') {
      const message = `have ${Math.round(result.haveMs / 60_000)} min of demand history, need ${Math.round(result.needMs / 60_000)} min`;
      return noForecast('NotEnoughHistory', message, result.history);
    }
    return noForecast('ForecastFailed', result.message, result.history);
  }
  const points: BlendForecastPoint[] = [];
  const max = maxPlausibleDemand('perBin', binMs);
  for (const p of result.points) {
    if (!Number.isFinite(p.p50) || !Number.isFinite(p.upper) || p.upper < 0 || !Number.isFinite(p.targetMs)) {
      return noForecast('ForecastFailed', `the forecaster returned a non-finite or negative value (p50 ${p.p50}, upper ${p.upper})`, result.history);
    }
    if (!isPlausibleDemand(p.upper, max)) {
      return noForecast('ForecastFailed', `the forecaster returned more than ${MAX_PLAUSIBLE_REQUESTS_PER_SECOND} requests per second (upper ${p.upper} per ${binMs / 1000} s bin), which is not plausible demand`, result.history);
    }
    points.push({ targetMs: p.targetMs, p50: p.p50, upper: p.upper, model: p.model, parameters: p.parameters, recentError: Number.isFinite(p.recentError) ? p.recentError : 0 });
  }
  if (points.length === 0) return noForecast('ForecastFailed', 'the forecaster returned no points', result.history);
  return { ok: true, history: result.history, points };
}
