/**
 * The activator: where requests wait while no replica is ready (a model scaled to zero,
 * or one whose replicas are all still starting), as Knative's activator holds requests
 * for a revision at zero (reference/knative-hpa.md A.6–A.7.3) and reports them to the
 * autoscaler as load. The queue is bounded (a request that finds it full is rejected at
 * once) and each request waits at most `timeoutSeconds` (then it fails, as a client or a
 * gateway timeout would end it). Requests leave in arrival order once a replica is
 * ready; their TTFT counts from their arrival, so it includes the wait.
 * @module
 */
import { SimulatorError } from '../errors.js';
import { IdQueue, type RequestPool } from './requestPool.js';

export interface ActivatorOptions {
  /** Requests the queue holds; one more is rejected. */
  capacity: number;
  /** How long a request may wait for a ready replica before it fails, s. */
  timeoutSeconds: number;
}

/**
 * Defaults: room for 10,000 requests (far more than an idle model receives during a
 * cold start) and a 10-minute timeout, Knative's longest revision timeout
 * (`max-revision-timeout-seconds` 600), longer than a 6-minute cold start so that a
 * request which wakes a model is served rather than failed.
 */
export const ACTIVATOR_DEFAULTS: ActivatorOptions = { capacity: 10_000, timeoutSeconds: 600 };

/** Checks activator settings. @throws SimulatorError naming the field. */
export function checkActivator(o: ActivatorOptions): ActivatorOptions {
  if (!Number.isInteger(o.capacity) || o.capacity < 0) throw new SimulatorError('InvalidConfig', 'activator.capacity', o.capacity, 'must be a whole number of requests ≥ 0');
  if (!(o.timeoutSeconds > 0) || !Number.isFinite(o.timeoutSeconds)) throw new SimulatorError('InvalidConfig', 'activator.timeoutSeconds', o.timeoutSeconds, 'must be a positive duration');
  return o;
}

/** What the activator saw over a run. */
export interface ActivatorStats {
  /** Requests that arrived while no replica was ready and waited (for a cold start, or for a replica still starting). */
  waited: number;
  /** Of those, requests that failed after waiting `timeoutSeconds`. */
  timedOut: number;
  /** Requests rejected because the queue was full. */
  rejected: number;
  /** The longest the queue was. */
  maxQueue: number;
}

export class Activator {
  private readonly queue = new IdQueue();
  readonly stats: ActivatorStats = { waited: 0, timedOut: 0, rejected: 0, maxQueue: 0 };

  constructor(
    private readonly options: ActivatorOptions,
    private readonly pool: RequestPool,
    /** Where failed requests go. */
    private readonly failed: (req: number, t: number) => void,
  ) {}

  get length(): number {
    return this.queue.length;
  }

  /** When the oldest waiting request times out, s; Infinity when none waits. */
  get nextExpiry(): number {
    return this.queue.length === 0 ? Infinity : this.pool.arrival[this.queue.peek()]! + this.options.timeoutSeconds;
  }

  /** A request that found no ready replica at t: it waits, or is rejected when the queue is full. */
  hold(req: number, t: number): void {
    if (this.queue.length >= this.options.capacity) {
      this.stats.rejected++;
      this.failed(req, t);
      return;
    }
    this.stats.waited++;
    this.queue.push(req);
    if (this.queue.length > this.stats.maxQueue) this.stats.maxQueue = this.queue.length;
  }

  /** Fails the requests that have waited `timeoutSeconds` by t. */
  expire(t: number): void {
    while (this.queue.length > 0 && this.pool.arrival[this.queue.peek()]! + this.options.timeoutSeconds <= t) {
      this.stats.timedOut++;
      this.failed(this.queue.shift(), t);
    }
  }

  /** The oldest waiting request, removed; -1 when none waits. */
  release(): number {
    return this.queue.length === 0 ? -1 : this.queue.shift();
  }
}
