import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RUNS, viaJson } from '../testSupport.js';
import { burstFactors, MIN_BURST_RATIOS } from './burstFactor.js';
import type { DemandHistory } from './demandHistory.js';

const BIN = 600_000;
const WEEK_BINS = 1008;
const FIRST = Math.floor(Date.UTC(2024, 0, 1) / BIN);

/** A history of `bins` bins from FIRST: 600 requests each (1 req/s), the peak `ratio(bin)` req/s (null: unknown). */
function history(bins: number, ratio: (bin: number) => number | null): DemandHistory {
  const values = Array.from({ length: bins }, () => 600);
  const peaks = values.map((_, i) => ratio(FIRST + i));
  return { binMs: BIN, maxBins: 12 * WEEK_BINS, firstBin: FIRST, values, peaks, open: null };
}

/** Type-7 quantile, written out independently of the code under test. */
function expectedQuantile(ratios: number[], p: number): number {
  const s = [...ratios].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (h - lo);
}

/** Ratios that differ by time of the week and by week. */
const varying = (bin: number): number => 1 + ((bin % WEEK_BINS) % 144) / 100 + (Math.floor(bin / WEEK_BINS) % 3) / 50;

describe('burst factor', () => {
  const h = history(3 * WEEK_BINS, varying);
  const target = FIRST + 3 * WEEK_BINS + 40;
  const slot = [1, 2, 3].flatMap((k) => Array.from({ length: 13 }, (_, d) => varying(target - k * WEEK_BINS + d - 6)));

  it('is the quantile of the ratios within an hour of the target’s time of the week, in every kept week', () => {
    for (const q of [0.25, 0.5, 0.9, 1]) {
      const [f] = burstFactors(h, q, [target * BIN]);
      expect(f).toMatchObject({ from: 'weekly-slot', ratios: 39, quantile: q, note: null });
      expect(f!.ratioQuantile).toBeCloseTo(expectedQuantile(slot, q), 12);
      expect(f!.factor).toBe(f!.ratioQuantile);
    }
  });

  it('bins with an unknown peak or no demand are gaps of the ratio, not ratios of 1', () => {
    const gappy = history(3 * WEEK_BINS, (bin) => (bin % 2 === 0 ? null : varying(bin)));
    gappy.values[target - WEEK_BINS - FIRST + 1] = 0;
    const known = [1, 2, 3].flatMap((k) =>
      Array.from({ length: 13 }, (_, d) => target - k * WEEK_BINS + d - 6).filter((b) => b % 2 !== 0 && b !== target - WEEK_BINS + 1),
    );
    const [f] = burstFactors(gappy, 0.5, [target * BIN]);
    expect(f!.ratios).toBe(known.length);
    expect(f!.ratioQuantile).toBeCloseTo(expectedQuantile(known.map(varying), 0.5), 12);
  });

  it('without enough ratios at the weekly slot, the last 7 days stand in', () => {
    const short = history(3 * 144, varying); // three days: no earlier week
    const [f] = burstFactors(short, 0.9, [(FIRST + 3 * 144) * BIN]);
    expect(f).toMatchObject({ from: 'recent', ratios: 3 * 144 });
    expect(f!.ratioQuantile).toBeCloseTo(expectedQuantile(Array.from({ length: 3 * 144 }, (_, i) => varying(FIRST + i)), 0.9), 12);
  });

  it('with too few ratios anywhere: factor 1, saying how many it has', () => {
    const few = history(MIN_BURST_RATIOS + 20, (bin) => (bin - FIRST < MIN_BURST_RATIOS - 1 ? 3 : null));
    const [f] = burstFactors(few, 0.5, [(FIRST + few.values.length) * BIN]);
    expect(f).toMatchObject({ factor: 1, from: 'none', ratios: MIN_BURST_RATIOS - 1, ratioQuantile: null });
    expect(f!.note).toMatch(new RegExp(`only ${MIN_BURST_RATIOS - 1} bins with a known peak`));
    // A history without peaks at all (bursts were not learned when it was kept).
    const { peaks: _, ...none } = h;
    expect(burstFactors(none, 0.5, [target * BIN])[0]).toMatchObject({ factor: 1, from: 'none', ratios: 0 });
  });

  it('off: factor 1', () => {
    expect(burstFactors(h, 0, [target * BIN, (target + 1) * BIN])).toEqual([
      { factor: 1, quantile: 0, ratioQuantile: null, ratios: 0, from: 'none', note: 'off (burstQuantile 0)' },
      { factor: 1, quantile: 0, ratioQuantile: null, ratios: 0, from: 'none', note: 'off (burstQuantile 0)' },
    ]);
  });
});

test.prop(
  [
    fc.array(fc.option(fc.double({ min: 0, max: 50, noNaN: true }), { nil: null }), { minLength: 1, maxLength: 3 * WEEK_BINS }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.integer({ min: 0, max: 4 * WEEK_BINS }),
  ],
  { numRuns: RUNS },
)('any history (through JSON): a finite factor of at least 1, from the ratios it counts', (peaks, q, ahead) => {
  const h = viaJson(history(peaks.length, (bin) => peaks[bin - FIRST] ?? null));
  const [f] = burstFactors(h, q, [(FIRST + ahead) * BIN]);
  expect(Number.isFinite(f!.factor)).toBe(true);
  expect(f!.factor).toBeGreaterThanOrEqual(1);
  if (f!.from === 'none') expect(f!.factor).toBe(1);
  else expect(f!.ratios).toBeGreaterThanOrEqual(MIN_BURST_RATIOS);
});
