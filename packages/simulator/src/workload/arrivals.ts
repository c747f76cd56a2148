/**
 * Streams of arrivals, one pending at a time (reference simulator.md §5.1: never preload
 * millions of requests). A count series spreads each bin's n arrivals as a Poisson
 * process conditioned on n (uniform order statistics, drawn as normalised exponential
 * spacings); a request trace replays its rows. Token lengths come from the trace or a
 * {@link LengthDistribution}. Every stream is seeded, so the same seed gives the same
 * requests in every run of a comparison.
 * @module
 */
import type { BinnedSeries } from '@prescale/core';
import { Random, STREAMS } from '../random/prng.js';
import { clipToContext, type LengthDistribution } from './lengths.js';
import type { RequestTrace } from './requestTrace.js';

/** The next arrival: `time` (s from the start of the simulation), `input`, `output` tokens. */
export interface ArrivalSource {
  time: number;
  input: number;
  output: number;
  /** Moves to the next arrival; false when there are no more. */
  next(): boolean;
  /**
   * Moves to the next arrival setting only `time` (the tokens are not drawn; the times
   * are those `next` gives, from their own random stream): for counting arrivals.
   */
  nextTime?(): boolean;
}

/** Arrivals spread within the bins of a count series, from `fromSeconds` to `toSeconds` of the series. */
export class CountArrivals implements ArrivalSource {
  time = 0;
  input = 0;
  output = 0;
  private readonly random: Random;
  private readonly lengthRandom: Random;
  private bin: number;
  private readonly lastBin: number;
  private buffer = new Float64Array(256);
  private n = 0;
  private k = 0;

  constructor(
    private readonly series: BinnedSeries,
    private readonly lengths: LengthDistribution,
    private readonly maxModelLen: number,
    seed: number,
    private readonly fromSeconds: number,
    private readonly toSeconds: number,
  ) {
    this.random = new Random(seed, STREAMS.arrivals);
    this.lengthRandom = new Random(seed, STREAMS.lengths);
    const binSeconds = series.binMs / 1000;
    this.bin = Math.floor(fromSeconds / binSeconds) - 1;
    this.lastBin = Math.min(series.values.length, Math.ceil(toSeconds / binSeconds)) - 1;
  }

  next(): boolean {
    if (!this.nextTime()) return false;
    this.lengths.sample(this.lengthRandom, this);
    clipToContext(this, this.maxModelLen);
    return true;
  }

  nextTime(): boolean {
    for (;;) {
      while (this.k >= this.n) {
        if (this.bin >= this.lastBin) return false;
        this.fillBin(++this.bin);
      }
      const t = this.buffer[this.k++]!;
      if (t < this.fromSeconds || t >= this.toSeconds) continue;
      this.time = t - this.fromSeconds;
      return true;
    }
  }

  private fillBin(i: number): void {
    const count = this.series.values[i] ?? 0;
    const n = Math.round(count);
    this.n = n;
    this.k = 0;
    if (n === 0) return;
    if (this.buffer.length < n + 1) this.buffer = new Float64Array(Math.max(n + 1, this.buffer.length * 2));
    const b = this.buffer;
    let sum = 0;
    for (let j = 0; j <= n; j++) {
      sum -= Math.log(1 - this.random.uniform());
      b[j] = sum;
    }
    const binSeconds = this.series.binMs / 1000;
    const scale = binSeconds / sum;
    const start = i * binSeconds;
    for (let j = 0; j < n; j++) b[j] = start + b[j]! * scale;
  }
}

/** The rows of a request trace from `fromSeconds` to `toSeconds`, shifted to start at 0. */
export class TraceArrivals implements ArrivalSource {
  time = 0;
  input = 0;
  output = 0;
  private i: number;

  constructor(
    private readonly trace: RequestTrace,
    private readonly maxModelLen: number,
    private readonly fromSeconds: number,
    private readonly toSeconds: number,
  ) {
    let i = 0;
    while (i < trace.offsets.length && trace.offsets[i]! < fromSeconds) i++;
    this.i = i;
  }

  next(): boolean {
    const t = this.trace;
    if (this.i >= t.offsets.length || t.offsets[this.i]! >= this.toSeconds) return false;
    this.time = t.offsets[this.i]! - this.fromSeconds;
    this.input = t.inputs[this.i]!;
    this.output = t.outputs[this.i]!;
    this.i++;
    clipToContext(this, this.maxModelLen);
    return true;
  }
}

/** A steady Poisson stream at `rps` for `durationSeconds` (the capacity profile's load). */
export class PoissonArrivals implements ArrivalSource {
  time = 0;
  input = 0;
  output = 0;
  private readonly random: Random;
  private readonly lengthRandom: Random;
  private t = 0;

  constructor(
    private readonly rps: number,
    private readonly durationSeconds: number,
    private readonly lengths: LengthDistribution,
    private readonly maxModelLen: number,
    seed: number,
  ) {
    this.random = new Random(seed, STREAMS.arrivals);
    this.lengthRandom = new Random(seed, STREAMS.lengths);
  }

  next(): boolean {
    this.t += this.random.exponential(1 / this.rps);
    if (this.t >= this.durationSeconds) return false;
    this.time = this.t;
    this.lengths.sample(this.lengthRandom, this);
    clipToContext(this, this.maxModelLen);
    return true;
  }
}
