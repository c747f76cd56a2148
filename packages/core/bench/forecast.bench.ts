/**
 * Speed of the forecaster (issue #3 targets): one forecast from 12 weeks of 1-minute
 * history, and the walk-forward backtest of every model on NASA-HTTP at 1-minute bins
 * (89,280 bins). Baselines measured in the same process: one pass summing the 12-week
 * history, and parsing the NASA trace.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { backtest, type BinnedSeries, forecast, parseCountTrace } from '../src/index.js';

const text = readFileSync(join(process.env.PRESCALE_SHARED!, 'data/nasa_http_1995/arrivals_1min.csv'), 'utf8');
const nasa = parseCountTrace(text, 'nasa');
// 12 weeks of 1-minute history: NASA's first 8 weeks, then its first 4 again.
const week = 10_080;
const twelveWeeks: BinnedSeries = { ...nasa, values: [...nasa.values.slice(0, 8 * week), ...nasa.values.slice(0, 4 * week)] };
let sink = 0;

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

describe('NASA-HTTP backtest, 1-minute bins, 10-minute horizon', () => {
  bench('baseline: parse the trace', () => {
    sink += parseCountTrace(text, 'nasa').values.length;
  }, { iterations: 3, time: 0 });
  bench('backtest, all models and auto', () => {
    sink += backtest({ series: nasa, horizonMs: 600_000 }).issues;
  }, { iterations: 3, time: 0 });
});

bench.skip(`sink ${sink}`, () => undefined);
