import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { RUNS } from '../testSupport.js';
import { BucketHistogram, E2E_BUCKETS, ITL_BUCKETS, TTFT_BUCKETS } from './vllmMetrics.js';

const boundsLists = fc.oneof(
  fc.constantFrom(ITL_BUCKETS, TTFT_BUCKETS, E2E_BUCKETS),
  fc.uniqueArray(fc.double({ min: -10, max: 1e4, noNaN: true }), { maxLength: 12 }).map((b) => b.sort((x, y) => x - y)),
);
// Values on, just beside and far from the bounds, of any sign and size.
const value = (bounds: readonly number[]) =>
  fc.oneof(
    fc.constantFrom(...bounds, 0, -0, Infinity, -Infinity, Number.NaN, Number.MIN_VALUE, 1e300),
    fc.constantFrom(...bounds).chain((b) => fc.constantFrom(b * (1 + 1e-15), b * (1 - 1e-15), b / 2, b * 2)),
    fc.double({ min: -1, max: 1e5, noNaN: true }),
    fc.double({ noNaN: false }),
  );

test.prop([boundsLists.filter((b) => b.length > 0).chain((bounds) => fc.tuple(fc.constant(bounds), fc.array(value(bounds), { maxLength: 40 })))], { numRuns: RUNS })(
  'every observation lands in the first bucket whose upper bound is at least the value (the last bucket past every bound, NaN included)',
  ([bounds, values]) => {
    const h = new BucketHistogram(bounds);
    const counts = new Array<number>(bounds.length + 1).fill(0);
    for (const v of values) {
      h.observe(v, 2);
      const b = bounds.findIndex((bound) => v <= bound);
      counts[b < 0 ? bounds.length : b]! += 2;
    }
    expect(Array.from(h.counts)).toEqual(counts);
  },
);
