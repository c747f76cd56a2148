import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { RUNS } from '../testSupport.js';
import { SimulatorError } from '../errors.js';
import { BucketHistogram, E2E_BUCKETS, ITL_BUCKETS, ReplicaMetrics, renderExposition, TTFT_BUCKETS } from './vllmMetrics.js';

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

test.prop([fc.array(fc.tuple(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.integer({ min: 1, max: 50 })), { maxLength: 40 })], { numRuns: RUNS })(
  'a histogram without buckets keeps the same sum and count as one with them',
  (observations) => {
    const full = new BucketHistogram(ITL_BUCKETS);
    const bare = new BucketHistogram(ITL_BUCKETS, false);
    for (const [v, w] of observations) {
      full.observe(v, w);
      bare.observe(v, w);
    }
    expect([bare.sum, bare.count, bare.bucketed, full.bucketed]).toEqual([full.sum, full.count, false, true]);
  },
);

test('a /metrics page cannot be rendered from metrics kept without buckets', () => {
  const gauges = { running: 1, waiting: 0, kvCacheUsage: 0.1 };
  expect(() => renderExposition(gauges, new ReplicaMetrics(false), { numGpuBlocks: 100 })).toThrow(SimulatorError);
  expect(renderExposition(gauges, new ReplicaMetrics(), { numGpuBlocks: 100 })).toContain('vllm:e2e_request_latency_seconds_bucket');
});
