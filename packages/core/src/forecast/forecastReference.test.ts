/**
 * Reference results of the forecaster: a broad set of forecasts, fits, predictions from
 * fits and backtests, recorded in file snapshots made with the code before the
 * one-shot forecast was made faster, and re-recorded once since, when Scryer's daily
 * variants began to retire after the weekly hand-over (a change meant to move results;
 * `vitest -u` rewrites them, only do that for such a change). Every number is kept exactly: forecasts and
 * fits in full, backtests as their summaries plus a SHA-256 digest of every model's
 * p50 and upper quantile and auto's choice at every issue. Covers every model and
 * `auto`, horizons of 1–3 bins and 30 minutes, NASA-HTTP at 1 and 10 minutes,
 * ServeGen at 10 minutes (its clock starts before the epoch), NASA shifted before the
 * epoch, a series with extra gaps and declared outages, early issue times (daily
 * pattern, not enough history) and non-default settings.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LONG_TEST_TIMEOUT_MS } from '../testSupport.js';
import { type BinnedSeries, rebin } from '../series/binnedSeries.js';
import { parseCountTrace } from '../series/countTrace.js';
import { backtest, type BacktestRequest } from './backtest.js';
import { fitForecast, forecast, predictFromFit } from './forecast.js';
import type { ForecastRequest } from './forecastResult.js';
import { DAY_MS, MODEL_CHOICES, type ForecastSettingsInput } from './forecastSettings.js';

const MIN = 60_000;
const data = (path: string): string => readFileSync(join(process.env.PRESCALE_SHARED!, 'data', path), 'utf8');
const nasa1 = parseCountTrace(data('nasa_http_1995/arrivals_1min.csv'), 'nasa');
const nasa10 = rebin(nasa1, 10 * MIN);
const servegen = parseCountTrace(data('servegen_m_small/arrivals_10min.csv'), 'servegen');
// The bench's history: 12 weeks of 1-minute bins, NASA's first 8 weeks then its first 4 again.
const week1 = 10_080;
const twelveWeeks: BinnedSeries = { ...nasa1, values: [...nasa1.values.slice(0, 8 * week1), ...nasa1.values.slice(0, 4 * week1)] };
// NASA at 10 minutes with extra gaps, starting 3.5 days before the epoch, local time +05:30.
const shifted: BinnedSeries = {
  startMs: -3.5 * DAY_MS,
  binMs: 10 * MIN,
  utcOffsetMinutes: 330,
  values: nasa10.values.map((v, i) => (i % 211 === 7 || (i >= 5000 && i < 5030) ? null : v)),
};
const outages = [
  { startMs: shifted.startMs + 2000 * 10 * MIN, endMs: shifted.startMs + 2100 * 10 * MIN },
  { startMs: shifted.startMs + 7000 * 10 * MIN + 12_345, endMs: shifted.startMs + 7003 * 10 * MIN },
];
const end = (s: BinnedSeries): number => s.startMs + s.values.length * s.binMs;

/** Exact text for every number (NaN, ±Infinity and −0 included); typed arrays as digests. */
function exact(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) return Object.is(v, -0) ? '-0' : String(v);
      if (v instanceof Float64Array || v instanceof Int16Array) return digest([v]);
      return v;
    },
    1,
  );
}

/** SHA-256 of the arrays' bits (NaN canonical). */
function digest(arrays: ReadonlyArray<Float64Array | Int16Array>): string {
  const hash = createHash('sha256');
  for (const a of arrays) {
    const copy = new Float64Array(a.length);
    const view = new DataView(copy.buffer);
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (v !== v) view.setBigUint64(i * 8, 0x7ff8000000000000n, true);
      else copy[i] = v;
    }
    hash.update(new Uint8Array(copy.buffer));
  }
  return hash.digest('hex');
}

