import { describe, expect, it } from 'vitest';
import { createChoiceWindow, meanLoss, pushSample, retireOptions, scoreSample } from './choiceWindow.js';

/** Pushes `n` samples with these losses per option. */
function push(w: ReturnType<typeof createChoiceWindow>, losses: number[], n: number): void {
  for (let i = 0; i < n; i++) pushSample(w, Float64Array.from(losses));
}

describe('choice window', () => {
  it('keeps its choice unless a challenger is better by more than the hysteresis', () => {
    const w = createChoiceWindow(2, 10, 3, 0.1, false);
    push(w, [1, 2], 10);
    expect(w.current).toBe(0);
    push(w, [1, 0.95], 10); // 5 % better: not enough
    expect(w.current).toBe(0);
    push(w, [1, 0.8], 10); // 20 % better
    expect(w.current).toBe(1);
  });

  it('retired options lose their scores; a retired choice hands over to the best remaining, without hysteresis', () => {
    const w = createChoiceWindow(3, 10, 3, 0.5, false);
    push(w, [2, 1.5, 1], 10);
    expect(w.current).toBe(2);
    retireOptions(w, 2);
    expect(meanLoss(w, 2)).toBeNaN();
    expect(w.counts[2]).toBe(0);
    // 1.5 is not below (1 − 0.5) × 2, but the incumbent is gone: the best remaining wins.
    expect(w.current).toBe(1);
    expect(meanLoss(w, 1)).toBe(1.5);
    // The retired option cannot come back on its old scores; new ones count again.
    push(w, [2, 1.5, Number.NaN], 10);
    expect(w.current).toBe(1);
  });

  it('retiring options the choice is not among leaves the choice and its quantile window alone', () => {
    const w = createChoiceWindow(2, 4, 1, 0.1, true);
    const forecasts = Float64Array.from([10, 20]);
    for (const y of [11, 9, 12, 8]) scoreSample(w, forecasts, 0, y, 2, 1);
    expect(w.current).toBe(0);
    const sorted = Array.from(w.sorted.values.subarray(0, w.sorted.size));
    retireOptions(w, 1);
    expect(w.current).toBe(0);
    expect(Array.from(w.sorted.values.subarray(0, w.sorted.size))).toEqual(sorted);
    expect(w.errors!.filter((_, i) => i % 2 === 1).every(Number.isNaN)).toBe(true);
  });
});
