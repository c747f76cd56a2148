/**
 * Forecasting from a fit ({@link ForecastFit}) at its own issue time or a later one:
 * the fitted candidate forecasts from the history up to then (Scryer's pattern and
 * level features read the latest windows, Holt-Winters replays the two weeks before the
 * issue with its fitted constants, the baselines read their bins; `auto`'s combination
 * weighs its models' points with the fitted weights), and the fit's relative-error
 * quantiles turn the point into p50 and the upper quantile. Nothing is
 * chosen, scored or re-fitted: that is the walk-forward's work, done when the fit was
 * made. At the fit's own issue time the result is exactly the one-shot forecast's.
 * @module
 */
import { combinePoints } from './autoCombination.js';
import type { CandidateParameters } from './candidateParameters.js';
import { forecastAtError } from './empiricalQuantiles.js';
import type { ForecastFit, FittedHorizon } from './fit.js';
import type { ForecastPoint, ForecastResult } from './forecastResult.js';
import { type HistoryState, historyStateFor, observedHistoryMs } from './historyState.js';
import { HOLT_WINTERS_NEED_MS, HoltWintersRun, holtWintersStart } from './models/holtWinters.js';
import type { ForecastSettings, ModelName } from './forecastSettings.js';
import type { PreparedSeries } from './preparedSeries.js';
import { scryerForecast, scryerNeedMs } from './models/scryer.js';
import { createEngine, errorFloor } from './walkForward.js';

/**
 * The forecast of the first `H` fitted horizons issued at index `t` of `prep` (bins
 * before `t` are known). A checked fit; a horizon past its `horizonBins` uses the last
 * fitted horizon's candidate and calibration.
 */
export function predictPrepared(prep: PreparedSeries, fit: ForecastFit, t: number, H: number): ForecastResult {
  const { settings, binMs } = fit;
  const haveMs = observedHistoryMs(prep, t, settings);
  const history = historyStateFor(haveMs, settings);
  const issuedMs = prep.startMs + t * binMs;
  const base = { model: fit.model, issuedMs, binMs, quantile: settings.quantile, history, implausibleBins: prep.implausible };
  if (fit.status === 'NotEnoughHistory') return { status: 'NotEnoughHistory', haveMs, needMs: fit.needMs, ...base, points: [] };
  if (fit.status === 'NoForecast') return { status: 'NoForecast', message: fit.message, ...base, points: [] };
  if (history.state === 'NotEnoughHistory' && (fit.model === 'auto' || fit.model === 'scryer')) {
    return { status: 'NotEnoughHistory', haveMs, needMs: history.needMs, ...base, points: [] };
  }
  const floor = errorFloor(prep, t, settings);
  const runs = new Map<string, HoltWintersRun>();
  const points: ForecastPoint[] = [];
  for (let h = 1; h <= H; h++) {
    // Beyond the fitted horizons (a zone's local horizon across a change of offset): the last one's candidate.
    const f = fit.horizons[Math.min(h, fit.horizons.length) - 1]!;
    const targetMs = issuedMs + (h - 1) * binMs;
    const point = horizonPoint(prep, settings, f, t, h, history, runs);
    if (point !== point) {
      return { status: 'NoForecast', message: `${f.model} (${f.parameters}) has no forecast for the bin at ${new Date(targetMs).toISOString()}; refit`, ...base, points: [] };
    }
    const p50 = forecastAtError(point, floor, f.errorP50);
    points.push({
      targetMs,
      horizonMs: h * binMs,
      model: f.model,
      parameters: f.parameters,
      ...(f.components ? { components: f.components.map(({ model, parameters, weight }) => ({ model, parameters, weight })) } : {}),
      point,
      p50,
      upper: Math.max(p50, forecastAtError(point, floor, f.errorUpper)),
      samples: f.samples,
      recentError: f.recentError,
    });
  }
  return { status: 'ok', ...base, points };
}

/**
 * A horizon's point forecast of bin `t − 1 + h`: its candidate's, or `auto`'s
 * combination of its models' (a model without a forecast for the bin drops out); NaN
 * when there is none.
 */
function horizonPoint(prep: PreparedSeries, settings: ForecastSettings, f: FittedHorizon, t: number, h: number, history: HistoryState, runs: Map<string, HoltWintersRun>): number {
  if (f.model !== 'auto') return pointForecast(prep, settings, f as FittedModel, t, h, history, runs);
  const components = f.components!;
  const points = components.map((c) => pointForecast(prep, settings, c, t, h, history, runs));
  return combinePoints(components.map((c) => c.weight), points);
}

type FittedModel = CandidateParameters & { model: ModelName; parameters: string };

/** A fitted candidate's point forecast of bin `t − 1 + h`; NaN when it has none (too little history, a gap in its copies). */
function pointForecast(prep: PreparedSeries, settings: ForecastSettings, f: FittedModel, t: number, h: number, history: HistoryState, runs: Map<string, HoltWintersRun>): number {
  const haveMs = history.haveMs;
  switch (f.model) {
    case 'scryer':
      return haveMs >= scryerNeedMs(settings) ? scryerForecast(prep, settings, t, h, history, f.scryer!) : Number.NaN;
    case 'holt-winters': {
      if (haveMs < HOLT_WINTERS_NEED_MS) return Number.NaN;
      // One replay per fitted candidate, shared by the horizons that chose it.
      let run = runs.get(f.parameters);
      if (run === undefined) {
        run = new HoltWintersRun(prep, holtWintersStart(t, prep.binMs), [f.holtWinters!]);
        runs.set(f.parameters, run);
      }
      return run.advance(t) ? run.value(0, t, h) : Number.NaN;
    }
    default: {
      const engine = createEngine(f.model, { prep, horizonBins: h, settings, sequentialStart: 0 });
      if (haveMs < engine.needMs) return Number.NaN;
      const out = new Float64Array(1);
      engine.forecast(t, history, out);
      return out[0]!;
    }
  }
}
