import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';
import { RUNS } from './testSupport.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['90s', 90_000],
    ['5m', 300_000],
    ['1.5h', 5_400_000],
    ['1h30m', 5_400_000],
    ['14d', 14 * 86_400_000],
    ['2w', 14 * 86_400_000],
    ['1y', 365 * 86_400_000],
    ['1d2h3m4s5ms', 93_784_005],
    ['1w2d', 9 * 86_400_000],
    ['100ms', 100],
    [' 10m ', 600_000],
    ['0', 0],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '10', '90', '10min', '5m1h', '1h1h', '10m5m', '-5m', '5 m', '1e3s', 'ms', '1.s', 'h', 'ten'])('refuses %j, naming the field', (text) => {
    expect(() => parseDuration(text, '--warmup')).toThrowError(expect.objectContaining({ code: 'InvalidConfig', field: '--warmup' }));
  });
});

test.prop([fc.integer({ min: 0, max: 400 * 86_400_000 })], { numRuns: RUNS })('formatDuration gives a duration parseDuration reads back', (ms) => {
  expect(parseDuration(formatDuration(ms))).toBe(ms);
});
