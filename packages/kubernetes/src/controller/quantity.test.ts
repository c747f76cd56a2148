import { describe, expect, test } from 'vitest';
import { parseQuantity } from './quantity.js';

describe('parseQuantity', () => {
  test.each([
    ['250m', 0.25],
    ['2', 2],
    ['1.5', 1.5],
    ['123456789n', 0.123456789],
    ['129Mi', 129 * 1024 * 1024],
    ['1Gi', 1024 ** 3],
    ['1e3', 1000],
    ['2k', 2000],
  ])('%s is %d', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 12);
  });
  test.each(['', 'abc', '1.2.3', '5X', null, undefined, {}])('%s is not a quantity', (text) => {
    expect(parseQuantity(text)).toBeNull();
  });
});
