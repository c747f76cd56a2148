import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { parseDuration, formatDuration, parseTimeSpec } from './duration.js';
import { parseGoFloat } from './goFloat.js';
import { RUNS } from './testSupport/runs.js';

describe('Go float syntax', () => {
  it.each([
    ['42', 42],
    ['-0.5', -0.5],
    ['+3', 3],
    ['1e3', 1000],
    ['1.5E-3', 0.0015],
    ['.5', 0.5],
    ['5.', 5],
    ['+Inf', Infinity],
    ['-Inf', -Infinity],
    ['inf', Infinity],
    ['Infinity', Infinity],
    ['-infinity', -Infinity],
  ])('reads %s', (text, value) => {
    expect(parseGoFloat(text)).toBe(value);
  });

  it.each(['NaN', 'nan', 'Nan'])('reads %s as NaN (prom-client writes Nan)', (text) => {
    expect(parseGoFloat(text)).toBeNaN();
  });

  it.each(['', ' 1', '1 ', '0x10', '0b1', '0o7', '1_000', 'abc', '1e999', '-1e999', '+NaN', '--1', '1,5', 'Inff'])('rejects %j', (text) => {
    expect(parseGoFloat(text)).toBeUndefined();
  });

  test.prop([fc.double({ noNaN: true })], { numRuns: RUNS })('reads what JavaScript prints of any double', (x) => {
    const text = Number.isFinite(x) ? String(x) : x > 0 ? '+Inf' : '-Inf';
    expect(parseGoFloat(text)).toBe(x === 0 ? 0 : x); // String(-0) is "0"
  });
});

describe('durations and times', () => {
  it.each([
    ['0', 0],
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['28d', 28 * 86_400_000],
    ['1w2d', 9 * 86_400_000],
    ['1y', 365 * 86_400_000],
    ['250ms', 250],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '1.5h', '10min', '30m1h', 'h', '-5m', '5 m'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrowError(expect.objectContaining({ code: 'InvalidArgument' }));
  });

  test.prop([fc.integer({ min: 0, max: 10 * 365 * 86_400_000 })], { numRuns: RUNS })('format then parse gives back the milliseconds', (ms) => {
    expect(parseDuration(formatDuration(ms))).toBe(ms);
  });

  const now = Date.parse('2026-11-22T12:00:00Z');
  it.each([
    ['now', now],
    ['28d', now - 28 * 86_400_000],
    ['2h', now - 7_200_000],
    ['2026-11-01', Date.parse('2026-11-01T00:00:00Z')],
    ['2026-11-01T09:00:00+01:00', Date.parse('2026-11-01T08:00:00Z')],
    ['2026-11-01T09:00Z', Date.parse('2026-11-01T09:00:00Z')],
  ])('time %s', (text, ms) => {
    expect(parseTimeSpec(text, now)).toBe(ms);
  });

  it.each(['yesterday', '2026-11-01T09:00:00', '2026-13-01', '1700000000'])('rejects time %j', (text) => {
    expect(() => parseTimeSpec(text, now)).toThrowError(expect.objectContaining({ code: 'InvalidArgument' }));
  });
});
