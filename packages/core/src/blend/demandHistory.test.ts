import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { BinnedSeries } from '../series/binnedSeries.js';
import { hostileMetric, RUNS, viaJson } from '../testSupport.js';
import { alignedPeaks, type DemandHistory, emptyDemandHistory, recordRate, seedDemandHistory } from './demandHistory.js';

const BIN = 600_000;
const WINDOW = 60_000;
const T0 = Date.UTC(2024, 0, 1);

/** Feeds `rate(t)` every 10 s over [from, to). */
function feed(h: DemandHistory, from: number, to: number, rate: (t: number) => number | null, burst = WINDOW): DemandHistory {
  let out = h;
  for (let t = from; t < to; t += 10_000) out = recordRate(out, t, rate(t), burst);
  return out;
}

/** Counts per step as a series. */
const series = (startMs: number, stepMs: number, values: Array<number | null>): BinnedSeries => ({ startMs, binMs: stepMs, values, utcOffsetMinutes: 0 });

describe('demand history: the peak of each bin', () => {
  it('from loop samples: the busiest minute of each bin beside its value, aligned and bounded', () => {
    // 2 req/s, and 8 req/s in the fourth minute of every bin.
    const rate = (t: number) => (Math.floor((t % BIN) / WINDOW) === 3 ? 8 : 2);
    const h = feed(emptyDemandHistory(BIN, 5), T0, T0 + 8 * BIN + 10_000, rate);
    expect(h.values).toHaveLength(5);
    expect(h.peaks).toEqual([8, 8, 8, 8, 8]);
    for (const v of h.values) expect(v).toBeCloseTo(((9 * 2 + 8) / 10) * 600, 9);
  });

  it('off (no burst window): the history is exactly what it was without peaks', () => {
    const rate = (t: number) => 1 + ((t / 10_000) % 7);
    const off = feed(emptyDemandHistory(BIN, 50), T0, T0 + 3 * BIN, rate, 0);
    expect(off.peaks).toBeUndefined();
    expect(off.open).not.toHaveProperty('burst');
    const on = feed(emptyDemandHistory(BIN, 50), T0, T0 + 3 * BIN, rate);
    expect(on.values).toEqual(off.values);
  });

  it('a bin seen only in part, or a gap, has no peak: a gap of the ratio', () => {
    const rate = (t: number) => (t < T0 + BIN + 2.5 * WINDOW ? null : 3);
    const h = feed(emptyDemandHistory(BIN, 50), T0, T0 + 3 * BIN + 10_000, rate);
    expect(h.values[0]).toBeNull(); // no sample at all
    expect(h.values[1]).toBeCloseTo(1800, 9); // seven minutes of samples: a value…
    expect(h.peaks).toEqual([null, null, 3]); // …but no peak
  });

  it('seeded at a finer step than the window: peaks known; at the bin step or coarser: unknown', () => {
    const minutes = Array.from({ length: 30 }, (_, k) => (k % 10 === 4 ? 600 : 60)); // requests per minute
    const fine = seedDemandHistory(emptyDemandHistory(BIN, 100), series(T0, WINDOW, minutes), 0, WINDOW);
    expect(fine.values).toEqual([1140, 1140, 1140]);
    expect(fine.peaks).toEqual([10, 10, 10]);
    const coarse = seedDemandHistory(emptyDemandHistory(BIN, 100), series(T0, BIN, [1140, 1140]), 0, WINDOW);
    expect(coarse.values).toEqual([1140, 1140]);
    expect(coarse.peaks).toEqual([null, null]);
    const fiveMinutes = seedDemandHistory(emptyDemandHistory(BIN, 100), series(T0, 300_000, [570, 570]), 0, WINDOW);
    expect(fiveMinutes.peaks).toEqual([null]);
    // Without a burst window the seed keeps no peaks.
    expect(seedDemandHistory(emptyDemandHistory(BIN, 100), series(T0, WINDOW, minutes)).peaks).toBeUndefined();
  });

  it('a seeded bin with a gap is a gap of both value and peak; bins seen by the scaler keep their own peak', () => {
    const seen = feed(emptyDemandHistory(BIN, 100), T0 + 2 * BIN, T0 + 3 * BIN + 10_000, () => 4);
    expect(seen.values).toEqual([2400]);
    const minutes: Array<number | null> = Array.from({ length: 30 }, () => 60);
    minutes[5] = null;
    const h = seedDemandHistory(seen, series(T0, WINDOW, minutes), 0, WINDOW);
    expect(h.firstBin).toBe(T0 / BIN);
    expect(h.values).toEqual([null, 600, 2400]);
    expect(h.peaks).toEqual([null, 1, 4]);
  });

  it('a state whose values were left out (persisted) is reseeded with aligned peaks', () => {
    const rate = () => 2;
    const full = feed(emptyDemandHistory(BIN, 100), T0, T0 + 4 * BIN, rate);
    const persisted = viaJson({ ...full, firstBin: 0, values: [], peaks: [] });
    const minutes = Array.from({ length: 30 }, () => 120);
    const h = seedDemandHistory(persisted, series(T0, WINDOW, minutes), 0, WINDOW);
    expect(h.values).toHaveLength(h.peaks!.length);
    expect(h.peaks).toEqual([2, 2, 2]);
    // Peaks of another length than the values count as unknown.
    expect(alignedPeaks({ ...full, peaks: [1] })).toEqual(full.values.map(() => null));
  });
});

test.prop([fc.array(fc.record({ gap: fc.integer({ min: 0, max: 2 * BIN }), rate: hostileMetric }), { minLength: 1, maxLength: 120 }), fc.integer({ min: 2, max: 20 })], { numRuns: RUNS })(
  'peaks stay aligned with values, bounded, finite and at least the bin mean, through JSON at every step',
  (steps, maxBins) => {
    let h = emptyDemandHistory(BIN, maxBins);
    let now = T0;
    for (const s of steps) {
      now += s.gap;
      h = viaJson(recordRate(h, now, s.rate, WINDOW));
      const peaks = h.peaks ?? [];
      expect(h.values.length).toBeLessThanOrEqual(maxBins);
      if (h.values.length > 0) expect(peaks).toHaveLength(h.values.length);
      h.values.forEach((v, i) => {
        const p = peaks[i];
        if (p === null || p === undefined) return;
        expect(Number.isFinite(p)).toBe(true);
        expect(v).not.toBeNull();
        expect(p).toBeGreaterThanOrEqual((v! / (BIN / 1000)) * (1 - 1e-9));
      });
    }
  },
);
