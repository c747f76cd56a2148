import { describe, expect, it } from 'vitest';
import { isPlausibleDemand, MAX_PLAUSIBLE_REQUESTS_PER_SECOND, maxPlausibleDemand, plausibleDemand } from './plausibleDemand.js';

describe('plausible demand', () => {
  it('is finite, not negative and at most a billion requests per second (per bin: over the bin)', () => {
    expect(MAX_PLAUSIBLE_REQUESTS_PER_SECOND).toBe(1e9);
    expect(maxPlausibleDemand('perSecond', 60_000)).toBe(1e9);
    expect(maxPlausibleDemand('perBin', 60_000)).toBe(6e10);
    for (const v of [0, -0, 1, 1e9]) expect(isPlausibleDemand(v, 1e9)).toBe(true);
    for (const v of [-1e-9, -1, 1e9 + 1, 1e308, Number.MAX_VALUE, Infinity, -Infinity, Number.NaN]) expect(isPlausibleDemand(v, 1e9)).toBe(false);
  });

  it('turns implausible values into gaps and counts them; gaps stay gaps and are not counted', () => {
    const series = { startMs: 0, binMs: 1000, values: [1, null, -2, 1e308, Number.NaN, 5], utcOffsetMinutes: 60 };
    expect(plausibleDemand(series, 'perSecond')).toEqual({ series: { ...series, values: [1, null, null, null, null, 5] }, implausible: 3 });
    expect(series.values[2]).toBe(-2); // not modified
    const fine = { ...series, values: [1, null, 3] };
    expect(plausibleDemand(fine, 'perBin').series).toBe(fine);
  });
});
