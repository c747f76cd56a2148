import { describe, expect, it } from 'vitest';
import type { BlendForecast } from '../blend/blendForecast.js';
import { T0 } from '../testSupport.js';
import { demandAtRate, forecastPeakRps, optimizeForForecast } from './forecastDemand.js';
import { optimizerConfig } from './optimizerConfig.js';
import { scriptedSolver, WORKED_PROFILES, workedDemand } from './testSupport.js';

const config = optimizerConfig({ profiles: WORKED_PROFILES });
const history = { state: 'WeeklyPattern' as const, haveMs: 21 * 86_400_000 };
/** Points every 10 minutes (requests per 600 s bin) from T0. */
const forecast = (...perBin: number[]): BlendForecast => ({
  ok: true,
  history,
  points: perBin.map((upper, k) => ({ targetMs: T0 + k * 600_000, p50: upper * 0.8, upper, model: 'scryer', parameters: '', recentError: 0 })),
});
const window = { now: T0, leadTimeSeconds: 600, binSeconds: 600 };
// The solver fails, so each decision is the greedy allocation of the demand it was given: what it saw is visible.
const solver = () => scriptedSolver(['throw']);

describe('the optimizer with the forecast', () => {
  it('takes the highest upper quantile within the lead time, per second', () => {
    expect(forecastPeakRps(forecast(600, 3000, 60_000), window)).toEqual({ rps: 5, targetMs: T0 + 600_000 });
    expect(forecastPeakRps({ ok: false, history: null, reason: 'ForecastFailed', message: 'x' }, window)).toBeNull();
  });

  it('a forecast above the observed rate: the observed mix scaled to it, PredictedAboveObserved', () => {
    const observed = workedDemand(); // 5 req/s
    const d = optimizeForForecast(config, { demand: observed }, forecast(3000, 6000), window, solver());
    expect(d.reasons[0]).toBe('PredictedAboveObserved');
    expect(d.demandRps).toBeCloseTo(10, 12);
    expect(d.forecast).toEqual({ rps: 10, observedRps: 5, targetMs: T0 + 600_000, reason: null });
    const b4 = d.buckets.find((b) => b.input === 2048 && b.output === 512)!;
    expect(b4.demandRps).toBeCloseTo(3, 12); // 1.5 of 5, now of 10
    const reactive = optimizeForForecast(config, { demand: observed }, forecast(600), window, solver());
    for (const t of d.types) expect(t.replicas).toBeGreaterThanOrEqual(reactive.replicas[t.name]!);
  });

  it('a forecast at or below the observed rate changes nothing: prediction only adds', () => {
    const d = optimizeForForecast(config, { demand: workedDemand() }, forecast(600, 1200), window, solver());
    expect(d.reasons[0]).toBe('ObservedAtLeastPredicted');
    expect(d.demandRps).toBeCloseTo(5, 12);
  });

  it('no usable forecast: the reactive decision, NoForecast, and the reason', () => {
    const none: BlendForecast = { ok: false, history: null, reason: 'NotEnoughHistory', message: 'have 10 min of demand history, need 1440 min' };
    const d = optimizeForForecast(config, { demand: workedDemand() }, none, window, solver());
    expect(d.reasons.at(-1)).toBe('NoForecast');
    expect(d.forecast!.reason).toMatch(/^NotEnoughHistory: have 10 min/);
    const late = optimizeForForecast(config, { demand: workedDemand() }, forecast(), window, solver());
    expect(late.forecast!.reason).toMatch(/no point within the lead time/);
  });

  it('spreads the forecast over the given shape when there is no demand now, and says so when there is no shape either', () => {
    const empty = workedDemand([[0, 0], [0, 0]]);
    const d = optimizeForForecast(config, { demand: empty, shape: workedDemand() }, forecast(6000), window, solver());
    expect(d.demandRps).toBeCloseTo(10, 12);
    const none = optimizeForForecast(config, { demand: empty }, forecast(6000), window, solver());
    expect(none.status).toBe('NoDemand');
    expect(none.forecast!.reason).toMatch(/no demand mix/);
    expect(demandAtRate(empty, 3)).toBeNull();
  });

  it('a shape too small to scale (a denormal total) is no shape, not an error', () => {
    const tiny = workedDemand([[5e-324, 0], [0, 0]]);
    expect(demandAtRate(tiny, 3)).toBeNull();
  });
});
