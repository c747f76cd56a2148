import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RUNS } from '../testSupport.js';
import { interpolateGaps } from './gaps.js';

const series = (values: Array<number | null>) => ({ startMs: 0, binMs: 60_000, values, utcOffsetMinutes: 0 });

describe('interpolateGaps', () => {
  it('fills inner gaps linearly and end gaps with the nearest value, counting them', () => {
    const r = interpolateGaps(series([null, 10, null, null, 40, null]));
    expect(r.series.values).toEqual([10, 10, 20, 30, 40, 40]);
    expect(r.filled).toBe(4);
  });

  it('leaves bins before `from` (the warm-up) as gaps', () => {
    const r = interpolateGaps(series([5, null, 7, null, 9]), 2);
    expect(r.series.values).toEqual([5, null, 7, 8, 9]);
    expect(r.filled).toBe(1);
  });

  it('leaves a series with no observed bin alone', () => {
    expect(interpolateGaps(series([null, null]))).toMatchObject({ filled: 0, series: { values: [null, null] } });
  });
});

test.prop([fc.array(fc.option(fc.integer({ min: 0, max: 10_000 }), { freq: 3 }), { minLength: 1, maxLength: 200 })], { numRuns: RUNS })(
  'every filled bin is a whole count between its observed neighbours; observed bins never change',
  (values) => {
    const { series: out, filled } = interpolateGaps(series(values));
    const observed = values.filter((v) => v !== null);
    expect(filled).toBe(observed.length === 0 ? 0 : values.length - observed.length);
    values.forEach((v, i) => {
      if (v !== null) expect(out.values[i]).toBe(v);
      else if (observed.length > 0) {
        expect(Number.isInteger(out.values[i])).toBe(true);
        expect(out.values[i]).toBeGreaterThanOrEqual(Math.min(...observed));
        expect(out.values[i]).toBeLessThanOrEqual(Math.max(...observed));
      }
    });
  },
);
