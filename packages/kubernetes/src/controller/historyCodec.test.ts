import { fc, test as prop } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { RUNS } from '../testSupport.js';
import { decodeHistory, decodePeaks, encodeHistory } from './historyCodec.js';


const value = fc.oneof(fc.constant(null), fc.double({ min: 0, max: 3.6e12, noNaN: true }), fc.integer({ min: 0, max: 5000 }));

describe('the demand history codec', () => {
  prop.prop([fc.array(value, { maxLength: 2000 }), fc.integer({ min: 0, max: 5_000_000 })], { numRuns: RUNS })(
    'round-trips every value to a thousandth of a request, gaps as gaps',
    (values, firstBin) => {
      const e = encodeHistory(firstBin, values, 1 << 20);
      expect(e).toMatchObject({ firstBin, bins: values.length });
      const back = decodeHistory(e);
      expect(back).toHaveLength(values.length);
      for (const [i, v] of values.entries()) {
        if (v === null) expect(back?.[i]).toBeNull();
        else expect(Math.abs((back?.[i] ?? Number.NaN) - v)).toBeLessThanOrEqual(0.0005 + v * 1e-15);
      }
    },
  );

  prop.prop([fc.array(value, { minLength: 1, maxLength: 3000 }), fc.integer({ min: 8, max: 4000 })], { numRuns: RUNS })(
    'stays within its budget by keeping the newest bins',
    (values, maxChars) => {
      const e = encodeHistory(100, values, maxChars);
      expect(e.data.length <= maxChars || e.bins === 0).toBe(true);
      expect(e.firstBin + e.bins).toBe(100 + values.length);
      const back = decodeHistory(e) ?? [];
      for (const [i, v] of back.entries()) {
        const original = values[values.length - e.bins + i];
        expect(v === null).toBe(original === null || original === undefined);
      }
    },
  );

  prop.prop([fc.array(fc.tuple(value, value), { minLength: 1, maxLength: 3000 }), fc.integer({ min: 16, max: 4000 })], { numRuns: RUNS })(
    'peaks ride with the values within the one budget, aligned with the bins kept',
    (pairs, maxChars) => {
      const values = pairs.map(([v]) => v);
      const peaks = pairs.map(([, p]) => p);
      const e = encodeHistory(7, values, maxChars, peaks);
      expect(e.data.length + (e.peaks?.length ?? 0) <= maxChars || e.bins === 0).toBe(true);
      const back = decodePeaks(e);
      expect(back).toHaveLength(e.bins);
      for (const [i, p] of (back ?? []).entries()) {
        const original = peaks[peaks.length - e.bins + i] ?? null;
        if (original === null) expect(p).toBeNull();
        else expect(Math.abs((p ?? Number.NaN) - original)).toBeLessThanOrEqual(0.0005 + original * 1e-15);
      }
      expect(decodePeaks(encodeHistory(7, values, maxChars))).toBeUndefined();
    },
  );

  test('text that is not an encoded history decodes to null', () => {
    expect(decodeHistory(null)).toBeNull();
    expect(decodeHistory({ encoding: 'milli-delta-varint-deflate-base64', firstBin: 0, bins: 3, data: 'not deflate' })).toBeNull();
    const e = encodeHistory(0, [1, 2, 3], 1000);
    expect(decodeHistory({ ...e, bins: 4 })).toBeNull();
    expect(decodePeaks({ ...e, peaks: 'not deflate' })).toBeNull();
  });
});
