import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LONG_TEST_TIMEOUT_MS } from '../testSupport.js';
import { parseCountTrace } from '../series/countTrace.js';
import { type BinnedSeries, rebin } from '../series/binnedSeries.js';
import { backtest } from './backtest.js';
import { fitForecast, forecast, predictFromFit } from './forecast.js';
import { historyStateFor } from './historyState.js';
import { DAY_MS, forecastSettings, MODEL_NAMES, WEEK_MS } from './forecastSettings.js';
import { winsorizedWeightedMean } from './robustPattern.js';

const BIN = 3_600_000; // hourly series keep these tests fast
const T0 = Date.UTC(2024, 0, 1); // a Monday

/** Deterministic noise of ±48. */
const noise = (i: number): number => ((i * 7919) % 97) - 48;

/** A weekly pattern: daily sine, weekends at half, a level that can step. */
function synthetic(weeks: number, level = (_i: number) => 1): BinnedSeries {
  const values: Array<number | null> = [];
  for (let i = 0; i < weeks * 168; i++) {
    const hour = i % 24;
    const day = Math.floor(i / 24) % 7;
    const weekend = day >= 5 ? 0.5 : 1;
    values.push(Math.round(level(i) * weekend * (1000 + 800 * Math.sin(((hour - 6) / 24) * 2 * Math.PI))) + noise(i));
  }
  return { startMs: T0, binMs: BIN, values, utcOffsetMinutes: 0 };
}

describe('each forecaster on a weekly pattern', () => {
  const series = synthetic(6);
  const next = synthetic(7).values[6 * 168]!;
  it.each(MODEL_NAMES)('%s forecasts the next bin with a p50 and a p90 ≥ p50', (model) => {
    const r = forecast({ series, model, horizonMs: BIN });
    expect(r.status).toBe('ok');
    const p = r.points[0]!;
    expect(p.model).toBe(model);
    expect(p.upper).toBeGreaterThanOrEqual(p.p50);
    expect(Number.isFinite(p.p50)).toBe(true);
    if (model === 'scryer' || model === 'seasonal-naive-weekly') expect(Math.abs(p.p50 - next)).toBeLessThan(150);
  });

  it('scryer follows a level step with the seasonal shape on top (fitted level)', () => {
    // Traffic doubles from week 5 on; the plain weekly pattern would still say 1×.
    const stepped = synthetic(6, (i) => (i >= 5 * 168 ? 2 : 1));
    const r = forecast({ series: stepped, model: 'scryer', horizonMs: BIN });
    const truth = synthetic(7, () => 2).values[6 * 168]!;
    expect(r.status).toBe('ok');
    expect(Math.abs(r.points[0]!.p50 - truth) / truth).toBeLessThan(0.1);
  });

  it('auto combines the models by their recent skill, names them with their shares, and gives a point per bin up to the horizon', () => {
    const r = forecast({ series, horizonMs: 3 * BIN });
    expect(r.points.map((p) => p.targetMs)).toEqual([0, 1, 2].map((k) => series.startMs + (series.values.length + k) * BIN));
    for (const p of r.points) {
      expect(p.model).toBe('auto');
      expect(p.components!.length).toBeGreaterThan(1);
      for (const c of p.components!) expect(MODEL_NAMES).toContain(c.model);
      expect(p.components!.reduce((a, c) => a + c.weight, 0)).toBeCloseTo(1, 12);
      expect(p.parameters).toMatch(/^[a-z-]+ \d+ %( \+ [a-z-]+ \d+ %)+$/);
    }
    // With no hysteresis, only the best model counts: auto is one model again.
    const sharp = forecast({ series, horizonMs: BIN, settings: { hysteresis: 0 } });
    expect(sharp.points[0]!.components).toHaveLength(1);
  });

  it('auto does not jump from one model to another across the horizon (NASA-HTTP, 1995-07-20 08:00 −04:00)', () => {
    // The forecast that made Holt-Winters' 751 requests at 40 minutes and persistence's
    // 519.5 at 50: each horizon chose its model alone. Combined, the shares move by
    // steps across horizons, never from all to nothing.
    const nasa = rebin(parseCountTrace(readFileSync(join(process.env.PRESCALE_SHARED!, 'data/nasa_http_1995/arrivals_1min.csv'), 'utf8'), 'nasa'), 600_000);
    const r = forecast({ series: nasa, atMs: Date.parse('1995-07-20T08:00:00-04:00'), horizonMs: 3_600_000 });
    expect(r.status).toBe('ok');
    const share = (k: number, model: string): number => r.points[k]!.components?.find((c) => c.model === model)?.weight ?? 0;
    for (let k = 1; k < r.points.length; k++) {
      expect(r.points[k]!.model).toBe('auto');
      for (const model of MODEL_NAMES) expect(Math.abs(share(k, model) - share(k - 1, model))).toBeLessThan(0.5);
    }
  });
});