function forecastCases(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const run = (name: string, request: ForecastRequest): void => {
    out[name] = forecast(request);
  };
  // Every model and auto, horizons 1–3 bins, at the end and mid-series.
  const series: Array<[string, BinnedSeries, number[]]> = [
    ['nasa 1m', nasa1, [end(nasa1), nasa1.startMs + 40 * DAY_MS + 17 * MIN]],
    ['12 weeks 1m', twelveWeeks, [end(twelveWeeks)]],
    ['nasa 10m', nasa10, [end(nasa10), nasa10.startMs + 20 * DAY_MS]],
    ['servegen 10m', servegen, [end(servegen), servegen.startMs + 9 * DAY_MS + 60 * MIN]],
    ['shifted gaps+outages 10m', shifted, [end(shifted), shifted.startMs + 2010 * 10 * MIN, shifted.startMs + 7002 * 10 * MIN]],
  ];
  for (const [name, s, times] of series) {
    for (const atMs of times) {
      for (const model of MODEL_CHOICES) {
        run(`${name} ${model} at ${atMs} 3 bins`, { series: s, model, atMs, horizonMs: 3 * s.binMs, ...(s === shifted ? { outages } : {}) });
      }
    }
  }
  // 30 minutes.
  for (const model of ['auto', 'scryer'] as const) run(`12 weeks 1m ${model} 30m`, { series: twelveWeeks, model, horizonMs: 30 * MIN });
  for (const model of MODEL_CHOICES) run(`nasa 10m ${model} 30m at 30d`, { series: nasa10, model, atMs: nasa10.startMs + 30 * DAY_MS, horizonMs: 30 * MIN });
  // Early issue times: daily pattern only, and not enough history.
  for (const days of [0.5, 1.5, 3, 10, 15]) {
    for (const model of ['auto', 'scryer', 'holt-winters'] as const) {
      run(`nasa 10m ${model} at day ${days}`, { series: nasa10, model, atMs: nasa10.startMs + days * DAY_MS, horizonMs: 2 * nasa10.binMs });
      run(`servegen ${model} at day ${days}`, { series: servegen, model, atMs: servegen.startMs + days * DAY_MS, horizonMs: 2 * servegen.binMs });
    }
  }
  // Non-default settings.
  const settings: ForecastSettingsInput[] = [
    { maxWeeks: 3, winsorizeFraction: 0, recencyHalfLifeWeeks: 1 },
    { maxWeeks: 8, winsorizeFraction: 0.45 },
    { maxWeeks: 1, weeklyAfterDays: 7 },
    { evaluationDays: 2, maxEvaluationSamples: 50, minEvaluationSamples: 10 },
    { quantile: 0.95, hysteresis: 0, underForecastWeight: 1 },
    { autoModels: ['scryer', 'persistence'], dailyAfterDays: 2 },
  ];
  settings.forEach((s, i) => {
    for (const model of ['auto', 'scryer'] as const) {
      run(`nasa 10m ${model} settings ${i}`, { series: nasa10, model, horizonMs: 2 * nasa10.binMs, settings: s });
      run(`nasa 1m ${model} settings ${i}`, { series: nasa1, model, atMs: nasa1.startMs + 45 * DAY_MS, horizonMs: nasa1.binMs, settings: s });
    }
  });
  return out;
}

function fitCases(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const cases: Array<[string, BinnedSeries, number]> = [
    ['12 weeks 1m', twelveWeeks, end(twelveWeeks) - 360 * MIN],
    ['nasa 10m', nasa10, nasa10.startMs + 50 * DAY_MS],
    ['servegen 10m', servegen, servegen.startMs + 12 * DAY_MS],
    ['shifted gaps+outages 10m', shifted, shifted.startMs + 40 * DAY_MS],
  ];
  for (const [name, s, atMs] of cases) {
    for (const model of MODEL_CHOICES) {
      const extra = s === shifted ? { outages } : {};
      const fit = fitForecast({ series: s, model, atMs, horizonMs: 3 * s.binMs, ...extra });
      const later = [0, 1, 7, 36].map((k) => predictFromFit({ series: s, fit, atMs: atMs + k * s.binMs, horizonMs: 3 * s.binMs, ...extra }));
      out[`${name} ${model}`] = { fit, later };
    }
  }
  return out;
}

function backtestCases(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const run = (name: string, request: BacktestRequest): void => {
    const r = backtest(request);
    const { actual, forecasts, summary, ...rest } = r;
    out[name] = { ...rest, summary, actual: digest([actual]), forecasts: forecasts.map((f) => ({ model: f.model, digest: digest(f.weights ? [f.p50, f.upper, f.weights] : [f.p50, f.upper]) })) };
  };
  run('nasa 1m 10m', { series: nasa1, horizonMs: 10 * MIN });
  for (const h of [1, 2, 3]) run(`nasa 10m ${h} bins`, { series: nasa10, horizonMs: h * 10 * MIN });
  for (const h of [1, 3]) run(`servegen 10m ${h} bins`, { series: servegen, horizonMs: h * 10 * MIN, warmupMs: 7 * DAY_MS });
  run('shifted gaps+outages 10m 2 bins', { series: shifted, horizonMs: 20 * MIN, outages });
  run('nasa 10m settings', { series: nasa10, horizonMs: 10 * MIN, settings: { maxWeeks: 3, winsorizeFraction: 0.1, evaluationDays: 3, quantile: 0.8 } });
  return out;
}

describe('reference results (recorded before the one-shot forecast was made faster)', () => {
  it('forecasts', async () => {
    await expect(exact(forecastCases())).toMatchFileSnapshot('__snapshots__/forecastReference.forecasts.json');
  }, LONG_TEST_TIMEOUT_MS);
  it('fits and predictions from them', async () => {
    await expect(exact(fitCases())).toMatchFileSnapshot('__snapshots__/forecastReference.fits.json');
  }, LONG_TEST_TIMEOUT_MS);
  it('backtests', async () => {
    await expect(exact(backtestCases())).toMatchFileSnapshot('__snapshots__/forecastReference.backtests.json');
  }, LONG_TEST_TIMEOUT_MS);
});
