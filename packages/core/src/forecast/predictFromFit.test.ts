import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCountTrace } from '../series/countTrace.js';
import type { BinnedSeries } from '../series/binnedSeries.js';
import { LONG_TEST_TIMEOUT_MS, viaJson } from '../testSupport.js';
import { backtest } from './backtest.js';
import { fitForecast, forecast, predictFromFit } from './forecast.js';
import { MODEL_NAMES, WEEK_MS } from './forecastSettings.js';

const BIN = 3_600_000;
/** auto lists its components in the order of `autoModels` (all models by default). */
const settingsOrder = (m: string): number => (MODEL_NAMES as readonly string[]).indexOf(m);
const T0 = Date.UTC(2024, 0, 1); // a Monday

/**
 * Four weeks of hourly demand with a daily and a weekly shape, a level that drifts and
 * fractional values (as the blend's rate history has), a few gaps.
 */
function demand(startMs: number, weeks = 4): BinnedSeries {
  const values: Array<number | null> = [];
  for (let i = 0; i < weeks * 168; i++) {
    const weekend = Math.floor(i / 24) % 7 >= 5 ? 0.6 : 1;
    const shape = 1000 + 700 * Math.sin(((i % 24) - 6) / 24 * 2 * Math.PI);
    values.push(i % 97 === 50 ? null : weekend * shape * (1 + i / 2000) + (((i * 7919) % 101) - 50) * 0.37);
  }
  return { startMs, binMs: BIN, values, utcOffsetMinutes: 0 };
}

