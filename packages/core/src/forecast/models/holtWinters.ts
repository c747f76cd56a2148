/**
 * Holt-Winters baseline, additive trend and additive daily season (reference
 * predictive.md §9.2.4), run online: each bin updates
 *
 *     level  L ← α (y − S[slot]) + (1 − α)(L + b)
 *     trend  b ← β (L − L_prev) + (1 − β) b
 *     season S[slot] ← γ (y − L) + (1 − γ) S[slot]
 *
 * and the forecast h bins ahead is L + h·b + S[slot of the target]. It starts from the
 * first two days after `sequentialStart` (level and trend from the two daily means,
 * season from each slot's deviation from its day's mean; statsmodels likewise needs two
 * full seasons) and forecasts nothing before. A gap bin leaves the state as it is. The
 * smoothing constants are candidates the walk-forward chooses among; slots count whole
 * bins from the epoch, so a day always starts at the same slot.
 * @module
 */
import type { HoltWintersParameters } from '../candidateParameters.js';
import type { EngineContext, ModelEngine } from '../modelEngine.js';
import { DAY_MS, WEEK_MS } from '../forecastSettings.js';
import type { PreparedSeries } from '../preparedSeries.js';

const ALPHAS = [0.1, 0.4];
const GAMMAS = [0.05, 0.25];
const BETA = 0.01;

/** Every candidate the walk-forward chooses among. */
export const HOLT_WINTERS_CANDIDATES: readonly HoltWintersParameters[] = ALPHAS.flatMap((alpha) => GAMMAS.map((gamma) => ({ alpha, beta: BETA, gamma })));

/** Observed history Holt-Winters needs before it forecasts. */
export const HOLT_WINTERS_NEED_MS = 2 * DAY_MS;

/** How much history a single forecast's Holt-Winters learns from: the two weeks before the issue. */
export function holtWintersStart(t: number, binMs: number): number {
  return Math.max(0, t - Math.round((2 * WEEK_MS) / binMs));
}

/**
 * The smoothed state of some candidates, rolled forward bin by bin from `start`. (A
 * class, so that the hot calls have one target to inline.)
 */
export class HoltWintersRun {
  private readonly p: number;
  private readonly c: number;
  private readonly level: Float64Array;
  private readonly trend: Float64Array;
  private readonly season: Float64Array;
  private readonly alpha: Float64Array;
  private readonly beta: Float64Array;
  private readonly gamma: Float64Array;
  private readonly values: Float64Array;
  /** Bins consumed so far: the state reflects bins < next. */
  private next: number;
  private ready = false;

  constructor(
    private readonly prep: PreparedSeries,
    private readonly start: number,
    params: readonly HoltWintersParameters[],
  ) {
    this.p = prep.dayBins;
    this.c = params.length;
    this.level = new Float64Array(this.c);
    this.trend = new Float64Array(this.c);
    this.season = new Float64Array(this.c * this.p);
    this.alpha = Float64Array.from(params, (q) => q.alpha);
    this.beta = Float64Array.from(params, (q) => q.beta);
    this.gamma = Float64Array.from(params, (q) => q.gamma);
    this.values = prep.values;
    this.next = start;
  }

  /** Consumes the bins before `t`; false while the first two days are not in yet. */
  advance(t: number): boolean {
    const known = Math.min(t, this.prep.n);
    if (!this.ready) {
      if (known < this.start + 2 * this.p) return false;
      this.initialise();
      this.next = this.start + 2 * this.p;
    }
    if (this.next < known) this.update(known);
    return true;
  }

  /** Candidate `k`'s forecast `h` bins past the last consumed one (bin `t − 1 + h` after `advance(t)`), at least 0. */
  value(k: number, t: number, h: number): number {
    const y = this.level[k]! + h * this.trend[k]! + this.season[k * this.p + this.slot(t - 1 + h)]!;
    return y > 0 ? y : 0;
  }

  /** Slot of the day; a series that starts before the epoch has negative bin numbers. */
  private slot(i: number): number {
    const s = (this.prep.epochBin + i) % this.p;
    return s < 0 ? s + this.p : s;
  }

  private initialise(): void {
    const { start, p, c, level, trend, season, values } = this;
    const m1 = this.dayMean(start);
    const m2 = this.dayMean(start + p);
    const base = m1 === m1 ? m1 : m2;
    const second = m2 === m2 ? m2 : m1;
    const b = base === base && second === second ? (second - base) / p : 0;
    for (let k = 0; k < c; k++) {
      level[k] = second === second ? second : 0;
      trend[k] = b;
    }
    for (let i = 0; i < p; i++) {
      // The slot's deviation from its day's mean, averaged over the two days.
      let dev = 0;
      let n = 0;
      const v1 = values[start + i]!;
      if (v1 === v1 && m1 === m1) {
        dev += v1 - m1;
        n++;
      }
      const v2 = values[start + p + i]!;
      if (v2 === v2 && m2 === m2) {
        dev += v2 - m2;
        n++;
      }
      const s = n > 0 ? dev / n : 0;
      const at = this.slot(start + i);
      for (let k = 0; k < c; k++) season[k * p + at] = s;
    }
    this.ready = true;
  }

