/**
 * The iterations a replica has planned from one iteration boundary to its next event
 * (reference simulator.md §5.2, "macro-stepping"): one mixed iteration (prefill chunks,
 * with or without decodes) of a known length, or a run of pure-decode steps. While the
 * batch is pure decode and nothing joins, step j of a run lasts `A + max(m0 + g·j, comp)`,
 * so a run of k steps has a closed-form length, and the last step boundary before any
 * time is found by binary search.
 * @module
 */
import type { GpuProfile } from '../gpu/gpuProfile.js';

export class IterationRun {
  /** The boundary the run starts at, s. */
  start = 0;
  /** Steps planned. */
  steps = 0;
  /** Steps already applied to the replica's state. */
  applied = 0;
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

  /** Steps of the run that end at or before t. */
  stepsEndingBy(t: number): number {
    let lo = this.applied;
    let hi = this.steps;
    if (this.start + this.seconds(hi) <= t) return hi;
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (this.start + this.seconds(mid) <= t) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** A new run from the boundary at `start`, nothing applied yet. */
  begin(start: number): void {
    this.start = start;
    this.applied = 0;
  }

  /** The run is one mixed iteration lasting `seconds`. */
  planMixed(seconds: number): void {
    this.mixed = true;
    this.steps = 1;
    this.mixedSeconds = seconds;
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
  }
}
