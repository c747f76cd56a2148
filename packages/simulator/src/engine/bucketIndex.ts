/**
 * Which bucket of a fixed list of upper bounds a value falls in (the first bound at
 * least the value, or the list's length past the last), in constant time: a table
 * indexed by the value's exponent and the top 3 bits of its mantissa (8 slices per
 * octave) gives the first bound at least the smallest value of the value's slice, and a
 * step or two along the bounds from there gives the answer, the same one a search of
 * the bounds gives. Values below the table's range fall in the first bucket whose bound
 * is at least them by the same walk from 0; NaN and values past the last bound, in the
 * last bucket. Prometheus histograms (reference simulator.md §3) take every latency of
 * every replica, so the search was a hot spot.
 * @module
 */
import { highWord } from '../stats/logHistogram.js';

/** Mantissa bits per octave in the table: 2³ slices. */
const SHIFT = 20 - 3;

export class BucketIndex {
  /** First bound index for each slice from `base`. */
  private readonly first: Int32Array;
  /** Slice index of the table's first entry. */
  private readonly base: number;

  constructor(private readonly bounds: readonly number[]) {
    const positive = bounds.filter((b) => b > 0 && b < Infinity);
    // One octave either side of the positive bounds.
    this.base = positive.length > 0 ? Math.max(0, (highWord(positive[0]! / 2) >>> SHIFT) - 1) : 0;
    const top = positive.length > 0 ? (highWord(positive[positive.length - 1]! * 2) >>> SHIFT) + 1 : 0;
    this.first = new Int32Array(Math.max(0, top - this.base));
    for (let i = 0; i < this.first.length; i++) {
      const smallest = sliceStart(i + this.base);
      let k = 0;
      while (k < bounds.length && bounds[k]! < smallest) k++;
      this.first[i] = k;
    }
  }

  /** The first k with `value <= bounds[k]`, or `bounds.length` (NaN included). */
  of(value: number): number {
    const b = this.bounds;
    const n = b.length;
    let k = 0;
    if (value > 0) {
      const i = (highWord(value) >>> SHIFT) - this.base;
      if (i >= this.first.length) return value <= b[n - 1]! ? this.search(value) : n;
      if (i >= 0) k = this.first[i]!;
    } else if (!(value <= 0)) return n;
    while (k < n && !(value <= b[k]!)) k++;
    return k;
  }

  /** A binary search (for values past the table, which the bounds still cover only when a bound is Infinity). */
  private search(value: number): number {
    const b = this.bounds;
    let lo = 0;
    let hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (value <= b[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** The smallest positive float64 whose high word shifted by SHIFT is `slice`. */
function sliceStart(slice: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, slice << SHIFT);
  view.setUint32(4, 0);
  return view.getFloat64(0);
}
