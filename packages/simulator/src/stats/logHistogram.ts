/**
 * A streaming histogram with logarithmic buckets, for latency percentiles without
 * storing a value per request (reference simulator.md §5.3: log buckets, ≤ 1 % error).
 * The bucket of a value is read straight from its IEEE-754 bits: the exponent picks the
 * octave and the top `bits` of the mantissa split it into 2^bits equal parts, so no
 * logarithm is taken per value. With the default 6 bits a quantile read at its
 * bucket's middle is within 0.8 % of the true value. Values below `min` go to the
 * first bucket, values past the range to the last.
 * @module
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Index of the high 32-bit word of a float64 (1 on little-endian machines).
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The high 32 bits of a float64: sign, exponent and the top 20 bits of the mantissa. */
export function highWord(v: number): number {
  f64[0] = v;
  return u32[HI]!;
}

export class LogHistogram {
  readonly counts: Float64Array;
  private total = 0;
  /** Exact sum of the values added (for means). */
  sum = 0;
  private readonly shift: number;
  private readonly base: number;

  /**
   * @param min smallest resolved value (default 0.1 ms)
   * @param octaves how many doublings the range covers (default 30: up to ~30 h in seconds)
   * @param bits mantissa bits per octave (default 6: 64 buckets per octave)
   */
  constructor(
    readonly min = 1e-4,
    octaves = 30,
    bits = 6,
  ) {
    this.shift = 20 - bits;
    this.base = highWord(min) >>> this.shift;
    this.counts = new Float64Array(octaves << bits);
  }

  bucketOf(value: number): number {
    if (!(value > this.min)) return 0;
    const i = (highWord(value) >>> this.shift) - this.base;
    return i < this.counts.length ? i : this.counts.length - 1;
  }

  /** Adds `weight` observations of `value`. */
  add(value: number, weight = 1): void {
    this.counts[this.bucketOf(value)]! += weight;
    this.total += weight;
    this.sum += value * weight;
  }

  /** Adds every observation of another histogram with the same shape. */
  merge(other: LogHistogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.total += other.total;
    this.sum += other.sum;
  }

  get count(): number {
    return this.total;
  }

  /** The middle of bucket i. */
  private middle(i: number): number {
    u32[HI] = ((i + this.base) << this.shift) | (1 << (this.shift - 1));
    u32[1 - HI] = 0;
    return f64[0]!;
  }

  /** The value at quantile `q` in [0, 1]; null when empty. */
  quantile(q: number): number | null {
    if (this.total === 0) return null;
    const rank = q * this.total;
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const c = this.counts[i]!;
      seen += c;
      if (seen >= rank && c > 0) return this.middle(i);
    }
    return this.middle(this.counts.length - 1);
  }

  /** Share of observations at or below `value` (to bucket resolution). */
  cdf(value: number): number {
    if (this.total === 0) return 0;
    const b = this.bucketOf(value);
    let seen = 0;
    for (let i = 0; i <= b; i++) seen += this.counts[i]!;
    return seen / this.total;
  }
}

/** p50, p90 and p99 of a histogram, or nulls when it is empty. */
export interface Percentiles {
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

export function percentiles(h: LogHistogram): Percentiles {
  return { p50: h.quantile(0.5), p90: h.quantile(0.9), p99: h.quantile(0.99) };
}
