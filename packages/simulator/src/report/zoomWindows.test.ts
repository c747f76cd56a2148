import { describe, expect, it } from 'vitest';
import { stepZoom, typicalDailyRamp } from './zoomWindows.js';

const W = 60;
const perDay = 1440;
/** Days of need at 60 s windows: 2 replicas at night, `peaks[d]` from 08:00 local to 18:00 (a linear ramp over the first hour). */
function days(peaks: number[]): Int32Array {
  const need = new Int32Array(peaks.length * perDay);
  peaks.forEach((peak, d) => {
    for (let m = 0; m < perDay; m++) {
      const ramp = m < 480 ? 0 : m < 540 ? (m - 480) / 60 : m < 1080 ? 1 : 0;
      need[d * perDay + m] = Math.round(2 + ramp * (peak - 2));
    }
  });
  return need;
}

describe('where the report zooms in', () => {
  it('a typical daily ramp: the ramp of the day whose rise is the median, in the trace’s own clock', () => {
    const need = days([6, 30, 10, 8, 12]);
    // The series starts at local midnight of a trace at −04:00.
    const start = Date.UTC(1995, 6, 3, 4);
    const ramp = typicalDailyRamp(need, W, start, -240)!;
    expect(ramp).not.toBeNull();
    // Rises 4, 28, 8, 6, 10: the median is day 2's (peak 10).
    expect(Math.floor(ramp.at / perDay)).toBe(2);
    const minute = ramp.at % perDay;
    expect(minute).toBeGreaterThanOrEqual(470);
    expect(minute).toBeLessThanOrEqual(540);
    expect(ramp.from).toBeLessThan(ramp.at);
    expect(ramp.to).toBeGreaterThan(ramp.at);
  });

  it('no daily ramp in a run of fewer than two whole days', () => {
    expect(typicalDailyRamp(days([6]), W, Date.UTC(2026, 0, 5), 0)).toBeNull();
    expect(typicalDailyRamp(new Int32Array(90), W, Date.UTC(2026, 0, 5), 0)).toBeNull();
  });

  it('the step zoom: half an hour before the largest step to an hour and a half after, within the run', () => {
    expect(stepZoom(null, 1000, W)).toBeNull();
    expect(stepZoom({ atSeconds: 600, fromReplicas: 2, toReplicas: 9 }, 1000, W)).toEqual({ from: 0, to: 100, at: 10, label: 'load step, need 2 → 9' });
    expect(stepZoom({ atSeconds: 6000, fromReplicas: 2, toReplicas: 9 }, 150, W)).toMatchObject({ from: 70, to: 150, at: 100 });
  });
});
