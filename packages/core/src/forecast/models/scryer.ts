/**
 * The Scryer-style forecaster (reference predictive.md §1 and §10.2; DESIGN.md
 * "predictive"): for a target bin, the same slot (same weekday and time of day) over
 * the last k weeks, averaged robustly and with recency weights ({@link
 * winsorizedWeightedMean}), then level-corrected by what happened recently against
 * what the same pattern said for it:
 *
 *     P(T)  = robust average of y(T − j·lag), j = 1..k
 *     r_m   = mean of y over the last m bins − the pattern of that window (m = 10 min, 30 min, 2 h)
 *     additive:        ŷ = P(T) + Σ β_m · r_m
 *     multiplicative:  ŷ = P(T) · (1 + Σ β_m · (A_m / B_m − 1))
 *
 * The weights β are fitted by least squares (a little ridge) to the model's own recent
 * out-of-sample samples ({@link SlidingRegressions}), per series, horizon and pattern,
 * so how much of the seasonal shape and how much of the current level to trust is
 * learned, not tuned. Which k, which pattern and which form (plain pattern, additive,
 * multiplicative) is chosen by the walk-forward like any parameter. With less than
 * `weeklyAfterDays` of history only the daily variants run (the same time of day over
 * the last k days, or over the last k days of the same kind, weekday or weekend, in
 * the series' local time). Gaps and outage bins are NaN in the prepared series and
 * never enter a pattern, a window, a weight or a fit.
 * @module
 */
import { PrescaleError } from '../../errors.js';
import type { HistoryState } from '../historyState.js';
import type { EngineContext, ModelEngine } from '../modelEngine.js';
import { DAY_MS as IMPORTED_DAY_MS, evaluationSampling, type ForecastSettings, MINUTE_MS } from '../forecastSettings.js';
import { type PreparedSeries, windowMean as importedWindowMean } from '../preparedSeries.js';
import { clipCounts, nestedWinsorizedMeans as importedNestedWinsorizedMeans } from '../robustPattern.js';
import { FEATURES as IMPORTED_FEATURES, SlidingRegressions } from '../slidingRegression.js';

// Module-local copies of the imports used for every sampled issue: test and bench
// runners that rewrite imports into property reads of a module object would otherwise
// pay for a getter call on every use (see walkForward.ts).
const DAY_MS = IMPORTED_DAY_MS;
const FEATURES = IMPORTED_FEATURES;
const windowMean = importedWindowMean;
const nestedWinsorizedMeans = importedNestedWinsorizedMeans;

export type ScryerPatternKind = 'weekly' | 'daily' | 'daily-same-kind';
export type ScryerForm = 'pattern' | 'add' | 'mul';

/** A Scryer candidate as a fit keeps it: its pattern variant, its form and its level weights. */
export interface ScryerParameters {
  pattern: ScryerPatternKind;
  k: number;
  form: ScryerForm;
  /** The fitted level weights β (four; empty for the plain pattern). */
  weights: number[];
}

interface Family {
  kind: ScryerPatternKind;
  k: number;
  lagBins: number;
}

const FORMS: readonly ScryerForm[] = ['pattern', 'add', 'mul'];

/** Candidate week counts (those above maxWeeks are dropped, maxWeeks itself added). */
const WEEK_COUNTS = [2, 4, 8, 12];
const DAY_COUNTS = [1, 3, 7];
const SAME_KIND_DAY_COUNTS = [1, 3];
const LEVEL_WINDOWS_MS = [10 * MINUTE_MS, 30 * MINUTE_MS, 120 * MINUTE_MS];
const LEVELS = FEATURES - 1;
/** Ridge penalty relative to the mean diagonal of XᵀX. */
const RIDGE = 0.01;
const REFIT_EVERY = 4;
/** How far back the same-kind daily variant looks for matching days. */
const SAME_KIND_MAX_DAYS = 14;


/**
 * Families of one kind: their copies are nested (k = 2 uses the first two of the copies
 * k = 4 uses, and so on), so one pass over the copies, newest first, gives every
 * family's pattern ({@link nestedWinsorizedMeans}). Families are numbered consecutively.
 */
