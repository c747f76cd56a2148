/**
 * Choosing by recent loss with hysteresis: the part of `auto` that picks a model per
 * series, and of each model that picks its parameters. Every option is scored on the
 * same sliding window of out-of-sample samples with an asymmetric loss (reference
 * predictive.md §6.1: crane amplifies under-prediction; §5: Autopilot charges for
 * switching). The current choice is kept unless a challenger's mean loss is below
 * (1 − hysteresis) × the current's, so the choice does not flap on noise. An option
 * needs `minSamples` scored samples in the window to be chosen.
 * @module
 */
import {
  createSortedWindow,
  errorScale,
  type SortedWindow,
  sortedClear,
  sortedInsert,
  sortedRemove,
  sortedReplace,
} from './empiricalQuantiles.js';

/** Loss of forecasting `forecast` when `actual` came: under-forecasts cost `underWeight` per unit. */
export function asymmetricLoss(actual: number, forecast: number, underWeight: number): number {
  return actual > forecast ? underWeight * (actual - forecast) : forecast - actual;
}

export interface ChoiceWindow {
  options: number;
  capacity: number;
  /** Ring of losses, option-major within a sample; NaN: the option had no forecast. */
  losses: Float64Array;
  /** Ring of relative errors, same layout (only when quantiles are kept). */
  errors: Float64Array | null;
  sums: Float64Array;
  counts: Float64Array;
  /** Next ring slot. */
  position: number;
  pushed: number;
  /** The chosen option, −1 while none qualifies. */
  current: number;
  /** Sorted relative errors of the current option. */
  sorted: SortedWindow;
  minSamples: number;
  hysteresis: number;
}

export function createChoiceWindow(options: number, capacity: number, minSamples: number, hysteresis: number, keepErrors: boolean): ChoiceWindow {
  return {
    options,
    capacity,
    losses: new Float64Array(options * capacity).fill(Number.NaN),
    errors: keepErrors ? new Float64Array(options * capacity).fill(Number.NaN) : null,
    sums: new Float64Array(options),
    counts: new Float64Array(options),
    position: 0,
    pushed: 0,
    current: -1,
    sorted: createSortedWindow(capacity),
    minSamples,
    hysteresis,
  };
}

/** Adds one sample to a window that keeps no errors: each option's loss (NaN if it had no forecast). */
export function pushSample(w: ChoiceWindow, losses: Float64Array): void {
  const base = w.position * w.options;
  for (let o = 0; o < w.options; o++) enterLoss(w, base + o, o, losses[o]!);
  advance(w);
}

/**
 * Scores one sample into a window that keeps errors: option o forecast
 * `forecasts[at + o]` (NaN: none) for a target that came out `actual`; its asymmetric
 * loss and its relative error, (actual − forecast) / {@link errorScale}(forecast,
 * `floor`), enter the window.
 */
export function scoreSample(w: ChoiceWindow, forecasts: Float64Array, at: number, actual: number, underWeight: number, floor: number): void {
  const kept = w.errors!;
  const base = w.position * w.options;
  const c = w.current;
  for (let o = 0; o < w.options; o++) {
    const f = forecasts[at + o]!;
    enterLoss(w, base + o, o, f === f ? asymmetricLoss(actual, f, underWeight) : Number.NaN);
    const e = f === f ? (actual - f) / errorScale(f, floor) : Number.NaN;
    if (o === c) {
      // The current option's errors are also kept sorted, for its quantiles.
      const old = kept[base + o]!;
      if (old === old && e === e) sortedReplace(w.sorted, old, e);
      else if (old === old) sortedRemove(w.sorted, old);
      else if (e === e) sortedInsert(w.sorted, e);
    }
    kept[base + o] = e;
  }
  advance(w);
}

/** Puts option o's loss `v` at ring index `i`, in place of the one that leaves, and updates its sum and count. */
function enterLoss(w: ChoiceWindow, i: number, o: number, v: number): void {
  const old = w.losses[i]!;
  w.losses[i] = v;
  if (old === old) {
    w.sums[o] = w.sums[o]! - old;
    w.counts[o] = w.counts[o]! - 1;
  }
  if (v === v) {
    w.sums[o] = w.sums[o]! + v;
    w.counts[o] = w.counts[o]! + 1;
  }
}

/** Moves to the next ring slot after a sample and chooses again. */
function advance(w: ChoiceWindow): void {
  w.position = w.position + 1 === w.capacity ? 0 : w.position + 1;
  w.pushed++;
  // Sliding sums drift by rounding; recompute them once per window, when the ring
  // wraps. (Not when it has just filled for the first time: nothing has left it yet, and
  // the sums are already what recomputing them in ring order gives.)
  if (w.position === 0 && w.pushed !== w.capacity) resum(w);
  choose(w);
}

function resum(w: ChoiceWindow): void {
  w.sums.fill(0);
  w.counts.fill(0);
  for (let i = 0; i < w.losses.length; i++) {
    const v = w.losses[i]!;
    if (v === v) {
      const o = i % w.options;
      w.sums[o] = w.sums[o]! + v;
      w.counts[o] = w.counts[o]! + 1;
    }
  }
}

/** Mean loss of an option over the window; NaN with too few samples. */
export function meanLoss(w: ChoiceWindow, o: number): number {
  return w.counts[o]! >= w.minSamples ? w.sums[o]! / w.counts[o]! : Number.NaN;
}

function choose(w: ChoiceWindow): void {
  let best = -1;
  let bestLoss = Number.POSITIVE_INFINITY;
  for (let o = 0; o < w.options; o++) {
    const l = meanLoss(w, o);
    if (l < bestLoss) {
      best = o;
      bestLoss = l;
    }
  }
  if (best < 0 || best === w.current) return;
  const currentLoss = w.current >= 0 ? meanLoss(w, w.current) : Number.NaN;
  if (currentLoss === currentLoss && !(bestLoss < (1 - w.hysteresis) * currentLoss)) return;
  setCurrent(w, best);
}

function setCurrent(w: ChoiceWindow, o: number): void {
  w.current = o;
  if (w.errors === null) return;
  sortedClear(w.sorted);
  for (let s = 0; s < w.capacity; s++) {
    const e = w.errors[s * w.options + o]!;
    if (e === e) sortedInsert(w.sorted, e);
  }
}

/**
 * Options `from` and above have stopped forecasting (Scryer's daily variants once its
 * weekly ones have a full window of scores): their scores leave the window, and should
 * they forecast again they start from none.
 * If one of them was the choice, the best remaining option is chosen, without
 * hysteresis (there is no incumbent to defend).
 */
export function retireOptions(w: ChoiceWindow, from: number): void {
  for (let i = 0; i < w.losses.length; i++) {
    if (i % w.options < from) continue;
    w.losses[i] = Number.NaN;
    if (w.errors !== null) w.errors[i] = Number.NaN;
  }
  w.sums.fill(0, from);
  w.counts.fill(0, from);
  if (w.current < from) return;
  w.current = -1;
  sortedClear(w.sorted);
  choose(w);
}

/** Makes `o` the choice (a scaler restoring its previous model) if it has enough samples. */
export function restoreChoice(w: ChoiceWindow, o: number): void {
  if (o >= 0 && o < w.options && meanLoss(w, o) === meanLoss(w, o)) setCurrent(w, o);
}