  private dayMean(from: number): number {
    const { p, values } = this;
    let total = 0;
    let n = 0;
    for (let i = from; i < from + p && i < this.prep.n; i++) {
      const v = values[i]!;
      if (v === v) {
        total += v;
        n++;
      }
    }
    return n > 0 ? total / n : Number.NaN;
  }

  /**
   * Consumes the bins [next, known), one update per observed bin (see the module
   * comment), the slot following the bin. The candidates share nothing, so each keeps
   * its level and trend in locals; the walk-forward's four run side by side, whose
   * dependency chains then overlap.
   */
  private update(known: number): void {
    const { level, trend, season, alpha, beta, gamma, values, c, p } = this;
    const next = this.next;
    const first = this.slot(next);
    if (c === 4) {
      const a0 = alpha[0]!;
      const a1 = alpha[1]!;
      const a2 = alpha[2]!;
      const a3 = alpha[3]!;
      const b0 = beta[0]!;
      const b1 = beta[1]!;
      const b2 = beta[2]!;
      const b3 = beta[3]!;
      const g0 = gamma[0]!;
      const g1 = gamma[1]!;
      const g2 = gamma[2]!;
      const g3 = gamma[3]!;
      let l0 = level[0]!;
      let l1 = level[1]!;
      let l2 = level[2]!;
      let l3 = level[3]!;
      let t0 = trend[0]!;
      let t1 = trend[1]!;
      let t2 = trend[2]!;
      let t3 = trend[3]!;
      for (let i = next, s = first; i < known; i++, s = s + 1 === p ? 0 : s + 1) {
        const y = values[i]!;
        if (y !== y) continue;
        const p0 = l0;
        l0 = a0 * (y - season[s]!) + (1 - a0) * (p0 + t0);
        t0 = b0 * (l0 - p0) + (1 - b0) * t0;
        season[s] = g0 * (y - l0) + (1 - g0) * season[s]!;
        const s1 = p + s;
        const p1 = l1;
        l1 = a1 * (y - season[s1]!) + (1 - a1) * (p1 + t1);
        t1 = b1 * (l1 - p1) + (1 - b1) * t1;
        season[s1] = g1 * (y - l1) + (1 - g1) * season[s1]!;
        const s2 = 2 * p + s;
        const p2 = l2;
        l2 = a2 * (y - season[s2]!) + (1 - a2) * (p2 + t2);
        t2 = b2 * (l2 - p2) + (1 - b2) * t2;
        season[s2] = g2 * (y - l2) + (1 - g2) * season[s2]!;
        const s3 = 3 * p + s;
        const p3 = l3;
        l3 = a3 * (y - season[s3]!) + (1 - a3) * (p3 + t3);
        t3 = b3 * (l3 - p3) + (1 - b3) * t3;
        season[s3] = g3 * (y - l3) + (1 - g3) * season[s3]!;
      }
      level[0] = l0;
      level[1] = l1;
      level[2] = l2;
      level[3] = l3;
      trend[0] = t0;
      trend[1] = t1;
      trend[2] = t2;
      trend[3] = t3;
    } else {
      for (let k = 0; k < c; k++) {
        const a = alpha[k]!;
        const b = beta[k]!;
        const g = gamma[k]!;
        let l = level[k]!;
        let t = trend[k]!;
        for (let i = next, s = k * p + first; i < known; i++, s = s + 1 === (k + 1) * p ? k * p : s + 1) {
          const y = values[i]!;
          if (y !== y) continue;
          const previous = l;
          l = a * (y - season[s]!) + (1 - a) * (previous + t);
          t = b * (l - previous) + (1 - b) * t;
          season[s] = g * (y - l) + (1 - g) * season[s]!;
        }
        level[k] = l;
        trend[k] = t;
      }
    }
    this.next = known;
  }
}

export function createHoltWintersEngine(ctx: EngineContext): ModelEngine {
  const { prep, horizonBins: h } = ctx;
  const params = HOLT_WINTERS_CANDIDATES;
  const run = new HoltWintersRun(prep, Math.max(0, ctx.sequentialStart), params);
  return {
    model: 'holt-winters',
    candidates: params.map((q) => `α=${q.alpha} β=${q.beta} γ=${q.gamma}`),
    needMs: HOLT_WINTERS_NEED_MS,
    forecast(t, _history, out) {
      if (!run.advance(t)) {
        out.fill(Number.NaN);
        return;
      }
      for (let k = 0; k < params.length; k++) out[k] = run.value(k, t, h);
    },
    parameters(c) {
      const q = params[c]!;
      return { holtWinters: { alpha: q.alpha, beta: q.beta, gamma: q.gamma } };
    },
  };
}