interface FamilyGroup {
  first: number;
  /** k of each family, ascending. */
  counts: Int32Array;
  /** Recency weight of copy j. */
  weights: Float64Array;
}

/**
 * The pattern side of the model, shared by the engine (every candidate, every sampled
 * issue) and by a forecast from a fit (one candidate, once): the pattern variants, the
 * level windows, and the pattern of a target bin with the level features that correct
 * it. (A class, so that the hot calls have one target to inline.)
 */
class ScryerPatterns {
  readonly families: Family[] = [];
  /** One label per candidate: family-major, then the forms. The weekly families come first. */
  readonly labels: string[] = [];
  private readonly weeks: FamilyGroup;
  private readonly days: FamilyGroup;
  private readonly sameKind: FamilyGroup;
  private readonly sameKindWeight: Float64Array;
  /** Level windows, bins. */
  private readonly windows: number[];
  /** Values clipped at each end of n copies (winsorising), by n. */
  private readonly clip: Int32Array;
  private readonly values: Float64Array;
  private readonly sum: Float64Array;
  private readonly count: Int32Array;
  private readonly size: number;
  private readonly dayBins: number;
  private readonly weekBins: number;
  /** Patterns: row 0 the target bin, row 1 + m level window m; one column per family. */
  private readonly pat: Float64Array;
  // The current window's copies (index j: j days or weeks back; NaN: none), read in one
  // loop before they are sorted so the memory reads, spread over the whole history,
  // overlap. The daily and the weekly patterns share the copy 7 days back.
  private readonly dayCopy: Float64Array;
  private readonly weekCopy: Float64Array;
  private readonly kindCopy = new Float64Array(SAME_KIND_MAX_DAYS + 1);
  private readonly kindWeight = new Float64Array(SAME_KIND_MAX_DAYS + 1);
  /** Which days back are of the same kind as the target's, and as the level windows' (they all end at t − 1). */
  private readonly targetKind: Int32Array;
  private readonly levelKind: Int32Array;

  constructor(
    private readonly prep: PreparedSeries,
    settings: ForecastSettings,
  ) {
    const halfLifeDays = settings.recencyHalfLifeWeeks * 7;
    const binDays = prep.binMs / DAY_MS;
    const group = (kind: ScryerPatternKind, counts: readonly number[], lagBins: number, weight: (j: number) => number): FamilyGroup => {
      const g = { first: this.families.length, counts: Int32Array.from(counts), weights: Float64Array.from({ length: counts[counts.length - 1]! + 1 }, (_, j) => weight(j)) };
      for (const k of counts) this.families.push({ kind, k, lagBins });
      return g;
    };
    // Recency weight of a copy j days back (daily) or j weeks back (weekly).
    const dayWeight = (j: number): number => Math.pow(0.5, (j * prep.dayBins * binDays) / halfLifeDays);
    const weekWeight = (j: number): number => Math.pow(0.5, (j * prep.weekBins * binDays) / halfLifeDays);
    this.weeks = group('weekly', [...new Set([...WEEK_COUNTS.filter((k) => k < settings.maxWeeks), settings.maxWeeks])], prep.weekBins, weekWeight);
    this.days = group('daily', DAY_COUNTS, prep.dayBins, dayWeight);
    this.sameKind = group('daily-same-kind', SAME_KIND_DAY_COUNTS, prep.dayBins, dayWeight);
    this.sameKindWeight = Float64Array.from({ length: SAME_KIND_MAX_DAYS + 1 }, (_, j) => dayWeight(j));
    this.windows = [...new Set(LEVEL_WINDOWS_MS.map((ms) => Math.max(1, Math.round(ms / prep.binMs))))];
    while (this.windows.length < LEVELS) this.windows.push(this.windows[this.windows.length - 1]! * 4);
    for (const f of this.families) for (const form of FORMS) this.labels.push(`${f.kind} k=${f.k} ${form === 'pattern' ? 'pattern only' : `${form} fitted level`}`);
    this.clip = clipCounts(Math.max(this.weeks.weights.length, this.days.weights.length, SAME_KIND_MAX_DAYS + 1), settings.winsorizeFraction);
    this.values = prep.values;
    this.sum = prep.sum;
    this.count = prep.count;
    this.size = prep.n;
    this.dayBins = prep.dayBins;
    this.weekBins = prep.weekBins;
    this.pat = new Float64Array((1 + LEVELS) * this.families.length);
    this.dayCopy = new Float64Array(this.days.weights.length);
    this.weekCopy = new Float64Array(this.weeks.weights.length);
    const maxKind = this.sameKind.counts[this.sameKind.counts.length - 1]!;
    this.targetKind = new Int32Array(maxKind);
    this.levelKind = new Int32Array(maxKind);
  }

