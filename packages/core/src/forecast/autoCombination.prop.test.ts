import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RUNS } from '../testSupport.js';
import { combinePoints, describeCombination, leadModel, MIN_WEIGHT, skillWeights, weightExponent } from './autoCombination.js';

const loss = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: 0, max: 1e6, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
  { weight: 1, arbitrary: fc.constant(0) },
);
const losses = fc.array(loss, { minLength: 1, maxLength: 8 });
const hysteresis = fc.oneof(fc.constant(0), fc.constant(0.1), fc.double({ min: 0.001, max: 0.9, noNaN: true }));

describe('auto: weights by recent skill', () => {
  test.prop([losses, hysteresis], { numRuns: RUNS })('shares sum to 1 over the models with a loss, none below MIN_WEIGHT, the best weighs most', (ls, h) => {
    const out = new Float64Array(ls.length);
    const count = skillWeights(ls, weightExponent(h), out);
    const scored = ls.filter((l) => l === l);
    if (scored.length === 0) {
      expect(count).toBe(0);
      expect([...out].every((w) => w === 0)).toBe(true);
      return;
    }
    expect(count).toBeGreaterThan(0);
    expect([...out].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const best = Math.min(...scored);
    ls.forEach((l, i) => {
      if (!(l === l)) expect(out[i]).toBe(0);
      else expect(out[i] === 0 || out[i]! >= MIN_WEIGHT - 1e-15).toBe(true);
      // Lower loss, no less weight.
      ls.forEach((m, j) => {
        if (l === l && m === m && l < m) expect(out[i]).toBeGreaterThanOrEqual(out[j]!);
      });
      if (l === best) expect(out[i]).toBe(Math.max(...out));
    });
  });

  test.prop([losses, fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 8, maxLength: 8 })], { numRuns: RUNS })(
    'the combination lies between the smallest and the largest point it weighs',
    (ls, points) => {
      const out = new Float64Array(ls.length);
      if (skillWeights(ls, weightExponent(0.1), out) === 0) return;
      const used = points.slice(0, ls.length).filter((_, i) => out[i]! > 0);
      const c = combinePoints(out, points);
      // Rounding aside (relative 1e-12, and subnormal points).
      const lo = Math.min(...used);
      const hi = Math.max(...used);
      expect(c).toBeGreaterThanOrEqual(lo - 1e-12 * (1 + lo));
      expect(c).toBeLessThanOrEqual(hi + 1e-12 * (1 + hi));
    },
  );

  it('a model 1 / (1 − hysteresis) times worse weighs half the best; hysteresis 0 keeps only the best', () => {
    const out = new Float64Array(2);
    skillWeights([1, 1 / 0.9], weightExponent(0.1), out);
    expect(out[1]! / out[0]!).toBeCloseTo(0.5, 12);
    skillWeights([1, 1.0001], weightExponent(0), out);
    expect([...out]).toEqual([1, 0]);
    // Equal losses share equally; a loss of 0 leaves the others nothing.
    skillWeights([2, 2], weightExponent(0.1), out);
    expect([...out]).toEqual([0.5, 0.5]);
    skillWeights([0, 3], weightExponent(0.1), out);
    expect([...out]).toEqual([1, 0]);
  });

  it('a model without a forecast drops out and the others share its weight', () => {
    expect(combinePoints([0.5, 0.25, 0.25], [100, Number.NaN, 200])).toBeCloseTo(400 / 3, 12);
    expect(combinePoints([1, 0], [Number.NaN, 5])).toBeNaN();
  });

  it('is described heaviest first, and its lead is the heaviest model', () => {
    const models = [
      { model: 'scryer' as const, parameters: 'weekly k=4 add', weight: 0.25 },
      { model: 'persistence' as const, parameters: 'last observed bin', weight: 0.6 },
      { model: 'holt-winters' as const, parameters: 'α=0.4', weight: 0.15 },
    ];
    expect(describeCombination(models)).toBe('persistence 60 % + scryer 25 % + holt-winters 15 %');
    expect(leadModel(models)).toBe('persistence');
  });
});
