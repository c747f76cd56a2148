import { describe, expect, it } from 'vitest';
import { PrescaleError } from '../errors.js';
import { T0 } from '../testSupport.js';
import { createBucketWindow, isBucketWindowEmpty, recordBucket, resizeBucketWindow, windowSumAt } from './bucketWindow.js';
import { linearAverage } from './linearAverage.js';
import { createMaxWindow, maxOf, recordMax } from './maxWindow.js';
import { createSampleWindow, recordSample, sampleMean } from './sampleWindow.js';
import { smoothingCoefficient, weightedAverage } from './weightedAverage.js';

const s = (seconds: number) => T0 + seconds * 1000;

describe('bucket window (Knative TimedFloat64Buckets)', () => {
  it('sums samples in the same bucket and truncates time to the granularity', () => {
    let w = createBucketWindow(10, 2);
    w = recordBucket(w, s(0), 1);
    w = recordBucket(w, s(1.9), 2); // same 2 s bucket
    w = recordBucket(w, s(2), 4);
    expect(w.buckets.filter((b) => b !== 0)).toEqual([3, 4]);
    expect(linearAverage(w, s(3))).toBe(3.5);
  });

  it('counts holes inside the window as zero but not time before the first write', () => {
    let w = createBucketWindow(10, 1);
    w = recordBucket(w, s(0), 10);
    w = recordBucket(w, s(4), 10); // seconds 1-3 are holes
    expect(linearAverage(w, s(4))).toBe(4); // 20 over 5 valid buckets
    expect(linearAverage(createBucketWindow(10, 1), s(4))).toBe(0);
  });

  it('drops a sample a whole window older than the newest and reports emptiness strictly', () => {
    let w = recordBucket(createBucketWindow(5, 1), s(10), 1);
    expect(recordBucket(w, s(5), 99)).toBe(w);
    w = recordBucket(w, s(6), 2); // late but inside the window
    expect(windowSumAt(w, s(10)).sum).toBe(3);
    expect(isBucketWindowEmpty(w, s(15))).toBe(false);
    expect(isBucketWindowEmpty(w, s(16))).toBe(true);
  });

  it('resizes with the clock it is given: stale history is not carried over', () => {
    const w = recordBucket(createBucketWindow(5, 1), s(0), 7);
    expect(windowSumAt(resizeBucketWindow(w, 10, s(3)), s(3)).sum).toBe(7);
    expect(windowSumAt(resizeBucketWindow(w, 10, s(9)), s(9)).sum).toBe(0);
  });

  it('saturates at ±MAX_VALUE instead of storing Infinity, and recomputes a saturated total once the extreme buckets leave', () => {
    const MAX = Number.MAX_VALUE;
    let w = createBucketWindow(5, 1);
    w = recordBucket(w, s(0), MAX);
    w = recordBucket(w, s(0.5), MAX);
    w = recordBucket(w, s(1), 3);
    expect(w.buckets.filter((b) => b !== 0)).toEqual([MAX, 3]);
    expect(w.windowTotal).toBe(MAX);
    expect(windowSumAt(w, s(4)).sum).toBe(MAX);
    // At 5 s the bucket of 0 s is outside the window: only the 3 is left.
    expect(windowSumAt(w, s(5))).toEqual({ sum: 3, count: 1 });
    w = recordBucket(w, s(5), 2);
    expect(w.windowTotal).toBe(5);
    expect(linearAverage(w, s(5))).toBe(1);
    let neg = recordBucket(createBucketWindow(5, 1), s(0), -MAX);
    neg = recordBucket(neg, s(0), -MAX);
    expect(neg).toMatchObject({ buckets: [-MAX, 0, 0, 0, 0], windowTotal: -MAX });
    const resized = resizeBucketWindow(recordBucket(w, s(6), MAX), 10, s(6));
    expect(resized.windowTotal).toBe(MAX);
    expect(JSON.parse(JSON.stringify(resized))).toStrictEqual(resized);
  });

  it('does not modify the window it is given', () => {
    const w = recordBucket(createBucketWindow(5, 1), s(0), 1);
    const copy = structuredClone(w);
    recordBucket(w, s(1), 5);
    resizeBucketWindow(w, 9, s(1));
    expect(w).toStrictEqual(copy);
  });

  it('rejects a window shorter than its granularity and a fractional granularity', () => {
    expect(() => createBucketWindow(2, 3)).toThrowError(expect.objectContaining({ code: 'WindowShorterThanGranularity' }));
    expect(() => createBucketWindow(10, 1.5)).toThrowError(PrescaleError);
    expect(() => resizeBucketWindow(createBucketWindow(10, 5), 4, s(0))).toThrowError(
      expect.objectContaining({ code: 'WindowShorterThanGranularity', field: 'windowSeconds' }),
    );
  });

  it('weights recent buckets more in the weighted-exponential average', () => {
    expect(smoothingCoefficient(5)).toBeCloseTo(0.8415106807538921, 15);
    expect(smoothingCoefficient(1000)).toBe(0.2); // floor on the coefficient
    let rising = createBucketWindow(5, 1);
    let falling = createBucketWindow(5, 1);
    [1, 2, 3, 4, 5].forEach((v, i) => {
      rising = recordBucket(rising, s(i), v);
      falling = recordBucket(falling, s(i), 6 - v);
    });
    expect(weightedAverage(rising, s(4))).toBeGreaterThan(weightedAverage(falling, s(4)));
  });
});

describe('max window (Knative TimedWindowMax)', () => {
  it('keeps the maximum for the window, then forgets it', () => {
    let w = createMaxWindow(10, 2);
    w = recordMax(w, s(0), 9);
    w = recordMax(w, s(4), 3);
    expect(maxOf(w)).toBe(9);
    w = recordMax(w, s(10), 2); // index 5: 5 − 0 ≥ 5 buckets, the 9 is gone
    expect(maxOf(w)).toBe(3);
  });
});

describe('sample window (AIBrix)', () => {
  it('keeps the last write per second and averages what is inside the window', () => {
    let w = createSampleWindow(60);
    w = recordSample(w, s(0), 10);
    w = recordSample(w, s(0.5), 20); // same second: last write wins
    w = recordSample(w, s(30), 40);
    expect(sampleMean(w, s(30))).toEqual({ mean: 30, count: 2 });
    w = recordSample(w, s(61), 60); // second 0 falls out
    expect(sampleMean(w, s(61))).toEqual({ mean: 50, count: 2 });
  });

  it('saturates its sum at MAX_VALUE: extreme finite samples give a finite mean', () => {
    let w = recordSample(createSampleWindow(60), s(0), Number.MAX_VALUE);
    w = recordSample(w, s(1), Number.MAX_VALUE);
    expect(sampleMean(w, s(1))).toEqual({ mean: Number.MAX_VALUE / 2, count: 2 });
  });

  it('reads nothing once every sample is older than the window', () => {
    const w = recordSample(createSampleWindow(60), s(0), 10);
    expect(sampleMean(w, s(120))).toEqual({ mean: 0, count: 0 });
  });
});
