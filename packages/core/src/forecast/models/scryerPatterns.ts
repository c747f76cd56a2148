/**
 * The pattern side of the Scryer-style forecaster (see scryer.ts): its pattern variants
 * (the same slot over the last k weeks, days, or days of the same kind), the level
 * windows just before the issue (10 min, 30 min, 2 h), and for a target bin each
 * variant's robust recency-weighted pattern with the level features that correct it.
 * Shared by the walk-forward engine (every candidate, every sampled issue) and by a
 * forecast from a fit (one candidate, once). Gaps and outage bins are NaN in the
 * prepared series and never enter a pattern or a window.
 * @module
 */
import type { ScryerForm, ScryerPatternKind } from '../candidateParameters.js';
import { DAY_MS, type ForecastSettings, MINUTE_MS } from '../forecastSettings.js';
import { type PreparedSeries, windowMean } from '../preparedSeries.js';
import { clipCounts, nestedWinsorizedMeans } from '../robustPattern.js';
import { FEATURES } from '../slidingRegression.js';

export interface Family {
  kind: ScryerPatternKind;
  k: number;
  lagBins: number;
}

export const FORMS: readonly ScryerForm[] = ['pattern', 'add', 'mul'];

/** Candidate week counts (those above maxWeeks are dropped, maxWeeks itself added). */
const WEEK_COUNTS = [2, 4, 8, 12];
const DAY_COUNTS = [1, 3, 7];
const SAME_KIND_DAY_COUNTS = [1, 3];
const LEVEL_WINDOWS_MS = [10 * MINUTE_MS, 30 * MINUTE_MS, 120 * MINUTE_MS];
export const LEVELS = FEATURES - 1;
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
export class ScryerPatterns {
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
