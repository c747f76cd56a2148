import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
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
