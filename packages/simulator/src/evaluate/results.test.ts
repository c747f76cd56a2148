import { describe, expect, it } from 'vitest';
import { largestLoadStep, reactionTime } from './results.js';

describe('load step and reaction time', () => {
  // A flat need of 4, a ramp over four windows to 12, a plateau, then back down.
  const need = [...Array(30).fill(4), 6, 8, 10, 12, ...Array(20).fill(12), ...Array(20).fill(5)];

  it('finds a ramp over several windows as one step from its first rising window', () => {
    expect(largestLoadStep(need, 60)).toEqual({ atSeconds: 30 * 60, fromReplicas: 4, toReplicas: 12 });
  });

  it('measures the time until the ready replicas reach the step, or null after an hour', () => {
    const step = largestLoadStep(need, 60)!;
    const run = { readyChanges: { t: [1000, 1900, 2300, 2500], ready: [5, 8, 11, 12] } };
    expect(reactionTime(run, step, 4)).toBe(2500 - 1800);
    expect(reactionTime({ readyChanges: { t: [1900], ready: [8] } }, step, 4)).toBeNull();
    expect(reactionTime({ readyChanges: { t: [100], ready: [12] } }, step, 4)).toBe(0);
  });
});
