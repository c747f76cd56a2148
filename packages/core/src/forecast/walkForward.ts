/**
 * The walk-forward loop every forecast and every backtest runs. For each issue index t
 * (bins before t are known) it first scores the forecasts whose target, bin t − 1, has
 * just become known, then forecasts bin t − 1 + h with every model and every
 * parameter candidate, using bins before t only. Scores feed sliding windows
 * ({@link ChoiceWindow}): each model picks its parameter candidate by recent
 * asymmetric loss, its quantiles come from that candidate's recent relative errors
 * ({@link quantileForecast}), and `auto` combines the models with weights from the
 * recent asymmetric loss of each one's p50 ({@link skillWeights}), its quantiles from
 * the combination's own recent errors.
 *
 * Errors are scored on an evenly spaced sample of target bins (at most
 * `maxEvaluationSamples` over `evaluationDays`), chosen by the bin's number since the
 * epoch, so a single forecast and a backtest see the same windows, and a forecast
 * needs to evaluate only the sampled issue times before it.
 * @module
 */
import { combinePoints, skillWeights, weightExponent } from './autoCombination.js';
import { asymmetricLoss, type ChoiceWindow, createChoiceWindow, meanLoss, pushSample, retireOptions, scoreSample } from './choiceWindow.js';
import { quantileForecast, scaleFloor, type SortedWindow } from './empiricalQuantiles.js';
import { type HistoryState, historyStateFor, observedHistoryMs } from './historyState.js';
import { createHoltWintersEngine } from './models/holtWinters.js';
import type { EngineContext, ModelEngine } from './modelEngine.js';
import { evaluationSampling, type ForecastSettings, type ModelName } from './forecastSettings.js';
import { createPersistenceEngine } from './models/persistence.js';
import { type PreparedSeries, windowMean } from './preparedSeries.js';
import { createScryerEngine } from './models/scryer.js';
import { createLastWeekMaxEngine, createSeasonalNaiveEngine } from './models/seasonalNaive.js';

/** Step of the adaptive quantile level per scored sample (Gibbs & Candès use 0.005). */
const ADAPT_RATE = 0.005;
const MAX_LEVEL = 0.999;

export function createEngine(model: ModelName, ctx: EngineContext): ModelEngine {
  switch (model) {
    case 'scryer':
      return createScryerEngine(ctx);
    case 'persistence':
      return createPersistenceEngine(ctx);
    case 'seasonal-naive-daily':
      return createSeasonalNaiveEngine(ctx, 'daily');
    case 'seasonal-naive-weekly':
      return createSeasonalNaiveEngine(ctx, 'weekly');
    case 'last-week-max':
      return createLastWeekMaxEngine(ctx);
    case 'holt-winters':
      return createHoltWintersEngine(ctx);
  }
}

/** What the loop reports for one issue index; arrays are indexed like `models`. Reused between calls. */
export interface IssueView {
  t: number;
  history: HistoryState;
  haveMs: number;
  /** Chosen candidate's point forecast, NaN when the model has none. */
  point: Float64Array;
  p50: Float64Array;
  upper: Float64Array;
  /** Chosen candidate per model, −1 while none has enough scored errors. */
  candidate: Int32Array;
  /** Scored errors of the chosen candidate in the window. */
  samples: Int32Array;
  /** Index into `models` of the model with the most weight in auto's forecast, −1 when auto has nothing (or is not run). */
  auto: number;
  /**
   * Auto's forecast is the combination, with its own calibration; false: the
   * combination has too few scored errors yet, and auto is its lead model alone.
   */
  autoCombined: boolean;
  /** Each model's share of auto's forecast, indexed like `models` (one 1 when auto is one model; all 0 when it has nothing). */
  autoWeights: Float64Array;
  autoPoint: number;
  autoP50: number;
  autoUpper: number;
  /** The combination's scored errors in the window, and their sorted relative errors. */
  autoSamples: number;
  autoErrors: SortedWindow;
  /** The adaptive level of the combination's upper quantile. */
  autoLevel: number;
  /** Each model's adaptive level of its upper quantile. */
  level: Float64Array;
}