  /** Number of weekly families (families 0 .. weeklyFamilies − 1). */
  get weeklyFamilies(): number {
    return this.weeks.counts.length;
  }

  /** The mean of each level window (10 min, 30 min, 2 h) just before `t`, into `level`. */
  levels(t: number, level: Float64Array): void {
    for (let m = 0; m < LEVELS; m++) level[m] = windowMean(this.prep, t - this.windows[m]!, t);
  }

  /**
   * The pattern P of family `fi` for bin `target`, from bins before `t` only, written to
   * `made[o]`, then its additive features at `made[o + 1 ..]` and its multiplicative
   * ones at `made[o + 1 + FEATURES ..]`. Returns P; NaN when the family has no pattern
   * there (a weekly family without the weekly history, or no observed copy), and then
   * writes no features.
   */
  features(fi: number, target: number, t: number, weekly: boolean, level: Float64Array, made: Float64Array, o: number): number {
    this.patterns(target, t, weekly, true, level);
    return this.write(fi, level, made, o);
  }

  /**
   * The same for every family, family `fi` at `made[base + fi · (1 + 2 · FEATURES)]`;
   * without `daily`, the daily families have no pattern (NaN) and cost nothing.
   */
  allFeatures(target: number, t: number, weekly: boolean, daily: boolean, level: Float64Array, made: Float64Array, base: number): void {
    this.patterns(target, t, weekly, daily, level);
    for (let fi = 0; fi < this.families.length; fi++) this.write(fi, level, made, base + fi * (1 + 2 * FEATURES));
  }

  /** The weekday of bin `i` in the series' local time, 0 = Sunday. */
  private weekday(i: number): number {
    const { prep } = this;
    const localDay = Math.floor((prep.startMs + i * prep.binMs + prep.utcOffsetMinutes * 60_000) / DAY_MS);
    // (localDay + 4) mod 7 (1970-01-01 was a Thursday), without a float modulo.
    const d = localDay + 4;
    return d - 7 * Math.floor(d / 7);
  }

  /** The first days back (at most 14) of the same kind (weekday or weekend) as bin `e`, whose copies end there, into `into`; returns how many. */
  private sameKindDays(e: number, into: Int32Array): number {
    // A day is exactly dayBins bins, so the bin j days back falls on the weekday j before.
    let day = this.weekday(e);
    const weekend = day === 0 || day === 6;
    let found = 0;
    for (let j = 1; j <= SAME_KIND_MAX_DAYS && found < into.length; j++) {
      day = day === 0 ? 6 : day - 1;
      if ((day === 0 || day === 6) === weekend) into[found++] = j;
    }
    return found;
  }

  /** The copy [start, start + w) if it lies before t: its value or mean; NaN if not, or not observed. */
  private copy(start: number, w: number, t: number): number {
    if (start < 0 || start + w > t) return Number.NaN;
    if (w === 1) return this.values[start]!;
    // The mean of the observed bins (windowMean, inlined: this runs for every copy).
    const { size, count, sum } = this;
    const hi = start + w > size ? size : start + w;
    const lo = start > size ? size : start;
    const c = count[hi]! - count[lo]!;
    return c > 0 ? (sum[hi]! - sum[lo]!) / c : Number.NaN;
  }

