/**
 * Seasonal naive baselines, reference predictive.md §9.2.2:
 *
 * - `seasonal-naive-daily`: ŷ(T) = y(T − 1 day);
 * - `seasonal-naive-weekly`: ŷ(T) = y(T − 7 days);
 * - `last-week-max`: the maximum of last week's values over the look-ahead,
 *   max y[t − 7 d .. T − 7 d], as Grafana Mimir scales its queriers
 *   (`max_over_time(…[30m] offset 6d23h30m)`, §6.7).
 *
 * A bin whose seasonal copy is a gap (or lies after the issue time) has no forecast.
 * @module
 */
import type { EngineContext, ModelEngine } from '../modelEngine.js';
import { DAY_MS, WEEK_MS } from '../forecastSettings.js';
import { valueAt } from '../preparedSeries.js';

export function createSeasonalNaiveEngine(ctx: EngineContext, period: 'daily' | 'weekly'): ModelEngine {
  const { prep, horizonBins: h } = ctx;
  const lag = period === 'daily' ? prep.dayBins : prep.weekBins;
  return {
    model: period === 'daily' ? 'seasonal-naive-daily' : 'seasonal-naive-weekly',
    candidates: [`same bin ${period === 'daily' ? '1 day' : '7 days'} earlier`],
    needMs: period === 'daily' ? DAY_MS : WEEK_MS,
    forecast(t, _history, out) {
      const source = t - 1 + h - lag;
      out[0] = source < t ? valueAt(prep, source) : Number.NaN;
    },
  };
}

export function createLastWeekMaxEngine(ctx: EngineContext): ModelEngine {
  const { prep, horizonBins: h } = ctx;
  const lag = prep.weekBins;
  return {
    model: 'last-week-max',
    candidates: ['max of last week over the look-ahead'],
    needMs: WEEK_MS,
    forecast(t, _history, out) {
      let best = Number.NaN;
      const to = Math.min(t - 1 + h - lag, t - 1);
      for (let i = t - lag; i <= to; i++) {
        const v = valueAt(prep, i);
        if (v === v && !(v <= best)) best = v;
      }
      out[0] = best;
    },
  };
}