export interface WalkForwardOptions {
  prep: PreparedSeries;
  horizonBins: number;
  settings: ForecastSettings;
  models: readonly ModelName[];
  /** Run `auto` over these (a subset of `models`); empty: no auto. */
  autoModels: readonly ModelName[];
  /** First and last issue index, inclusive. */
  from: number;
  to: number;
  /** Report every issue index (a backtest) or only `to` (a forecast). */
  everyIssue: boolean;
  /** First bin Holt-Winters learns from. */
  sequentialStart: number;
  onIssue(view: IssueView, engines: readonly ModelEngine[], windows: readonly ChoiceWindow[]): void;
  onProgress?(done: number, total: number): void;
}

/** The floor of the error scale at issue `t`: a tenth of the mean level over the evaluation span before it. */
export function errorFloor(prep: PreparedSeries, t: number, settings: ForecastSettings): number {
  const { stride, capacity } = evaluationSampling(prep.binMs, settings);
  return floorOver(prep, t, capacity * stride);
}

/** The floor of the error scale at issue `t` from the mean level over the `span` bins before it. */
function floorOver(prep: PreparedSeries, t: number, span: number): number {
  return scaleFloor(windowMean(prep, t - span, t));
}

export function walkForward(o: WalkForwardOptions): void {
  const { prep, horizonBins: h, settings } = o;
  const ctx: EngineContext = { prep, horizonBins: h, settings, sequentialStart: o.sequentialStart };
  const engines = o.models.map((m) => createEngine(m, ctx));
  const M = engines.length;
  const { stride, capacity } = evaluationSampling(prep.binMs, settings);
  const min = settings.minEvaluationSamples;
  const windows = engines.map((e) => createChoiceWindow(e.candidates.length, capacity, min, settings.hysteresis, true));
  const autoIdx = o.autoModels.map((m) => o.models.indexOf(m)).filter((i) => i >= 0);
  const ring = h + 1;
  // Each model's recent loss, which weighs it in auto; and the combination's own errors, for its quantiles.
  const autoWindow = createChoiceWindow(autoIdx.length, capacity, min, settings.hysteresis, false);
  const combination = createChoiceWindow(1, capacity, min, settings.hysteresis, true);
  const exponent = weightExponent(settings.hysteresis);
  const autoMeans = new Float64Array(autoIdx.length);
  const autoShares = new Float64Array(autoIdx.length);
  const autoPoints = new Float64Array(autoIdx.length);
  const pendingAuto = new Float64Array(ring).fill(Number.NaN);
  const pendingAutoUpper = new Float64Array(ring).fill(Number.NaN);
  let autoLevel = settings.quantile;
  const candidates = Int32Array.from(engines, (e) => e.candidates.length);
  /** Candidates that forecast at the latest issue, per model (the first ones; see ModelEngine.activeCandidates). */
  const active = Int32Array.from(candidates);
  const pending = engines.map((e) => new Float64Array(ring * e.candidates.length).fill(Number.NaN));
  const pendingP50 = new Float64Array(ring * M).fill(Number.NaN);
  const pendingUpper = new Float64Array(ring * M).fill(Number.NaN);
  const pendingFloor = new Float64Array(ring).fill(1);
  // Adaptive conformal inference (Gibbs & Candès 2021): each model's quantile level
  // moves up after a miss and down after a hit, so its long-run coverage tracks the
  // target even when the error distribution drifts.
  const level = new Float64Array(M).fill(settings.quantile);
  // Each engine writes its candidates' forecasts straight into their pending ring slot.
  const slotViews = pending.map((kept, m) => Array.from({ length: ring }, (_, slot) => kept.subarray(slot * candidates[m]!, (slot + 1) * candidates[m]!)));
  const autoLosses = new Float64Array(autoIdx.length);
  const under = settings.underForecastWeight;
  const learners = engines.filter((e) => e.learn !== undefined);
  // The level's step after a miss and after a hit (the forecast covered the target).
  const missStep = ADAPT_RATE * (1 - (1 - settings.quantile));
  const hitStep = ADAPT_RATE * (0 - (1 - settings.quantile));
  const adapt = (level: number, missed: boolean): number => {
    const next = level + (missed ? missStep : hitStep);
    return next < 0.5 ? 0.5 : next > MAX_LEVEL ? MAX_LEVEL : next;
  };
  const view: IssueView = {
    t: 0,
    history: { state: 'NotEnoughHistory', haveMs: 0, needMs: 0 },
    haveMs: 0,
    point: new Float64Array(M),
    p50: new Float64Array(M),
    upper: new Float64Array(M),
    candidate: new Int32Array(M),
    samples: new Int32Array(M),
    auto: -1,
    autoCombined: false,
    autoWeights: new Float64Array(M),
    autoPoint: Number.NaN,
    autoP50: Number.NaN,
    autoUpper: Number.NaN,
    autoSamples: 0,
    autoErrors: combination.sorted,
    autoLevel,
    level,
  };
  const total = o.to - o.from + 1;
  const progressEvery = Math.max(1, Math.floor(total / 100));
  /** The history state of the latest issue (a new object only when it changes). */
  let history = historyStateFor(-1, settings);
  const span = capacity * stride;
  // Errors are scored for the sampled bins, those whose number since the epoch is a
  // multiple of `stride`: `phase` is (epochBin + t − 1) mod stride, so bin t − 1 is
  // sampled when it is 0 and bin t − 1 + h when it is (stride − h mod stride) mod stride.
  let phase = (((prep.epochBin + o.from - 1) % stride) + stride) % stride;
  const aheadPhase = (stride - (h % stride)) % stride;

  /** Model m's candidates from `a` on stop forecasting: their scores and the forecasts still waiting for their targets go. */
  const retire = (m: number, a: number): void => {
    retireOptions(windows[m]!, a);
    for (const kept of slotViews[m]!) kept.fill(Number.NaN, a);
  };

  for (let t = o.from; t <= o.to; t++, phase = phase + 1 === stride ? 0 : phase + 1) {
    // 1. Score the forecasts of bin t − 1, issued at t − h.
    const target = t - 1;
    if (phase === 0 && target >= 0 && target < prep.n && t - h >= o.from) {
      const y = prep.values[target]!;
      if (y === y) {
        const slot = (t - h) % ring;
        const floor = pendingFloor[slot]!;
        for (const engine of learners) engine.learn!(t);
        for (let m = 0; m < M; m++) {
          scoreSample(windows[m]!, pending[m]!, slot * candidates[m]!, y, under, floor);
          const up = pendingUpper[slot * M + m]!;
          if (up === up) level[m] = adapt(level[m]!, y > up);
        }
        if (autoIdx.length > 0) {
          for (let a = 0; a < autoIdx.length; a++) {
            const f = pendingP50[slot * M + autoIdx[a]!]!;
            autoLosses[a] = f === f ? asymmetricLoss(y, f, under) : Number.NaN;
          }
          pushSample(autoWindow, autoLosses);
          scoreSample(combination, pendingAuto, slot, y, under, floor);
          const up = pendingAutoUpper[slot]!;
          if (up === up) autoLevel = adapt(autoLevel, y > up);
        }
      }
    }
    // 2. Forecast bin t − 1 + h, if anyone will look at it.
    if (o.everyIssue || t === o.to || phase === aheadPhase) {
      const haveMs = observedHistoryMs(prep, t, settings);
      if (haveMs !== history.haveMs) history = historyStateFor(haveMs, settings);
      const slot = t % ring;
      const floor = floorOver(prep, t, span);
      pendingFloor[slot] = floor;
      for (let m = 0; m < M; m++) {
        const engine = engines[m]!;
        if (engine.activeCandidates !== undefined) {
          const a = engine.activeCandidates(history);
          if (a < active[m]!) retire(m, a);
          active[m] = a;
        }
        const out = slotViews[m]![slot]!;
        if (haveMs >= engine.needMs) engine.forecast(t, history, out);
        else out.fill(Number.NaN);
        const w = windows[m]!;
        const c = w.current;
        const f = c >= 0 && w.counts[c]! >= min ? out[c]! : Number.NaN;
        view.candidate[m] = c;
        view.samples[m] = c >= 0 ? w.counts[c]! : 0;
        view.point[m] = f;
        if (f === f && w.sorted.size > 0) {
          const p50 = quantileForecast(w.sorted, f, floor, 0.5);
          view.p50[m] = p50;
          view.upper[m] = Math.max(p50, quantileForecast(w.sorted, f, floor, level[m]!));
        } else {
          view.p50[m] = Number.NaN;
          view.upper[m] = Number.NaN;
        }
        pendingP50[slot * M + m] = view.p50[m]!;
        pendingUpper[slot * M + m] = view.upper[m]!;
      }
      pendingAuto[slot] = autoForecast(view, history, floor);
      pendingAutoUpper[slot] = view.autoCombined ? view.autoUpper : Number.NaN;
      view.t = t;
      view.history = history;
      view.haveMs = haveMs;
      if (o.everyIssue || t === o.to) o.onIssue(view, engines, windows);
    }
    if (o.onProgress && (t - o.from) % progressEvery === 0) o.onProgress(t - o.from, total);
  }
  o.onProgress?.(total, total);

  /**
   * Auto's forecast at this issue into `view`: the models weighted by their recent loss
   * (those with a calibrated forecast now), with the combination's quantiles once it has
   * enough scored errors of its own, its lead model's before. Returns the combined point
   * (NaN: none), to be scored against the target whichever was reported.
   */
  function autoForecast(view: IssueView, history: HistoryState, floor: number): number {
    view.auto = -1;
    view.autoCombined = false;
    view.autoWeights.fill(0);
    view.autoPoint = view.autoP50 = view.autoUpper = Number.NaN;
    view.autoSamples = 0;
    view.autoLevel = autoLevel;
    if (autoIdx.length === 0 || history.state === 'NotEnoughHistory') return Number.NaN;
    for (let a = 0; a < autoIdx.length; a++) {
      const m = autoIdx[a]!;
      autoMeans[a] = view.p50[m]! === view.p50[m]! ? meanLoss(autoWindow, a) : Number.NaN;
      autoPoints[a] = view.point[m]!;
    }
    if (skillWeights(autoMeans, exponent, autoShares) === 0) return Number.NaN;
    let lead = 0;
    for (let a = 1; a < autoIdx.length; a++) if (autoShares[a]! > autoShares[lead]!) lead = a;
    view.auto = autoIdx[lead]!;
    const combined = combinePoints(autoShares, autoPoints);
    if (combination.current === 0 && combination.sorted.size > 0) {
      view.autoCombined = true;
      for (let a = 0; a < autoIdx.length; a++) view.autoWeights[autoIdx[a]!] = autoShares[a]!;
      view.autoPoint = combined;
      view.autoP50 = quantileForecast(combination.sorted, combined, floor, 0.5);
      view.autoUpper = Math.max(view.autoP50, quantileForecast(combination.sorted, combined, floor, autoLevel));
      view.autoSamples = combination.counts[0]!;
    } else {
      view.autoWeights[view.auto] = 1;
      view.autoPoint = view.point[view.auto]!;
      view.autoP50 = view.p50[view.auto]!;
      view.autoUpper = view.upper[view.auto]!;
      view.autoSamples = view.samples[view.auto]!;
    }
    return combined;
  }
}
