import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RUNS } from '../testSupport.js';
import { log2Ticks, snapLog2, snapTokens } from './tokenBuckets.js';

// AIBrix's benchmark grid: 4 … 4096 tokens, doubling (reference aibrix.md §5.1).
const TICKS = Array.from({ length: 11 }, (_, k) => 4 * 2 ** k);
const LOG = log2Ticks(TICKS);

describe("AIBrix's log2 snapping (reference aibrix.md §5.2)", () => {
  it('takes the lower tick below the midpoint in log2 space and the upper from it on', () => {
    expect(TICKS[snapTokens(LOG, 300).index]).toBe(256); // log2 300 = 8.23 < 8.5
    expect(TICKS[snapTokens(LOG, 362).index]).toBe(256); // 2^8.5 = 362.04
    expect(TICKS[snapTokens(LOG, 362.1).index]).toBe(512);
    expect(TICKS[snapLog2(LOG, 8.5).index]).toBe(512); // exactly the midpoint goes up
    expect(TICKS[snapLog2(LOG, 8.49).index]).toBe(256);
    expect(TICKS[snapTokens(LOG, 256).index]).toBe(256);
  });

  it('clamps values outside the ticks to the edge and says so', () => {
    expect(snapTokens(LOG, 1)).toEqual({ index: 0, clamped: true });
    expect(snapTokens(LOG, 4)).toEqual({ index: 0, clamped: false });
    expect(snapTokens(LOG, 100_000)).toEqual({ index: 10, clamped: true });
    expect(snapLog2(LOG, Number.NaN)).toEqual({ index: -1, clamped: false });
  });

  it("reads the gateway's tenths of log2 directly", () => {
    // The gateway writes round(log2(300) × 10) = 82 for a 300-token prompt.
    expect(TICKS[snapLog2(LOG, 82 / 10).index]).toBe(256);
    expect(TICKS[snapLog2(LOG, 85 / 10).index]).toBe(512);
  });

  test.prop([fc.double({ min: 1, max: 1e6, noNaN: true })], { numRuns: RUNS })('nearest: no tick is closer in log2; up: the tick is at or above the value unless clamped', (tokens) => {
    const v = Math.log2(tokens);
    const nearest = snapTokens(LOG, tokens);
    const d = Math.abs(LOG[nearest.index]! - v);
    for (const t of LOG) expect(d).toBeLessThanOrEqual(Math.abs(t - v) + 1e-12);
    const up = snapTokens(LOG, tokens, 'up');
    if (!up.clamped) {
      expect(TICKS[up.index]!).toBeGreaterThanOrEqual(tokens * (1 - 1e-12));
      if (up.index > 0) expect(TICKS[up.index - 1]!).toBeLessThan(tokens);
    }
  });
});
