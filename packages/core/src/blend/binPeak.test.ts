import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RUNS } from '../testSupport.js';
import { addPeakSample, closePeak, type OpenPeak, peakOfSteps, startPeak } from './binPeak.js';

const BIN = 600_000;
const WINDOW = 60_000;
const T0 = Date.UTC(2024, 0, 1);

/** The open peak after `rates[k]` sampled at `T0 + times[k]`. */
function fed(times: number[], rates: number[]): OpenPeak {
  let p = startPeak(T0 + times[0]!, WINDOW, rates[0]!);
  for (let k = 1; k < times.length; k++) p = addPeakSample(p, T0 + times[k]!, WINDOW, rates[k]!);
  return p;
}

describe('the peak of a bin from loop samples', () => {
  it('is the highest mean rate over one window, every 10 s for ten windows', () => {
    const times = Array.from({ length: 60 }, (_, k) => k * 10_000);
    // 2 req/s, except window 3 where the six samples average 5.
    const rates = times.map((t) => (Math.floor(t / WINDOW) === 3 ? [4, 6, 5, 5, 3, 7][(t / 10_000) % 6]! : 2));
    expect(closePeak(fed(times, rates), BIN, WINDOW)).toBeCloseTo(5, 12);
  });

  it('is unknown when fewer than nine tenths of the windows had a sample', () => {
    const nine = Array.from({ length: 9 }, (_, k) => k * WINDOW + 5_000);
    expect(closePeak(fed(nine, nine.map(() => 3)), BIN, WINDOW)).toBe(3);
    const eight = nine.slice(1);
    expect(closePeak(fed(eight, eight.map(() => 3)), BIN, WINDOW)).toBeNull();
    // A bin that started without a valid sample and got none.
    expect(closePeak(startPeak(T0, WINDOW, null), BIN, WINDOW)).toBeNull();
  });

  it('leaves a sample of an earlier window out of the peak', () => {
    const p = fed([0, 70_000], [1, 1]);
    expect(addPeakSample(p, T0 + 10_000, WINDOW, 100)).toBe(p);
  });

  it('one window per bin: the peak is the mean', () => {
    const p = fed([0, 10_000, 20_000], [1, 2, 6]);
    expect(closePeak(p, WINDOW, WINDOW)).toBeCloseTo(3, 12);
  });
});

describe('the peak of a bin from a seeded history', () => {
  it('is the highest window of the steps when the steps are at most the window and divide it', () => {
    const minutes = [60, 120, 600, 60, 0, 60, 60, 60, 60, 60];
    expect(peakOfSteps(minutes, 60_000, WINDOW)).toBe(10);
    // 30-second steps pair into minutes.
    const halves = minutes.flatMap((m) => [m / 2, m / 2]);
    expect(peakOfSteps(halves, 30_000, WINDOW)).toBe(10);
    // 2-minute windows over minute steps, aligned: minutes 2 and 3 are the busiest pair.
    expect(peakOfSteps(minutes, 60_000, 120_000)).toBe((600 + 60) / 120);
  });

  it('is unknown when the steps are coarser than the window or do not divide it', () => {
    expect(peakOfSteps([6000], 600_000, WINDOW)).toBeNull();
    expect(peakOfSteps([300, 300], 300_000, WINDOW)).toBeNull();
    expect(peakOfSteps([1, 1, 1], 40_000, WINDOW)).toBeNull();
  });
});

test.prop([fc.array(fc.tuple(fc.integer({ min: 0, max: BIN - 1 }), fc.double({ min: 0, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 80 })], { numRuns: RUNS })(
  'a known peak is at least the mean of the samples that made it and at most their largest',
  (samples) => {
    samples.sort((a, b) => a[0] - b[0]);
    const p = fed(
      samples.map((s) => s[0]),
      samples.map((s) => s[1]),
    );
    const peak = closePeak(p, BIN, WINDOW);
    if (peak === null) return;
    const rates = samples.map((s) => s[1]);
    const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
    expect(peak).toBeGreaterThanOrEqual(mean * (1 - 1e-12));
    expect(peak).toBeLessThanOrEqual(Math.max(...rates) * (1 + 1e-12));
  },
);