  /** The copies j = from..to − 1 (j · lag bins back) of the window [a, a + w), as {@link copy} gives them, into `out[j]`. */
  private copies(out: Float64Array, from: number, to: number, a: number, lag: number, w: number, t: number): void {
    if (w === 1) {
      const { values } = this;
      for (let j = from; j < to; j++) {
        const start = a - j * lag;
        out[j] = start >= 0 && start + 1 <= t ? values[start]! : Number.NaN;
      }
      return;
    }
    const { size, count, sum } = this;
    for (let j = from; j < to; j++) {
      const start = a - j * lag;
      if (start < 0 || start + w > t) {
        out[j] = Number.NaN;
        continue;
      }
      const hi = start + w > size ? size : start + w;
      const lo = start > size ? size : start;
      const c = count[hi]! - count[lo]!;
      out[j] = c > 0 ? (sum[hi]! - sum[lo]!) / c : Number.NaN;
    }
  }

  /**
   * Every family's robust pattern of the window [a, a + w) from its copies before t, into
   * `pat[row + fi]`; `kind` holds the same-kind days for the window's last bin. Families
   * that do not run (the weekly ones without `weekly`, the daily ones without `daily`) get NaN.
   */
  private windowPatterns(a: number, w: number, t: number, weekly: boolean, daily: boolean, row: number, kind: Int32Array, kinds: number): void {
    const { dayCopy, weekCopy, kindCopy, kindWeight, days, weeks, sameKind, pat, dayBins, weekBins, clip } = this;
    if (daily) this.copies(dayCopy, 1, dayCopy.length, a, dayBins, w, t);
    if (weekly) {
      // The weekly pattern shares the copy 7 days back with the daily one, when that runs.
      if (daily) weekCopy[1] = dayCopy[7]!;
      this.copies(weekCopy, daily ? 2 : 1, weekCopy.length, a, weekBins, w, t);
    }
    if (daily) {
      nestedWinsorizedMeans(dayCopy, days.weights, dayCopy.length - 1, days.counts, clip, pat, row + days.first);
      for (let i = 0; i < kinds; i++) {
        const j = kind[i]!;
        kindCopy[i + 1] = j < dayCopy.length ? dayCopy[j]! : this.copy(a - j * dayBins, w, t);
        kindWeight[i + 1] = this.sameKindWeight[j]!;
      }
      nestedWinsorizedMeans(kindCopy, kindWeight, kinds, sameKind.counts, clip, pat, row + sameKind.first);
    } else {
      pat.fill(Number.NaN, row + days.first, row + days.first + days.counts.length);
      pat.fill(Number.NaN, row + sameKind.first, row + sameKind.first + sameKind.counts.length);
    }
    if (weekly) nestedWinsorizedMeans(weekCopy, weeks.weights, weekCopy.length - 1, weeks.counts, clip, pat, row + weeks.first);
    else pat.fill(Number.NaN, row + weeks.first, row + weeks.first + weeks.counts.length);
  }

  /** The target's and the level windows' patterns of every family (or only the weekly ones: see {@link windowPatterns}) into `pat`. */
  private patterns(target: number, t: number, weekly: boolean, daily: boolean, level: Float64Array): void {
    const F = this.families.length;
    const targetKinds = daily ? this.sameKindDays(target, this.targetKind) : 0;
    this.windowPatterns(target, 1, t, weekly, daily, 0, this.targetKind, targetKinds);
    const kinds = daily ? this.sameKindDays(t - 1, this.levelKind) : 0;
    for (let m = 0; m < LEVELS; m++) {
      // A level window with no observed bin needs no pattern.
      const w = this.windows[m]!;
      if (level[m]! === level[m]!) this.windowPatterns(t - w, w, t, weekly, daily, (1 + m) * F, this.levelKind, kinds);
    }
  }

