/**
 * What the predictive blend forecast during a run, for the report's forecast-versus-
 * actual chart (docs/simulations.md, "The report"). A blend decision carries the
 * forecast of each bin in its lead window (`detail.bins`, requests per second; core's
 * blend/blend.ts) and the lead time and quantile behind it (`detail.forecast`); the
 * blend makes a new forecast once per bin, or again when its lead window reaches into
 * the next bin. The recorder wraps a scaler and keeps each new forecast once. Only a
 * blend is wrapped, so the other scalers run exactly as before, at no cost.
 * @module
 */
import type { Scaler } from '@prescale/core';

/** One forecast the blend made: when, and each bin's p50 and upper quantile, requests per second. */
export interface RecordedForecast {
  /** The decision that made it, ms since the epoch. */
  atMs: number;
  bins: Array<{ startMs: number; p50: number; upper: number }>;
}

export interface RecordedForecasts {
  /** The forecast bin, ms. */
  binMs: number;
  /** The lead time the blend plans for (cold start + loop + scrape lag), s; null until a forecast said it. */
  leadTimeSeconds: number | null;
  /** The upper quantile (0.9 by default); null until a forecast said it. */
  quantile: number | null;
  /** Every new forecast, in time order. */
  forecasts: RecordedForecast[];
}

/** Wraps a blend so that its forecasts are recorded as it steps; the decisions are unchanged. */
export function recordForecasts(scaler: Scaler, binMs: number): { scaler: Scaler; record: RecordedForecasts } {
  const record: RecordedForecasts = { binMs, leadTimeSeconds: null, quantile: null, forecasts: [] };
  let lastStart = Number.NaN;
  let lastCount = 0;
  const wrapped: Scaler = {
    ...scaler,
    step(state, observation) {
      const result = scaler.step(state, observation);
      const d = result.decision;
      if (d.scaler === 'blend' && d.detail.bins.length > 0) {
        const bins = d.detail.bins;
        // The same forecast is repeated by every decision of a bin: keep it once.
        if (bins[0]!.startMs !== lastStart || bins.length !== lastCount) {
          lastStart = bins[0]!.startMs;
          lastCount = bins.length;
          record.forecasts.push({ atMs: d.now, bins: bins.map((b) => ({ startMs: b.startMs, p50: b.p50, upper: b.upper })) });
        }
        if (d.detail.forecast !== null) {
          record.leadTimeSeconds = d.detail.forecast.leadTimeSeconds;
          record.quantile = d.detail.forecast.quantile;
        }
      }
      return result;
    },
  };
  return { scaler: wrapped, record };
}
