/**
 * A run's timeline: per window of `windowSeconds`, the arrivals and the time-weighted
 * mean of ready and billed pods and the replica-seconds below the need curve, plus every
 * change of the ready count. The pod counts are integrated over time up to each change.
 * @module
 */
export class Timeline {
  /** Per window: arrivals, mean ready pods, mean billed pods, replica-seconds of ready pods short of the need. */
  readonly arrivals: Float64Array;
  readonly ready: Float64Array;
  readonly billed: Float64Array;
  readonly underReplicaSeconds: Float64Array;
  /** Every change of the ready count: time (s) and the new count. */
  readonly readyChanges = { t: [] as number[], ready: [] as number[] };
  readyPods = 0;
  billedPods = 0;
  maxReady = 0;
  /** Periods with no billed pod at all (scaled to zero) and their total length, s; counted when they end. */
  zeroPeriods = 0;
  zeroSeconds = 0;
  /** Start of the current period without pods; null while there are some. */
  private zeroSince: number | null = 0;
  private readonly windowCount: number;
  private lastT = 0;
  private window = 0;

  constructor(
    durationSeconds: number,
    private readonly windowSeconds: number,
    /** Replicas needed per window; empty: not measured. */
    private readonly need: ArrayLike<number>,
  ) {
    this.windowCount = Math.ceil(durationSeconds / windowSeconds);
    this.arrivals = new Float64Array(this.windowCount);
    this.ready = new Float64Array(this.windowCount);
    this.billed = new Float64Array(this.windowCount);
    this.underReplicaSeconds = new Float64Array(this.windowCount);
  }

  arrival(t: number): void {
    const w = Math.floor(t / this.windowSeconds);
    if (w < this.windowCount) this.arrivals[w]!++;
  }

  changeReady(delta: number, t: number): void {
    this.integrate(t);
    this.readyPods += delta;
    if (this.readyPods > this.maxReady) this.maxReady = this.readyPods;
    this.readyChanges.t.push(t);
    this.readyChanges.ready.push(this.readyPods);
  }

  changeBilled(delta: number, t: number): void {
    this.integrate(t);
    this.billedPods += delta;
    if (this.billedPods > 0 && this.zeroSince !== null) this.endZero(t);
    else if (this.billedPods === 0 && this.zeroSince === null) this.zeroSince = t;
  }

  private endZero(t: number): void {
    const length = t - this.zeroSince!;
    if (length > 0) {
      this.zeroPeriods++;
      this.zeroSeconds += length;
    }
    this.zeroSince = null;
  }

  /** The window that ends at t is over. */
  closeWindow(t: number): void {
    this.integrate(t);
    this.finishWindow(this.window, t);
    this.window++;
  }

  /** The run ends at t (possibly within a window). */
  finish(t: number): void {
    this.integrate(t);
    if (this.zeroSince !== null) this.endZero(t);
    if (this.window < this.windowCount) this.finishWindow(this.window, t);
  }

  private integrate(t: number): void {
    const dt = t - this.lastT;
    if (dt <= 0) return;
    const w = this.window;
    if (w < this.windowCount) {
      this.ready[w]! += this.readyPods * dt;
      this.billed[w]! += this.billedPods * dt;
      const need = this.need[w] ?? 0;
      if (need > this.readyPods) this.underReplicaSeconds[w]! += (need - this.readyPods) * dt;
    }
    this.lastT = t;
  }

  private finishWindow(w: number, t: number): void {
    const length = t - w * this.windowSeconds;
    if (length > 0) {
      this.ready[w]! /= length;
      this.billed[w]! /= length;
    }
  }
}