  /** Writes family fi's pattern and features from `pat` (as `features` describes). */
  private write(fi: number, level: Float64Array, made: Float64Array, o: number): number {
    const { pat } = this;
    const F = this.families.length;
    const p = pat[fi]!;
    made[o] = p;
    if (p !== p) return p;
    let recent = Number.NaN;
    for (let m = 0; m < LEVELS; m++) {
      const a = level[m]!;
      const b = a === a ? pat[(1 + m) * F + fi]! : Number.NaN;
      if (m === 0) recent = b;
      made[o + 1 + m] = a === a && b === b ? a - b : 0;
      made[o + 1 + FEATURES + m] = a === a && b > 0 ? a / b - 1 : 0;
    }
    // The pattern's own change from the latest window to the target, so the fit can
    // also discount the seasonal shape (β = 1 on it and on r_10m is persistence).
    made[o + FEATURES] = recent === recent ? recent - p : 0;
    made[o + 2 * FEATURES] = recent === recent && p > 0 ? recent / p - 1 : 0;
    return p;
  }
}

/**
 * The pattern P corrected by the level features at `made[o ..]` (as written by
 * `features`) with the weights `beta[bo ..]`: additive P + Σ β·r, multiplicative
 * P·(1 + Σ β·(A/B − 1)), at least 0; the plain pattern is P.
 */
function levelCorrected(form: ScryerForm, p: number, beta: ArrayLike<number>, bo: number, made: Float64Array, o: number): number {
  if (form === 'pattern') return p;
  return form === 'add' ? additive(p, beta, bo, made, o) : multiplicative(p, beta, bo, made, o);
}

function additive(p: number, beta: ArrayLike<number>, bo: number, made: Float64Array, o: number): number {
  let add = p;
  for (let m = 0; m < FEATURES; m++) add += beta[bo + m]! * made[o + 1 + m]!;
  return add > 0 ? add : 0;
}

function multiplicative(p: number, beta: ArrayLike<number>, bo: number, made: Float64Array, o: number): number {
  let ratio = 1;
  for (let m = 0; m < FEATURES; m++) ratio += beta[bo + m]! * made[o + 1 + FEATURES + m]!;
  const mul = p * ratio;
  return mul > 0 ? mul : 0;
}

