/**
 * The history state machine reported with every forecast (reference predictive.md §0.2
 * and §10.3): too little observed history → `NotEnoughHistory` with how much there is
 * and how much is needed (prediction stays off: reactive only); a day or more → the
 * daily pattern; two weeks or more → the weekly pattern. Only observed bins count:
 * gaps and declared outage windows are not history. History older than `maxWeeks` is
 * not used, so the state can also step back down after a long outage.
 * @module
 */
import { DAY_MS, type ForecastSettings, WEEK_MS } from './forecastSettings.js';
import { observedCount, type PreparedSeries } from './preparedSeries.js';

export type HistoryState =
  | { state: 'NotEnoughHistory'; haveMs: number; needMs: number }
  | { state: 'DailyPattern'; haveMs: number }
  | { state: 'WeeklyPattern'; haveMs: number };

/** The state for an observed history of `haveMs`. */
export function historyStateFor(haveMs: number, settings: ForecastSettings): HistoryState {
  if (haveMs >= settings.weeklyAfterDays * DAY_MS) return { state: 'WeeklyPattern', haveMs };
  if (haveMs >= settings.dailyAfterDays * DAY_MS) return { state: 'DailyPattern', haveMs };
  return { state: 'NotEnoughHistory', haveMs, needMs: settings.dailyAfterDays * DAY_MS };
}

/** Observed history before bin `t`, within the last `maxWeeks`, in ms. */
export function observedHistoryMs(p: PreparedSeries, t: number, settings: ForecastSettings): number {
  const cap = Math.round((settings.maxWeeks * WEEK_MS) / p.binMs);
  return observedCount(p, t - cap, t) * p.binMs;
}

/** The history state at issue index `t` (bins before `t` are known). */
export function historyStateAt(p: PreparedSeries, t: number, settings: ForecastSettings): HistoryState {
  return historyStateFor(observedHistoryMs(p, t, settings), settings);
}

/** One line for a user: `NotEnoughHistory(have=3.0d, need=14.0d)`, `WeeklyPattern(have=61.0d)`. */
export function describeHistory(h: HistoryState): string {
  const days = (ms: number): string => `${(ms / DAY_MS).toFixed(1)}d`;
  return h.state === 'NotEnoughHistory' ? `NotEnoughHistory(have=${days(h.haveMs)}, need=${days(h.needMs)})` : `${h.state}(have=${days(h.haveMs)})`;
}