describe('a fit and a prediction from it', () => {
  // The backtest reports the walk-forward's own forecasts; at its first issue it starts
  // from the same state as a single forecast (with a two-week warm-up Holt-Winters
  // learns from the same bins too), so a fit and a prediction there must repeat them.
  // Eight hours before the epoch is ServeGen's clock (negative bin numbers).
  it.each([['a 2024 series', T0], ['a series starting before the epoch', -8 * BIN]])(
    'at the same issue time repeat the walk-forward exactly, every model and auto, every horizon (%s)',
    (_, startMs) => {
      const series = demand(startMs);
      const warmupMs = 2 * WEEK_MS;
      const atMs = startMs + warmupMs;
      const fits = new Map([...MODEL_NAMES, 'auto' as const].map((m) => [m, fitForecast({ series, model: m, atMs, horizonMs: 3 * BIN })]));
      for (let h = 1; h <= 3; h++) {
        const bt = backtest({ series, horizonMs: h * BIN, warmupMs });
        for (const f of bt.forecasts) {
          const fit = fits.get(f.model)!;
          const p = predictFromFit({ series, fit: viaJson(fit), atMs, horizonMs: 3 * BIN });
          const expected = f.p50[0]!;
          if (Number.isNaN(expected)) {
            expect(p.status).not.toBe('ok');
            continue;
          }
          expect(p.status).toBe('ok');
          expect(p.points[h - 1]!.p50).toBe(expected);
          expect(p.points[h - 1]!.upper).toBe(f.upper[0]!);
          if (f.weights) {
            // auto: the combination (its weights as the fit reports them), or its one lead model before the combination is calibrated.
            const shares = bt.models.map((m, i) => ({ model: m, weight: f.weights![i]! })).filter((c) => c.weight > 0);
            const point = p.points[h - 1]!;
            if (point.model === 'auto') expect(point.components!.map(({ model, weight }) => ({ model, weight }))).toEqual(shares.sort((a, b) => settingsOrder(a.model) - settingsOrder(b.model)));
            else expect(shares).toEqual([{ model: point.model, weight: 1 }]);
          }
        }
      }
    },
    LONG_TEST_TIMEOUT_MS,
  );

  it('forecast() is a fit followed by a prediction, also through JSON', () => {
    const series = demand(T0);
    const request = { series, atMs: T0 + 600 * BIN, horizonMs: 4 * BIN, outages: [{ startMs: T0 + 300 * BIN, endMs: T0 + 310 * BIN }] };
    const fit = fitForecast(request);
    expect(fit.status).toBe('ok');
    expect(predictFromFit({ series, fit: viaJson(fit), atMs: request.atMs, horizonMs: 2 * BIN, outages: request.outages })).toEqual(forecast({ ...request, horizonMs: 2 * BIN }));
    expect(predictFromFit({ series, fit, atMs: request.atMs, horizonMs: 4 * BIN, outages: request.outages })).toEqual(forecast(request));
  });

  it('a later prediction reads the history up to its own issue time, and nothing after it', () => {
    const series = demand(T0);
    const t = 500;
    const later = t + 7;
    for (const model of ['persistence', 'seasonal-naive-weekly', 'holt-winters', 'scryer'] as const) {
      const fit = fitForecast({ series, model, atMs: T0 + t * BIN, horizonMs: 2 * BIN });
      expect(fit.status).toBe('ok');
      const p = predictFromFit({ series, fit, atMs: T0 + later * BIN, horizonMs: 2 * BIN });
      expect(p.status).toBe('ok');
      expect(p.issuedMs).toBe(T0 + later * BIN);
      const changed = { ...series, values: series.values.map((v, i) => (i >= later ? (v ?? 0) * 5 + 3 : v)) };
      expect(predictFromFit({ series: changed, fit, atMs: T0 + later * BIN, horizonMs: 2 * BIN })).toEqual(p);
      if (model === 'persistence') expect(p.points[1]!.point).toBe(series.values[later - 1]);
      if (model === 'seasonal-naive-weekly') expect(p.points[0]!.point).toBe(series.values[later - 168]);
      if (model === 'holt-winters') {
        // The same constants fitted at the later time give the same point: the state is replayed, not frozen.
        const fresh = fitForecast({ series, model, atMs: T0 + later * BIN, horizonMs: 2 * BIN });
        if (fresh.horizons[0]!.parameters === fit.horizons[0]!.parameters) {
          expect(p.points[0]!.point).toBe(forecast({ series, model, atMs: T0 + later * BIN }).points[0]!.point);
        }
      }
      // The calibration is the fit's: the same relative errors around the new point.
      expect(p.points[0]!.samples).toBe(fit.horizons[0]!.samples);
    }
  });

  it('is small plain JSON: 12 weeks of 1-minute history, ten horizons, well under 64 KB', () => {
    const nasa = parseCountTrace(readFileSync(join(process.env.PRESCALE_SHARED!, 'data/nasa_http_1995/arrivals_1min.csv'), 'utf8'), 'nasa');
    const week = 10_080;
    const twelveWeeks: BinnedSeries = { ...nasa, values: [...nasa.values.slice(0, 8 * week), ...nasa.values.slice(0, 4 * week)] };
    const fit = fitForecast({ series: twelveWeeks, horizonMs: 10 * 60_000 });
    expect(fit.status).toBe('ok');
    expect(fit.horizons).toHaveLength(10);
    expect(JSON.stringify(fit).length).toBeLessThan(16 * 1024);
    expect(viaJson(fit)).toEqual(fit);
  }, LONG_TEST_TIMEOUT_MS);

  it('a NotEnoughHistory fit stays one, saying how much history there is now', () => {
    const series = demand(T0);
    const fit = fitForecast({ series, atMs: T0 + 10 * BIN });
    expect(fit).toMatchObject({ status: 'NotEnoughHistory', horizons: [] });
    const p = predictFromFit({ series, fit, atMs: T0 + 20 * BIN });
    expect(p).toMatchObject({ status: 'NotEnoughHistory', haveMs: 20 * BIN, points: [] });
  });

  it('refuses a fit it cannot use: another bin width, a longer horizon, an earlier issue time, a damaged fit', () => {
    const series = demand(T0);
    const fit = fitForecast({ series, model: 'scryer', atMs: T0 + 500 * BIN, horizonMs: 2 * BIN });
    const at = T0 + 510 * BIN;
    expect(() => predictFromFit({ series: { ...series, binMs: BIN / 2 }, fit, atMs: at })).toThrowError(expect.objectContaining({ field: 'series.binMs' }));
    expect(() => predictFromFit({ series, fit, atMs: at, horizonMs: 3 * BIN })).toThrowError(expect.objectContaining({ field: 'horizonMs' }));
    expect(() => predictFromFit({ series, fit, atMs: T0 + 400 * BIN })).toThrowError(expect.objectContaining({ field: 'atMs' }));
    expect(() => predictFromFit({ series, fit: { ...fit, format: 1 as 2 }, atMs: at })).toThrowError(expect.objectContaining({ field: 'fit.format' }));
    const noWeights = viaJson(fit);
    delete noWeights.horizons[0]!.scryer;
    expect(() => predictFromFit({ series, fit: noWeights, atMs: at })).toThrowError(expect.objectContaining({ field: 'fit.horizons[0].scryer' }));
    const otherVariant = viaJson(fit);
    otherVariant.horizons[0]!.scryer = { pattern: 'weekly', k: 5, form: 'add', weights: [1, 0, 0, 0] };
    expect(() => predictFromFit({ series, fit: otherVariant, atMs: at })).toThrowError(expect.objectContaining({ field: 'fit.scryer' }));
    expect(() => predictFromFit({ series, fit: { ...fit, settings: { ...fit.settings, maxWeeks: 13 } }, atMs: at })).toThrowError(expect.objectContaining({ field: 'fit.settings.maxWeeks' }));
  });
});