export function createScryerEngine(ctx: EngineContext): ModelEngine {
  const { prep, horizonBins: h, settings } = ctx;
  const patterns = new ScryerPatterns(prep, settings);
  const { families } = patterns;
  const F = families.length;
  const { capacity, stride: sampleStride } = evaluationSampling(prep.binMs, settings);
  // Per family: the additive and the multiplicative fit.
  const fits = new SlidingRegressions(2 * F, capacity);
  const minFit = Math.max(FEATURES * 4, settings.minEvaluationSamples);
  // The fitted weights, re-solved every REFIT_EVERY-th sampled target (by its bin
  // number since the epoch, so a forecast and a backtest refit at the same bins).
  const betas = new Float64Array(2 * F * FEATURES);
  // What each forecast was made from, kept until its target is known: per issue slot
  // and family, P(T), then the additive and the multiplicative features.
  const ring = h + 1;
  const stride = 1 + 2 * FEATURES;
  const made = new Float64Array(ring * F * stride).fill(Number.NaN);
  const level = new Float64Array(LEVELS);
  const weeklyCandidates = patterns.weeklyFamilies * FORMS.length;
  const dailyUntilMs = dailyVariantsUntilMs(settings);
  const dailyRetired = (history: HistoryState): boolean => history.state === 'WeeklyPattern' && history.haveMs >= dailyUntilMs;

  return {
    model: 'scryer',
    candidates: patterns.labels,
    needMs: scryerNeedMs(settings),
    activeCandidates(history: HistoryState): number {
      return dailyRetired(history) ? weeklyCandidates : patterns.labels.length;
    },
    forecast(t: number, history: HistoryState, out: Float64Array): void {
      const base = (t % ring) * F * stride;
      if (history.state === 'NotEnoughHistory') {
        made.fill(Number.NaN, base, base + F * stride);
        out.fill(Number.NaN);
        return;
      }
      const weekly = history.state === 'WeeklyPattern';
      const target = t - 1 + h;
      patterns.levels(t, level);
      patterns.allFeatures(target, t, weekly, !dailyRetired(history), level, made, base);
      for (let fi = 0; fi < F; fi++) {
        const o = base + fi * stride;
        const p = made[o]!;
        if (p !== p) {
          out[fi * 3] = out[fi * 3 + 1] = out[fi * 3 + 2] = Number.NaN;
          continue;
        }
        const ba = 2 * fi * FEATURES;
        out[fi * 3] = p;
        out[fi * 3 + 1] = additive(p, betas, ba, made, o);
        out[fi * 3 + 2] = multiplicative(p, betas, ba + FEATURES, made, o);
      }
    },
    learn(t: number): void {
      const y = prep.values[t - 1]!;
      const base = ((t - h) % ring) * F * stride;
      for (let fi = 0; fi < F; fi++) {
        const o = base + fi * stride;
        const p = made[o]!;
        if (p !== p) continue;
        fits.add(2 * fi, made, o + 1, y - p);
        if (p > 0) fits.add(2 * fi + 1, made, o + 1 + FEATURES, y / p - 1);
      }
      if ((prep.epochBin + t - 1) % (REFIT_EVERY * sampleStride) !== 0) return;
      for (let k = 0; k < 2 * F; k++) fits.solve(k, minFit, RIDGE, betas, k * FEATURES);
    },
    parameters(c: number) {
      const f = families[Math.floor(c / 3)]!;
      const form = FORMS[c % 3]!;
      const at = 2 * Math.floor(c / 3) * FEATURES + (form === 'mul' ? FEATURES : 0);
      return { scryer: { pattern: f.kind, k: f.k, form, weights: form === 'pattern' ? [] : Array.from(betas.subarray(at, at + FEATURES)) } };
    },
  };
}

/**
 * Observed history after which Scryer forecasts from the weekly pattern only: the daily
 * variants (the fallback while fewer weeks exist) run until the weekly ones have been
 * scored over a full evaluation window, so the choice hands over on evidence.
 */
export function dailyVariantsUntilMs(settings: ForecastSettings): number {
  return (settings.weeklyAfterDays + settings.evaluationDays) * DAY_MS;
}

/** Observed history Scryer needs before it forecasts (the daily pattern's). */
export function scryerNeedMs(settings: ForecastSettings): number {
  return settings.dailyAfterDays * DAY_MS;
}

/**
 * One Scryer forecast of bin `t − 1 + horizonBins` from bins before `t`, with a fitted
 * candidate: the same pattern and level features as the engine's, corrected with the
 * fit's weights. NaN when the pattern has no copy there.
 * @throws PrescaleError when the candidate is not one of this series' pattern variants.
 */
export function scryerForecast(prep: PreparedSeries, settings: ForecastSettings, t: number, horizonBins: number, history: HistoryState, fit: ScryerParameters): number {
  if (history.state === 'NotEnoughHistory') return Number.NaN;
  const patterns = new ScryerPatterns(prep, settings);
  const fi = patterns.families.findIndex((f) => f.kind === fit.pattern && f.k === fit.k);
  if (fi < 0 || !FORMS.includes(fit.form) || (fit.form !== 'pattern' && !(fit.weights.length === FEATURES && fit.weights.every(Number.isFinite)))) {
    throw new PrescaleError('InvalidConfig', 'fit.scryer', fit, `must name one of the pattern variants (maxWeeks ${settings.maxWeeks}), a form and ${FEATURES} finite level weights`);
  }
  const level = new Float64Array(LEVELS);
  patterns.levels(t, level);
  const made = new Float64Array(1 + 2 * FEATURES);
  const p = patterns.features(fi, t - 1 + horizonBins, t, history.state === 'WeeklyPattern', level, made, 0);
  return p === p ? levelCorrected(fit.form, p, fit.weights, 0, made, 0) : p;
}
