/**
 * Warm capacity (issue 21, item 5): GPU nodes kept provisioned with the serving image
 * and the model's weights cached, so a pod placed on one skips node provisioning, the
 * image pull and the weight download, and only starts its engine and passes its
 * readiness probe (reference simulator.md §2.5, "warm node": ≈ 1.5–2.5 min instead of
 * ≈ 5–6). In Kubernetes this is a low-priority placeholder ("balloon") Deployment that
 * holds the nodes: a serving pod preempts a placeholder and starts at once, and the
 * evicted placeholder orders a new node, warm again one node-provisioning time later.
 *
 * The pool here does the same: `target` slots, each warm from a given time; a pod takes a
 * warm slot if one is free (the slot leaves the pool: the node now hosts the pod, which is
 * billed as any pod) and the pool orders a replacement at once, warm after
 * `refillSeconds`. Every slot in the pool, warm or still being provisioned, is billed
 * from when it was ordered until it is taken or the pool shrinks: `slotSeconds`. A
 * pool shared by several models' simulations is one object they all call.
 * @module
 */
import { SimulatorError } from '../errors.js';

export class WarmPool {
  /** When each slot in the pool is (or will be) warm, s. */
  private readonly warmAt: number[] = [];
  private target = 0;
  private lastT = 0;
  /** Slot-seconds billed so far (warm or being provisioned). */
  slotSeconds = 0;
  /** Pods that started on a warm slot, and pods that found none free. */
  taken = 0;
  missed = 0;
  /** The most slots the pool held at once. */
  maxSize = 0;

  /**
   * @param size slots at time 0, warm from the start.
   * @param refillSeconds how long a new slot takes to become warm (node provisioning, image pull, weight download).
   */
  constructor(
    size: number,
    private readonly refillSeconds: number,
  ) {
    if (!Number.isInteger(size) || size < 0) throw new SimulatorError('InvalidConfig', 'pool.size', size, 'must be a whole number of nodes ≥ 0');
    if (!(refillSeconds >= 0) || !Number.isFinite(refillSeconds)) throw new SimulatorError('InvalidConfig', 'pool.refillSeconds', refillSeconds, 'must be a duration ≥ 0');
    this.target = size;
    for (let i = 0; i < size; i++) this.warmAt.push(0);
    this.maxSize = size;
  }

  /** Slots in the pool now (warm or being provisioned). */
  get size(): number {
    return this.warmAt.length;
  }

  private integrate(t: number): void {
    if (t > this.lastT) {
      this.slotSeconds += this.warmAt.length * (t - this.lastT);
      this.lastT = t;
    }
  }

  /** Keeps `target` slots from t: new ones are ordered (warm after `refillSeconds`); surplus ones go, those still provisioning first. */
  resize(target: number, t: number): void {
    if (!Number.isInteger(target) || target < 0) throw new SimulatorError('InvalidConfig', 'pool.size', target, 'must be a whole number of nodes ≥ 0');
    this.integrate(t);
    this.target = target;
    while (this.warmAt.length < target) this.warmAt.push(t + this.refillSeconds);
    if (this.warmAt.length > target) {
      this.warmAt.sort((a, b) => a - b);
      this.warmAt.length = target;
    }
    if (this.warmAt.length > this.maxSize) this.maxSize = this.warmAt.length;
  }

  /** A pod created at t: true when it takes a warm slot (and a replacement is ordered). */
  take(t: number): boolean {
    this.integrate(t);
    let best = -1;
    for (let i = 0; i < this.warmAt.length; i++) if (this.warmAt[i]! <= t && (best < 0 || this.warmAt[i]! < this.warmAt[best]!)) best = i;
    if (best < 0) {
      this.missed++;
      return false;
    }
    this.warmAt.splice(best, 1);
    this.taken++;
    if (this.warmAt.length < this.target) this.warmAt.push(t + this.refillSeconds);
    return true;
  }

  /** Bills the pool up to t (the end of the run). */
  finish(t: number): void {
    this.integrate(t);
  }
}