describe('history state machine', () => {
  const s = forecastSettings();
  it('NotEnoughHistory below a day, daily pattern from a day, weekly from two weeks', () => {
    expect(historyStateFor(12 * 3_600_000, s)).toEqual({ state: 'NotEnoughHistory', haveMs: 12 * 3_600_000, needMs: DAY_MS });
    expect(historyStateFor(3 * DAY_MS, s).state).toBe('DailyPattern');
    expect(historyStateFor(2 * WEEK_MS, s).state).toBe('WeeklyPattern');
  });

  it('a series too short gives NotEnoughHistory(have, need), never a forecast', () => {
    const short = { ...synthetic(1), values: synthetic(1).values.slice(0, 20) };
    const r = forecast({ series: short, model: 'scryer' });
    expect(r).toMatchObject({ status: 'NotEnoughHistory', haveMs: 20 * BIN, needMs: DAY_MS, points: [] });
    const weekly = forecast({ series: synthetic(1), model: 'seasonal-naive-weekly' });
    expect(weekly.status).toBe('NotEnoughHistory');
    if (weekly.status === 'NotEnoughHistory') expect(weekly.needMs).toBeGreaterThan(WEEK_MS);
  });

  it('gaps and declared outages do not count as history', () => {
    const s3 = synthetic(3);
    const gappy = { ...s3, values: s3.values.map((v, i) => (i < 2 * 168 ? null : v)) };
    expect(forecast({ series: gappy, model: 'scryer' }).history.state).toBe('DailyPattern');
    const outage = { startMs: T0, endMs: T0 + 2 * WEEK_MS };
    expect(forecast({ series: s3, model: 'scryer', outages: [outage] }).history.state).toBe('DailyPattern');
    expect(forecast({ series: s3, model: 'scryer' }).history.state).toBe('WeeklyPattern');
  });

  it('scryer uses its daily variants until the weekly ones have a full evaluation window, then the weekly pattern only', () => {
    // Every hour's level drifts from day to day and nothing repeats weekly: yesterday is
    // the best pattern, so the daily variants win while they run.
    const drift = new Float64Array(24);
    const values: number[] = [];
    for (let i = 0; i < 23 * 24; i++) {
      const hour = i % 24;
      drift[hour] = drift[hour]! + (((i * 7919) % 97) - 48) * 4;
      values.push(Math.max(0, Math.round(2000 + 800 * Math.sin((hour / 24) * 2 * Math.PI) + drift[hour]!)));
    }
    const series: BinnedSeries = { startMs: T0, binMs: BIN, values, utcOffsetMinutes: 0 };
    const at = (days: number) => forecast({ series, model: 'scryer', atMs: T0 + days * DAY_MS });
    const s = forecastSettings();
    const handover = (s.weeklyAfterDays + s.evaluationDays) * DAY_MS;
    const before = at(18);
    expect(before.history.state).toBe('WeeklyPattern');
    expect(before.history.haveMs).toBeLessThan(handover);
    expect(before.points[0]!.parameters).toMatch(/^daily/);
    const after = at(22);
    expect(after.history.haveMs).toBeGreaterThanOrEqual(handover);
    expect(after.status).toBe('ok');
    expect(after.points[0]!.parameters).toMatch(/^weekly/);
  });

  it('an outage spike is kept out of the pattern', () => {
    const base = synthetic(5);
    const spiked = { ...base, values: base.values.map((v, i) => (i === 4 * 168 - 168 + 10 ? 1e7 : v)) };
    const at = T0 + (4 * 168 + 10) * BIN;
    const outage = { startMs: T0 + (3 * 168 + 10) * BIN, endMs: T0 + (3 * 168 + 11) * BIN };
    const clean = forecast({ series: base, model: 'seasonal-naive-weekly', atMs: at }).points[0]!.point;
    expect(forecast({ series: spiked, model: 'seasonal-naive-weekly', atMs: at, outages: [outage] }).status).not.toBe('ok');
    expect(clean).toBe(base.values[3 * 168 + 10]);
  });
});

describe('robust pattern', () => {
  it('winsorises: one huge value moves the mean by at most the spread of the others', () => {
    const v = new Float64Array([100, 102, 98, 101, 1e9]);
    const w = new Float64Array([1, 1, 1, 1, 1]);
    expect(winsorizedWeightedMean(v, w, 5, 0.2)).toBeLessThan(103);
  });
  it('weights recent values more', () => {
    const v = new Float64Array([10, 20]);
    const w = new Float64Array([3, 1]);
    expect(winsorizedWeightedMean(v, w, 2, 0.2)).toBeCloseTo(12.5, 10);
  });
});

