import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RUNS } from '../testSupport.js';
import { demandFromHistograms, tickShares } from './histogramDemand.js';

const GRID = { inputTicks: [128, 256, 512, 1024, 2048], outputTicks: [16, 64, 256] };
/** vLLM's 1-2-5 buckets (`build_1_2_5_buckets`), cumulative. */
const cumulative = (les: number[], counts: number[]) => {
  let sum = 0;
  return les.map((le, k) => ({ le, value: (sum += counts[k]!) }));
};

describe('the load shape from length histograms', () => {
  it('spreads a bucket over the ticks its log2 range snaps to, in proportion to the overlap', () => {
    // (200, 500]: log2 7.64 … 8.97; tick 256 takes [7.5, 8.5), tick 512 [8.5, 9.5).
    const shares = tickShares(GRID.inputTicks, cumulative([200, 500, Infinity], [0, 10, 0]))!;
    const width = Math.log2(500) - Math.log2(200);
    expect(shares[1]).toBeCloseTo((8.5 - Math.log2(200)) / width, 12);
    expect(shares[2]).toBeCloseTo((Math.log2(500) - 8.5) / width, 12);
    expect(shares[0]! + shares[3]! + shares[4]!).toBe(0);
  });

  it('puts the +Inf bucket at its lower bound and a dropping count at nothing', () => {
    const shares = tickShares(GRID.inputTicks, [
      { le: 5000, value: 4 },
      { le: Infinity, value: 8 },
      { le: 1000, value: 5 }, // below the next bucket's 4: a reset, no negative mass
    ])!;
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(shares.every((s) => s >= 0)).toBe(true);
    // (0, 1000] spreads below tick 2048's range; the 3 beyond the 5 of le=1000 sit at 5000, clamped to the last tick.
    expect(shares[4]).toBeCloseTo(3 / 8, 12);
  });

  it('is null without mass, with a NaN or negative count, and for a rate that is not a finite number ≥ 0', () => {
    const h = cumulative([100, 1000, Infinity], [1, 1, 0]);
    expect(tickShares(GRID.inputTicks, [])).toBeNull();
    expect(tickShares(GRID.inputTicks, cumulative([100, Infinity], [0, 0]))).toBeNull();
    expect(tickShares(GRID.inputTicks, [{ le: 100, value: Number.NaN }])).toBeNull();
    expect(tickShares(GRID.inputTicks, [{ le: 100, value: -1 }])).toBeNull();
    for (const rps of [Number.NaN, -1, Infinity]) expect(demandFromHistograms(GRID, rps, { prompt: h, generation: h }, 60)).toBeNull();
    expect(demandFromHistograms(GRID, 2, { prompt: h, generation: [] }, 60)).toBeNull();
    expect(demandFromHistograms(GRID, 0, { prompt: [], generation: [] }, 60)?.totalRps).toBe(0);
  });

  it('is the product of the two marginals at the rate', () => {
    const prompt = cumulative([256, Infinity], [1, 0]); // all at (1, 256]: log-uniform from 0 to 8
    const generation = cumulative([64, Infinity], [3, 1]); // 3/4 in (1, 64], 1/4 at 64
    const mix = demandFromHistograms(GRID, 8, { prompt, generation }, 60)!;
    const pIn = tickShares(GRID.inputTicks, prompt)!;
    const pOut = tickShares(GRID.outputTicks, generation)!;
    for (let o = 0; o < 3; o++) for (let i = 0; i < 5; i++) expect(mix.rates[o]![i]).toBeCloseTo(8 * pOut[o]! * pIn[i]!, 12);
    expect(mix.totalRps).toBeCloseTo(8, 12);
  });

  const histogram = fc
    .array(fc.tuple(fc.double({ min: 0.5, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e4, noNaN: true })), { minLength: 1, maxLength: 12 })
    .map((rows) => [...rows.map(([le, value]) => ({ le, value })), { le: Infinity, value: rows.reduce((m, r) => Math.max(m, r[1]), 0) }]);
  test.prop([fc.double({ min: 0, max: 1e5, noNaN: true }), histogram, histogram], { numRuns: RUNS })(
    'the mix is finite, never negative, and sums to the rate (or is null when a histogram has no mass)',
    (rps, prompt, generation) => {
      const mix = demandFromHistograms(GRID, rps, { prompt, generation }, 60);
      if (mix === null) {
        expect(rps > 0 && (tickShares(GRID.inputTicks, prompt) === null || tickShares(GRID.outputTicks, generation) === null)).toBe(true);
        return;
      }
      for (const row of mix.rates) for (const r of row) expect(r >= 0 && r < Infinity).toBe(true);
      expect(mix.totalRps).toBeCloseTo(rps, 6);
    },
  );
});
