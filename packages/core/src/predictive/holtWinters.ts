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
import type { EngineContext, ModelEngine } from './modelEngine.js';
import { DAY_MS } from './models.js';

const ALPHAS = [0.1, 0.4];
const GAMMAS = [0.05, 0.25];
const BETA = 0.01;

export function createHoltWintersEngine(ctx: EngineContext): ModelEngine {
  const { prep, horizonBins: h } = ctx;
  const p = prep.dayBins;
  const params: Array<{ alpha: number; gamma: number }> = [];
  for (const alpha of ALPHAS) for (const gamma of GAMMAS) params.push({ alpha, gamma });
  const c = params.length;
  const level = new Float64Array(c);
  const trend = new Float64Array(c);
  const season = new Float64Array(c * p);
  const start = Math.max(0, ctx.sequentialStart);
  /** Bins consumed so far: the state reflects bins < next. */
  let next = start;
  let ready = false;

  const slot = (i: number): number => (prep.epochBin + i) % p;

  function initialise(): void {
    const m1 = dayMean(start);
    const m2 = dayMean(start + p);
    const base = m1 === m1 ? m1 : m2;
    const second = m2 === m2 ? m2 : m1;
    const b = base === base && second === second ? (second - base) / p : 0;
    for (let k = 0; k < c; k++) {
      level[k] = second === second ? second : 0;
      trend[k] = b;
    }
    for (let i = 0; i < p; i++) {
      let dev = 0;
      let n = 0;
      for (const [d, mean] of [[0, m1], [1, m2]] as const) {
        const v = prep.values[start + d * p + i]!;
        if (v === v && mean === mean) {
          dev += v - mean;
          n++;
        }
      }
      const s = n > 0 ? dev / n : 0;
      const at = slot(start + i);
      for (let k = 0; k < c; k++) season[k * p + at] = s;
    }
    ready = true;
  }

  function dayMean(from: number): number {
    let total = 0;
    let n = 0;
    for (let i = from; i < from + p && i < prep.n; i++) {
      const v = prep.values[i]!;
      if (v === v) {
        total += v;
        n++;
      }
    }
    return n > 0 ? total / n : Number.NaN;
  }

  function update(i: number): void {
    const y = prep.values[i]!;
    if (y !== y) return;
    const s = slot(i);
    for (let k = 0; k < c; k++) {
      const { alpha, gamma } = params[k]!;
      const si = k * p + s;
      const previous = level[k]!;
      const l = alpha * (y - season[si]!) + (1 - alpha) * (previous + trend[k]!);
      trend[k] = BETA * (l - previous) + (1 - BETA) * trend[k]!;
      level[k] = l;
      season[si] = gamma * (y - l) + (1 - gamma) * season[si]!;
    }
  }

  return {
    model: 'holt-winters',
    candidates: params.map((q) => `α=${q.alpha} β=${BETA} γ=${q.gamma}`),
    needMs: 2 * DAY_MS,
    forecast(t, _history, out) {
      const known = Math.min(t, prep.n);
      if (!ready) {
        if (known < start + 2 * p) {
          out.fill(Number.NaN);
          return;
        }
        initialise();
        next = start + 2 * p;
      }
      while (next < known) update(next++);
      const target = slot(t - 1 + h);
      for (let k = 0; k < c; k++) {
        const y = level[k]! + h * trend[k]! + season[k * p + target]!;
        out[k] = y > 0 ? y : 0;
      }
    },
  };
}
