/**
 * The iterations a replica has planned from one iteration boundary to its next event
 * (reference simulator.md §5.2, "macro-stepping"): one mixed iteration (prefill chunks,
 * with or without decodes) of a known length, or a run of pure-decode steps. While the
 * batch is pure decode and nothing joins, step j of a run lasts `A + max(m0 + g·j, comp)`,
 * so a run of k steps has a closed-form length, and the last step boundary before any
 * time is found from its inverse.
 * @module
 */
import type { GpuProfile } from '../gpu/gpuProfile.js';

export class IterationRun {
  /** The boundary the run starts at, s. */
  start = 0;
  /** Steps planned, and `seconds(steps)`: the run's end is `start + endSeconds`. */
  steps = 0;
  endSeconds = 0;
  /** Steps already applied to the replica's state, and `seconds(applied)`. */
  applied = 0;
  appliedSeconds = 0;
  /** One mixed iteration of `mixedSeconds` rather than decode steps. */
  mixed = false;
  mixedSeconds = 0;
  private a = 0;
  private comp = 0;
  private m0 = 0;
  private g = 0;
  private jStar = 0;

  /** Time from the run's start to the end of its k-th step, s. */
  seconds(k: number): number {
    if (this.mixed) return k * this.mixedSeconds;
    const j = this.jStar;
    if (k <= j) return k * (this.a + this.comp);
    return k * this.a + j * this.comp + (k - j) * this.m0 + (this.g * (k * (k - 1) - j * (j - 1))) / 2;
  }

  /**
   * Steps of the run that end at or before t (at least `applied`: the replica asks only
   * for times at or after the applied step's end). `start + seconds(k)` never decreases
   * with k, in floating point too (every term does not decrease, and rounded sums and
   * products keep that order), so the
   * answer is the one k whose end is at or before t and whose successor's is not. It is
   * looked for from the closed form's inverse and confirmed with the same expression
   * the run's times come from, so it is exactly what a binary search finds.
   */
  stepsEndingBy(t: number): number {
    const lo = this.applied;
    const hi = this.steps;
    const start = this.start;
    if (start + this.endSeconds <= t) return hi;
    let k = this.estimateSteps(t - start);
    if (!(k > lo)) k = lo;
    else if (k >= hi) k = hi - 1;
    if (start + this.seconds(k) <= t) {
      while (k + 1 < hi && start + this.seconds(k + 1) <= t) k++;
    } else if (k > lo) {
      do k--;
      while (k > lo && start + this.seconds(k) > t);
    }
    return k;
  }

  /** About how many decode steps fit in `elapsed` seconds (the inverse of `seconds`, rounded down). */
  private estimateSteps(elapsed: number): number {
    const j = this.jStar;
    const flat = this.a + this.comp;
    if (elapsed <= j * flat) return Math.floor(elapsed / flat);
    // k·a + j·comp + (k − j)·m0 + g·(k(k−1) − j(j−1))/2 = elapsed, a quadratic in k.
    const half = this.g / 2;
    const b = this.a + this.m0 - half;
    const c = j * this.comp - j * this.m0 - half * j * (j - 1) - elapsed;
    if (half === 0) return Math.floor(-c / b);
    return Math.floor((-b + Math.sqrt(b * b - 4 * half * c)) / (2 * half));
  }

  /** A new run from the boundary at `start`, nothing applied yet. */
  begin(start: number): void {
    this.start = start;
    this.applied = 0;
    this.appliedSeconds = 0;
  }

  /** Time from the run's start to the end of its j-th step (`endSeconds` for the last). */
  secondsTo(j: number): number {
    return j === this.steps ? this.endSeconds : this.seconds(j);
  }

  /** The run is one mixed iteration lasting `seconds`. */
  planMixed(seconds: number): void {
    this.mixed = true;
    this.steps = 1;
    this.mixedSeconds = seconds;
    this.endSeconds = this.seconds(1);
  }

  /** The run now ends after its `steps`-th step (an arrival split it). */
  cut(steps: number): void {
    this.steps = steps;
    this.endSeconds = this.seconds(steps);
  }

  /** The run is `steps` decode steps of `batch` sequences holding `ctxSum` KV tokens at its start. */
  planDecode(gpu: GpuProfile, steps: number, batch: number, ctxSum: number): void {
    this.mixed = false;
    this.steps = steps;
    this.a = gpu.overheadSeconds + gpu.perSequenceSeconds * batch;
    this.comp = gpu.computeSecondsPerToken * batch;
    this.m0 = gpu.weightReadSeconds + gpu.kvReadSecondsPerToken * ctxSum;
    this.g = gpu.kvReadSecondsPerToken * batch;
    this.jStar = this.m0 >= this.comp ? 0 : this.g > 0 ? Math.ceil((this.comp - this.m0) / this.g) : Infinity;
    this.endSeconds = this.seconds(steps);
  }
}
