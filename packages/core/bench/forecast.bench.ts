/**
 * Speed of the forecaster (issue #3 targets): one forecast from 12 weeks of 1-minute
 * history, the same split into a fit and a prediction from the fit (what the blend does:
 * fit now and then, predict at every bin), and the walk-forward backtest of every model
 * on NASA-HTTP at 1-minute bins (89,280 bins). Baselines measured in the same process:
 * one pass summing the 12-week history, and parsing the NASA trace.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { backtest, type BinnedSeries, fitForecast, forecast, parseCountTrace, predictFromFit } from '@prescale/core';

const text = readFileSync(join(process.env.PRESCALE_SHARED!, 'data/nasa_http_1995/arrivals_1min.csv'), 'utf8');
const nasa = parseCountTrace(text, 'nasa');
// 12 weeks of 1-minute history: NASA's first 8 weeks, then its first 4 again.
const week = 10_080;
const twelveWeeks: BinnedSeries = { ...nasa, values: [...nasa.values.slice(0, 8 * week), ...nasa.values.slice(0, 4 * week)] };
let sink = 0;
// Fits made at the end of the history minus 6 hours (the blend's default refit
// cadence), predicted at the end: the prediction reads the 360 bins since the fit.
const fittedAt = twelveWeeks.startMs + (twelveWeeks.values.length - 360) * 60_000;
const fitNext = fitForecast({ series: twelveWeeks, model: 'auto', horizonMs: 60_000, atMs: fittedAt });
const fitTen = fitForecast({ series: twelveWeeks, model: 'auto', horizonMs: 600_000, atMs: fittedAt });

describe('one forecast from 12 weeks of 1-minute history', () => {
  bench('baseline: one pass summing the history', () => {
    for (const v of twelveWeeks.values) sink += v ?? 0;
  });
  bench('scryer, next bin', () => {
    sink += forecast({ series: twelveWeeks, model: 'scryer', horizonMs: 60_000 }).points.length;
  });
  bench('auto (all models), next bin', () => {
    sink += forecast({ series: twelveWeeks, model: 'auto', horizonMs: 60_000 }).points.length;
  });
  bench('auto (all models), every bin up to 10 min', () => {
    sink += forecast({ series: twelveWeeks, model: 'auto', horizonMs: 600_000 }).points.length;
  });
});

describe('fit and predict from 12 weeks of 1-minute history', () => {
  bench('baseline: one pass summing the history', () => {
    for (const v of twelveWeeks.values) sink += v ?? 0;
  });
  bench('fit, auto (all models), next bin', () => {
    sink += fitForecast({ series: twelveWeeks, model: 'auto', horizonMs: 60_000 }).horizons.length;
  });
  bench('predict from the fit, next bin (6 h after the fit)', () => {
    sink += predictFromFit({ series: twelveWeeks, fit: fitNext, horizonMs: 60_000 }).points.length;
  });
  bench('predict from the fit, every bin up to 10 min', () => {
    sink += predictFromFit({ series: twelveWeeks, fit: fitTen, horizonMs: 600_000 }).points.length;
  });
});

describe('NASA-HTTP backtest, 1-minute bins, 10-minute horizon', () => {
  bench('baseline: parse the trace', () => {
    sink += parseCountTrace(text, 'nasa').values.length;
  }, { iterations: 3, time: 0 });
  bench('backtest, all models and auto', () => {
    sink += backtest({ series: nasa, horizonMs: 600_000 }).issues;
  }, { iterations: 3, time: 0 });
});

bench.skip(`sink ${sink}`, () => undefined);
