import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { LONG_TEST_TIMEOUT_MS, RUNS } from '../testSupport/runs.js';
import { type Bucket, bucketQuantile } from './histogramQuantile.js';

const b = (pairs: Array<[number, number]>): Bucket[] => pairs.map(([upperBound, count]) => ({ upperBound, count }));

describe('bucketQuantile, as PromQL histogram_quantile', () => {
  // 100 observations: 10 ≤ 0.1, 50 ≤ 0.5, 90 ≤ 1, all ≤ +Inf.
  const buckets = b([[0.1, 10], [0.5, 50], [1, 90], [Infinity, 100]]);

  it('interpolates linearly inside the bucket that holds the rank, from 0 in the lowest', () => {
    expect(bucketQuantile(0.05, buckets)).toBeCloseTo(0.05, 12); // rank 5 of 10 in (0, 0.1]
    expect(bucketQuantile(0.3, buckets)).toBeCloseTo(0.1 + 0.4 * (20 / 40), 12); // rank 30: 20 of 40 into (0.1, 0.5]
    expect(bucketQuantile(0.5, buckets)).toBe(0.5); // rank 50 ends (0.1, 0.5]
    expect(bucketQuantile(0.9, buckets)).toBe(1);
  });

  it('returns the second-highest bound when the rank falls in +Inf', () => {
    expect(bucketQuantile(0.95, buckets)).toBe(1);
    expect(bucketQuantile(1, buckets)).toBe(1);
  });

  it('returns the lowest bound when it is ≤ 0 and holds the rank', () => {
    expect(bucketQuantile(0.1, b([[-1, 5], [0, 8], [Infinity, 10]]))).toBe(-1);
  });

  it('sorts, merges repeated bounds and forces monotonic counts', () => {
    const messy = b([[Infinity, 100], [0.5, 30], [1, 90], [0.1, 10], [0.5, 20]]); // 0.5 twice → 50
    expect(bucketQuantile(0.3, messy)).toBeCloseTo(bucketQuantile(0.3, buckets), 12);
    const dip = b([[0.1, 10], [0.5, 8], [1, 20], [Infinity, 20]]); // 8 < 10 becomes 10
    expect(bucketQuantile(0.75, dip)).toBeCloseTo(0.5 + 0.5 * (5 / 10), 12); // rank 15: 5 of (20 − 10) into (0.5, 1]
  });

  it('treats counts within 1e-12 relative as equal (float noise from rate())', () => {
    const noisy = b([[1, 10], [2, 10 * (1 + 1e-14)], [Infinity, 10 * (1 + 1e-14)]]);
    expect(bucketQuantile(1, noisy)).toBe(bucketQuantile(1, b([[1, 10], [2, 10], [Infinity, 10]])));
  });

  it.each([
    ['no +Inf bucket', b([[0.1, 1], [1, 2]]), 0.5, Number.NaN],
    ['one bucket', b([[Infinity, 5]]), 0.5, Number.NaN],
    ['no observations', b([[1, 0], [Infinity, 0]]), 0.5, Number.NaN],
    ['no buckets', [], 0.5, Number.NaN],
    ['φ < 0', buckets, -0.1, -Infinity],
    ['φ > 1', buckets, 1.1, Infinity],
    ['φ NaN', buckets, Number.NaN, Number.NaN],
    ['φ = 0 with an empty lowest bucket (0/0, as in Go)', b([[0.1, 0], [1, 3], [Infinity, 3]]), 0, Number.NaN],
  ])('%s', (_, input, q, expected) => {
    expect(bucketQuantile(q, input)).toBe(expected);
  });

  it('leaves its input alone', () => {
    const input = b([[1, 5], [0.5, 2], [Infinity, 6]]);
    const copy = structuredClone(input);
    bucketQuantile(0.5, input);
    expect(input).toEqual(copy);
  });

  const histogram = fc
    .tuple(fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 12 }), fc.array(fc.nat({ max: 50 }), { minLength: 13, maxLength: 13 }))
    .map(([bounds, increments]) => {
      const sorted = [...bounds].sort((x, y) => x - y).map((v) => v / 10);
      let total = 0;
      const out = sorted.map((upperBound, i) => ({ upperBound, count: (total += increments[i]!) }));
      out.push({ upperBound: Infinity, count: total + increments[12]! });
      return out;
    })
    .filter((h) => h[h.length - 1]!.count > 0);

  const phi = fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true });
  test.prop([histogram, phi, phi], { numRuns: RUNS })(
    'is monotonic in φ and stays within [0, the highest finite bound]',
    (h, q1, q2) => {
      const [lo, hi] = q1 <= q2 ? [q1, q2] : [q2, q1];
      const a = bucketQuantile(lo, h);
      const c = bucketQuantile(hi, h);
      expect(a).toBeLessThanOrEqual(c);
      expect(a).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(h[h.length - 2]!.upperBound);
    }, LONG_TEST_TIMEOUT_MS,
  );
});
