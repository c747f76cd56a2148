import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { RUNS } from '../testSupport.js';
import { BucketHistogram, ITL_BUCKETS } from './vllmMetrics.js';

// Values on and around the bounds, and runs of one value (the remembered bucket).
const value = fc.oneof(fc.constantFrom(...ITL_BUCKETS), fc.double({ min: 0, max: 100, noNaN: true }), fc.constant(Infinity), fc.constant(Number.NaN));

test.prop([fc.array(fc.tuple(value, fc.integer({ min: 1, max: 3 })), { maxLength: 60 })], { numRuns: RUNS })(
  'every observation lands in the first bucket whose upper bound is at least the value (+Inf past the last)',
  (observations) => {
    const h = new BucketHistogram(ITL_BUCKETS);
    const counts = new Array<number>(ITL_BUCKETS.length + 1).fill(0);
    for (const [v, repeat] of observations) {
      for (let i = 0; i < repeat; i++) {
        h.observe(v, 2);
        const b = ITL_BUCKETS.findIndex((bound) => v <= bound);
        counts[b < 0 ? ITL_BUCKETS.length : b]! += 2;
      }
    }
    expect(Array.from(h.counts)).toEqual(counts);
  },
);
