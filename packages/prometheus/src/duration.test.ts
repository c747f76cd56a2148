import { describe, expect, it } from 'vitest';
import { parseTimeSpec } from './duration.js';

describe('parseTimeSpec', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');
  it.each([
    ['now', now],
    ['28d', now - 28 * 86_400_000],
    ['2h', now - 7_200_000],
    ['1h30m', now - 5_400_000],
    ['1.5h', now - 5_400_000],
    ['2026-11-01', Date.parse('2026-11-01T00:00:00Z')],
    ['2026-11-01T09:00:00+01:00', Date.parse('2026-11-01T08:00:00Z')],
    ['2026-11-01T09:00Z', Date.parse('2026-11-01T09:00:00Z')],
  ])('time %s', (text, ms) => {
    expect(parseTimeSpec(text, now)).toBe(ms);
  });

  it.each(['yesterday', '2026-11-01T09:00:00', '2026-13-01', '1700000000', '10min', ''])('rejects time %j', (text) => {
    expect(() => parseTimeSpec(text, now)).toThrowError(expect.objectContaining({ code: 'InvalidArgument', message: expect.stringContaining('is not a time') }));
  });
});