describe('backtest', () => {
  it('has no look-ahead: changing any value after the issue time leaves that forecast unchanged', () => {
    const series = synthetic(4);
    const base = backtest({ series, horizonMs: 2 * BIN, warmupMs: 2 * WEEK_MS });
    for (const issue of [0, 57, 200, base.issues - 1]) {
      const t = base.firstIssue + issue;
      const changed = { ...series, values: series.values.map((v, i) => (i >= t ? (i % 3 === 0 ? null : (v ?? 0) * 3 + 17) : v)) };
      const again = backtest({ series: changed, horizonMs: 2 * BIN, warmupMs: 2 * WEEK_MS });
      for (let m = 0; m < base.forecasts.length; m++) {
        expect(again.forecasts[m]!.p50[issue]).toBe(base.forecasts[m]!.p50[issue]);
        expect(again.forecasts[m]!.upper[issue]).toBe(base.forecasts[m]!.upper[issue]);
      }
    }
  });

  it('a single forecast equals the backtest forecast at the first issue time (same windows, same start)', () => {
    const series = synthetic(4);
    const bt = backtest({ series, horizonMs: BIN, warmupMs: 3 * WEEK_MS, models: ['scryer'] });
    const issue = 0;
    const t = bt.firstIssue + issue;
    const single = forecast({ series, model: 'scryer', atMs: series.startMs + t * BIN });
    expect(single.points[0]!.p50).toBe(bt.forecasts[0]!.p50[issue]!);
  });

  it('scores rows: MAE ratios are 1 for the baselines themselves', () => {
    const r = backtest({ series: synthetic(4), horizonMs: BIN, warmupMs: 2 * WEEK_MS, models: ['persistence', 'seasonal-naive-weekly'] });
    expect(r.summary[0]!.maeVsPersistence).toBe(1);
    expect(r.summary[1]!.maeVsSeasonalNaiveWeekly).toBe(1);
  });

  it('on NASA-HTTP at 1 h bins, scryer beats persistence and weekly seasonal naive at 1 h', () => {
    const text = readFileSync(join(process.env.PRESCALE_SHARED!, 'data/nasa_http_1995/arrivals_1min.csv'), 'utf8');
    const hourly = rebin(parseCountTrace(text, 'nasa'), BIN);
    const r = backtest({ series: hourly, horizonMs: BIN, models: ['scryer', 'auto'] });
    for (const s of r.summary) {
      expect(s.rows).toBeGreaterThan(500);
      expect(s.maeVsPersistence).toBeLessThan(1);
      expect(s.maeVsSeasonalNaiveWeekly).toBeLessThan(1);
      expect(s.coverage).toBeGreaterThan(0.8);
    }
  }, LONG_TEST_TIMEOUT_MS);
});

describe('bad input', () => {
  const s = synthetic(1);
  it('a value that is not a number at all is malformed and names the bin', () => {
    expect(() => forecast({ series: { ...s, values: [1, '2' as never, 3] } })).toThrowError(expect.objectContaining({ code: 'InvalidTrace', field: 'series.values[1]' }));
  });
  it.each([-2, Number.NaN, Infinity, -Infinity, 1e308, 3.6e12 + 1])('an implausible count (%s) is a gap, counted, in forecast, fitForecast and backtest alike', (bad) => {
    const history = synthetic(3);
    const at = 2 * 168 + 30;
    const withGap = { ...history, values: history.values.map((v, i) => (i === at ? null : v)) };
    const withBad = { ...history, values: history.values.map((v, i) => (i === at ? bad : v)) };
    const clean = forecast({ series: withGap, horizonMs: 2 * BIN });
    const r = forecast({ series: withBad, horizonMs: 2 * BIN });
    expect(r.status).toBe('ok');
    expect(r).toEqual({ ...clean, implausibleBins: 1 });
    expect(clean.implausibleBins).toBe(0);
    const fit = fitForecast({ series: withBad, horizonMs: 2 * BIN });
    expect(fit).toEqual({ ...fitForecast({ series: withGap, horizonMs: 2 * BIN }), implausibleBins: 1 });
    expect(predictFromFit({ series: withBad, fit })).toMatchObject({ status: 'ok', implausibleBins: 1 });
    const b = backtest({ series: withBad, horizonMs: BIN, warmupMs: 2 * WEEK_MS, models: ['persistence'] });
    expect(b).toEqual({ ...backtest({ series: withGap, horizonMs: BIN, warmupMs: 2 * WEEK_MS, models: ['persistence'] }), implausibleBins: 1 });
  });
  it('the ceiling of a count is a billion requests per second over the bin', () => {
    const history = synthetic(3);
    const at = history.values.length - 5;
    const top = { ...history, values: history.values.map((v, i) => (i === at ? 3.6e12 : v)) };
    expect(forecast({ series: top }).implausibleBins).toBe(0);
  });
  it('a horizon that is not a whole number of bins, a bin that does not divide a day, an unknown model', () => {
    expect(() => forecast({ series: s, horizonMs: BIN / 2 })).toThrowError(expect.objectContaining({ field: 'horizonMs' }));
    expect(() => forecast({ series: { ...s, binMs: 7 * 60_000 } })).toThrowError(expect.objectContaining({ field: 'series.binMs' }));
    expect(() => forecast({ series: s, model: 'prophet' as never })).toThrowError(expect.objectContaining({ field: 'model' }));
    expect(() => forecast({ series: s, settings: { maxWeeks: 13 } })).toThrowError(expect.objectContaining({ field: 'settings.maxWeeks' }));
  });
  it('an all-gap series: NotEnoughHistory, no invented forecast', () => {
    const r = forecast({ series: { ...s, values: s.values.map(() => null) } });
    expect(r.status).toBe('NotEnoughHistory');
    expect(r.points).toEqual([]);
  });
});
