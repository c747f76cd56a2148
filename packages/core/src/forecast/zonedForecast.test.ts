import { describe, expect, it } from 'vitest';
import type { BinnedSeries } from '../series/binnedSeries.js';
import { zoneOffsetMinutes } from '../series/timeZone.js';
import { LONG_TEST_TIMEOUT_MS } from '../testSupport.js';
import { backtest } from './backtest.js';
import { fitForecast, forecast, predictFromFit } from './forecast.js';
import type { ForecastResult } from './forecastResult.js';

const HOUR = 3_600_000;
const ZONE = 'Europe/Berlin';
const START = Date.UTC(2025, 1, 17); // a Monday, six weeks before the EU spring change (2025-03-30)
const MONDAY_AFTER = Date.UTC(2025, 2, 31); // the first Monday after it

/** Hourly demand that follows Berlin's wall clock: a daily office-hours shape, a Monday 09:00 peak, quiet weekends; a small deterministic ripple. */
function localDemand(weeks: number): BinnedSeries {
  const values: number[] = [];
  for (let i = 0; i < weeks * 168; i++) {
    const u = START + i * HOUR;
    const wall = new Date(u + zoneOffsetMinutes(ZONE, u) * 60_000);
    const day = wall.getUTCDay();
    const hour = wall.getUTCHours();
    const office = day === 0 || day === 6 ? 40 : hour >= 8 && hour < 18 ? 300 : 60;
    values.push((day === 1 && hour === 9 ? 900 : office) + ((i * 37) % 11));
  }
  return { startMs: START, binMs: HOUR, values, utcOffsetMinutes: 60 };
}

/** The UTC hour of the largest p50 of a forecast. */
function peakHour(r: ForecastResult): number {
  expect(r.status).toBe('ok');
  const top = r.points.reduce((a, p) => (p.p50 > a.p50 ? p : a));
  return new Date(top.targetMs).getUTCHours();
}

describe('a forecast in a time zone', () => {
  const series = localDemand(7);
  const at = MONDAY_AFTER + 5 * HOUR; // 07:00 CEST
  const request = { series, model: 'seasonal-naive-weekly' as const, atMs: at, horizonMs: 6 * HOUR };

  it('keeps the Monday 09:00 local peak at 09:00 local after the spring change (07:00 UTC), where UTC weeks put it an hour late', () => {
    expect(peakHour(forecast(request))).toBe(8);
    expect(peakHour(forecast({ ...request, timeZone: ZONE }))).toBe(7);
  });

  it('answers UTC bins from the issue time, one per bin of the horizon', () => {
    const r = forecast({ ...request, timeZone: ZONE });
    expect(r.issuedMs).toBe(at);
    expect(r.points.map((p) => p.targetMs)).toEqual([0, 1, 2, 3, 4, 5].map((k) => at + k * HOUR));
    expect(r.points.map((p) => p.horizonMs)).toEqual([1, 2, 3, 4, 5, 6].map((k) => k * HOUR));
  });

  it('predicts the local peak from a fit made before the change', () => {
    const fit = fitForecast({ ...request, atMs: MONDAY_AFTER - 2 * 86_400_000, timeZone: ZONE });
    expect(peakHour(predictFromFit({ series, fit, atMs: at, horizonMs: 6 * HOUR, timeZone: ZONE }))).toBe(7);
    expect(peakHour(predictFromFit({ series, fit, atMs: at, horizonMs: 6 * HOUR }))).toBe(8);
  });

  it(
    'backtests better than UTC weeks on demand that follows local time across a change, scored on the same UTC bins',
    () => {
      const run = (timeZone?: string) =>
        backtest({ series, horizonMs: HOUR, warmupMs: 5 * 7 * 86_400_000, models: ['seasonal-naive-weekly'], ...(timeZone ? { timeZone } : {}) }).summary[0]!;
      const utc = run();
      const zoned = run(ZONE);
      // The same UTC bins, less the one whose persistence forecast reads the skipped local hour (a gap).
      expect(utc.rows - zoned.rows).toBeGreaterThanOrEqual(0);
      expect(utc.rows - zoned.rows).toBeLessThanOrEqual(1);
      expect(zoned.mae).toBeLessThan(utc.mae);
    },
    LONG_TEST_TIMEOUT_MS,
  );
});
