import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { LONG_TEST_TIMEOUT_MS } from '../testSupport.js';
import { createSortedWindow, sortedClear, sortedInsert, sortedRemove, sortedReplace, windowQuantile } from './empiricalQuantiles.js';

const RUNS = 1000;
// Few distinct values, so that ties (and removing one of several equal values) are common.
// No −0: an error is (y − ŷ) / s with y ≥ 0 and never −0, and −0 sorts as a tie with 0.
const value = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }).map((v) => v + 0));
const op = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), v: value }),
  fc.record({ kind: fc.constant('remove' as const), v: value, pick: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), v: value, pick: fc.nat() }),
  fc.record({ kind: fc.constant('clear' as const) }),
);

/** R type 7 on a plain sorted copy: the order statistic at (n − 1)·p, or interpolated between two. */
function naiveQuantile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = (sorted.length - 1) * p;
  const lo = Math.floor(idx);
  const hi = Math.ceil(idx);
  return lo === hi ? sorted[lo]! : sorted[lo]! + (idx - lo) * (sorted[hi]! - sorted[lo]!);
}

test.prop([fc.array(op, { maxLength: 200 }), fc.double({ min: 0, max: 1, noNaN: true })], { numRuns: RUNS })(
  'the sorted window holds exactly the values put in and not taken out, in order, with their quantiles',
  (ops, p) => {
    const w = createSortedWindow(200);
    let model: number[] = [];
    for (const o of ops) {
      if (o.kind === 'insert') {
        sortedInsert(w, o.v);
        model.push(o.v);
      } else if (o.kind === 'clear') {
        sortedClear(w);
        model = [];
      } else if (o.kind === 'remove') {
        // Half the time a value that is there, else any value (removing an absent one does nothing).
        const v = model.length > 0 && o.pick % 2 === 0 ? model[o.pick % model.length]! : o.v;
        sortedRemove(w, v);
        const i = model.indexOf(v);
        if (i >= 0) model.splice(i, 1);
      } else {
        // Replace one that is there by v, as a sliding window does; with none there, v is inserted.
        const old = model.length > 0 ? model[o.pick % model.length]! : Number.NaN;
        sortedReplace(w, old, o.v);
        const i = model.indexOf(old);
        if (i >= 0) model.splice(i, 1);
        model.push(o.v);
      }
      const sorted = [...model].sort((a, b) => a - b);
      expect(Array.from(w.values.subarray(0, w.size))).toEqual(sorted);
      expect(windowQuantile(w, p)).toBe(naiveQuantile(sorted, p));
    }
  }, LONG_TEST_TIMEOUT_MS,
);
