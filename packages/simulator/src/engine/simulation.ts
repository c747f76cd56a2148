/**
 * One simulation run: a workload's arrivals routed to vLLM-like replicas, a controller
 * (any `@prescale/core` scaler through `createScaler`'s interface, or the oracle's
 * precomputed schedule) deciding the replica count every loop period from what an
 * operator would see, pods that cold-start in phases and drain on scale-in, and GPU
 * time billed from pod creation to termination.
 *
 * Events in time order: replica iteration boundaries (a heap keyed by the end of each
 * replica's current run), arrivals (one pending), scrapes at `t − lag` before each
 * decision at t, timeline windows, pods becoming ready and drains timing out. At equal
 * times a replica's iteration ends first, then control events, then the arrival.
 * After the end of the workload no more decisions are made and billing stops; the
 * requests in flight still run to completion so every request is counted.
 * @module
 */
import type { Observation, PodSample, ScalerState } from '@prescale/core';
import { Activator, ACTIVATOR_DEFAULTS, checkActivator } from './activator.js';
import { coldStartRandom, sampleColdStart, sampleWarmStart } from './coldStart.js';
import { scaleInVictim } from './lifecycleQueue.js';
import { PodStates } from './podStates.js';
import { Replica } from './replica.js';
import { RequestOutcomes } from './requestOutcomes.js';
import { RequestPool } from './requestPool.js';
import type { RunOptions } from './runOptions.js';
import { type RunOutput, runOutput } from './runOutput.js';
import { Timeline } from './timeline.js';
import { metricNames, podMetricValues } from './vllmMetrics.js';
import { countScaleAction, noScaleActions } from './scaleActions.js';

export type { RunOutput } from './runOutput.js';

export function runSimulation(o: RunOptions): RunOutput {
  const simulation = new Simulation(o);
  simulation.start();
  simulation.advance(Infinity);
  return simulation.finish();
}

const MS = 1000;

/**
 * A run that can be advanced in steps (`start`, `advance` to a time, `finish`), so that
 * several runs sharing something (a warm pool) can move through time together;
 * {@link runSimulation} runs one to its end.
 */
export class Simulation {
  private readonly pool = new RequestPool();
  private readonly replicas: Replica[] = [];
  /** Pods not terminated, in creation order. */
  private live: Replica[] = [];
  /** The ready pods, the iteration ends and the lifecycle events (podStates.ts, shared with the fleet run). */
  private readonly pods: PodStates;
  /** Created and not yet draining or terminated: what `spec.replicas` counts. */
  private active = 0;
  private readonly activator: Activator;
  private warmStarts = 0;
  private podIndex = 0;


  // Statistics
  private readonly outcomes: RequestOutcomes;
  private readonly timeline: Timeline;
  private arrived = 0;
  private decisions = 0;
  private readonly scaling = noScaleActions();
  private maxActive = 0;

  // Scrapes waiting for their decision (scrape lag)
  private readonly scrapes: Array<{ t: number; values: Map<number, Readonly<Record<string, number>>> }> = [];
  private scalerState: ScalerState | null = null;
  /** Arrivals since the last decision (the gateway's request count). */
  private arrivalsSinceDecision = 0;
  private lastDecision = 0;
  private gaugeSamples = 0;
  private runningSum = 0;
  private waitingSum = 0;
  private kvSum = 0;
  /** The next arrival's time, s (Infinity after the last); arrivals served, and at the last progress report. */
  private tArrival = Infinity;
  private served = 0;
  private progressAt = 0;
  /** Read on every arrival: copied out of the options (set by `run`), whose shape differs between callers. */
  private arrivals: RunOptions['arrivals'] | null = null;
  private roundRobinRouting = false;
  private readonly names: ReturnType<typeof metricNames>;

  constructor(private readonly o: RunOptions) {
    this.outcomes = new RequestOutcomes(this.pool, o.slo, o.windowSeconds * o.chartWindows, o.durationSeconds, o.windowSeconds);
    this.timeline = new Timeline(o.durationSeconds, o.windowSeconds, o.need);
    this.pods = new PodStates(this.timeline, (r) => {
      this.live = this.live.filter((x) => x !== r);
    });
    this.names = metricNames(o.vllmVersion);
    this.activator = new Activator(checkActivator(o.activator ?? ACTIVATOR_DEFAULTS), this.pool, (req) => this.outcomes.aborted(req));
  }

  private nextDecide = 0;
  private nextScrape = 0;
  private nextWindow = 0;

  // ---- the run -------------------------------------------------------------------

  /** Creates the initial pods and the scaler's state: time 0. */
  start(): void {
    const o = this.o;
    this.arrivals = o.arrivals;
    this.roundRobinRouting = o.router === 'round-robin';
    for (let i = 0; i < o.initialReplicas; i++) this.createPod(0, true);
    if (o.controller.kind === 'scaler') {
      this.scalerState = o.controller.state ?? o.controller.scaler.init({ now: this.epochMs(0), readyPods: o.initialReplicas });
    }
    this.tArrival = o.arrivals.next() ? o.arrivals.time : Infinity;
    this.nextDecide = o.loopSeconds;
    this.nextScrape = this.nextDecide - o.scrapeLagSeconds;
    this.nextWindow = o.windowSeconds;
  }

  /**
   * Runs every event before `limit` (at most the end of the workload); events at
   * `limit` itself wait for the next call, so advancing in steps gives the same run as
   * advancing at once.
   */
  advance(limit: number): void {
    const o = this.o;
    const stop = Math.min(limit, o.durationSeconds);
    const heap = this.pods.heap;
    for (;;) {
      const tControl = Math.min(this.nextScrape, this.nextDecide, this.nextWindow, this.activator.nextExpiry, this.pods.lifecycle.nextT);
      const t = Math.min(tControl, stop);
      this.serveUntil(t);
      while (heap.topTime() <= t) this.pods.endRun(heap.top());
      if (t >= stop) return;
      if (t === this.nextScrape) {
        this.scrape(t);
        this.nextScrape += o.loopSeconds;
      } else if (t === this.nextDecide) {
        this.decide(t);
        this.nextDecide += o.loopSeconds;
      } else if (t === this.nextWindow) {
        this.timeline.closeWindow(t);
        this.nextWindow += o.windowSeconds;
      } else if (t === this.activator.nextExpiry) {
        this.activator.expire(t);
      } else {
        this.pods.runDue(t, (r, at) => this.becomeReady(r, at));
      }
    }
  }

  /** Ends the run (after `advance` reached the end): bills, drains what is in flight, summarises. */
  finish(): RunOutput {
    const o = this.o;
    const end = o.durationSeconds;
    const heap = this.pods.heap;
    const timeline = this.timeline;
    timeline.finish(end);
    const gpuSeconds = this.replicas.reduce((s, r) => s + Math.max(0, Math.min(r.terminatedAt, end) - r.createdAt), 0);
    // Drain: no more arrivals or decisions; what is in flight runs to completion.
    const outcomes = this.outcomes;
    for (let req = this.activator.release(); req >= 0; req = this.activator.release()) outcomes.aborted(req);
    while (heap.topTime() < Infinity) this.pods.endRun(heap.top());
    o.onProgress?.(1);
    const counters = {
      name: o.name,
      gpuSeconds,
      arrived: this.arrived,
      replicas: this.replicas,
      decisions: this.decisions,
      scaleActions: this.scaling.actions,
      directionChanges: this.scaling.directionChanges,
      maxActive: this.maxActive,
      podsCreated: this.podIndex,
      gauges: { samples: this.gaugeSamples, running: this.runningSum, waiting: this.waitingSum, kv: this.kvSum },
    };
    return {
      ...runOutput(counters, outcomes, timeline),
      activator: { ...this.activator.stats },
      zero: { periods: timeline.zeroPeriods, seconds: timeline.zeroSeconds },
      warmStarts: this.warmStarts,
    };
  }

  /**
   * The arrivals before `limit` (the next control event or the end), each after the
   * iterations that end at or before it. A method of its own rather than the body of
   * `run`'s loop: V8 re-optimises a called function after a deoptimisation, whereas a
   * long loop that lost its on-stack-replaced code may stay in the interpreter.
   */
  private serveUntil(limit: number): void {
    const arrivals = this.arrivals!;
    const heap = this.pods.heap;
    let tArrival = this.tArrival;
    while (tArrival < limit) {
      while (heap.topTime() <= tArrival) this.pods.endRun(heap.top());
      this.arrive(tArrival, arrivals.input, arrivals.output);
      if (++this.served - this.progressAt >= 100_000 && this.o.onProgress !== undefined) {
        this.progressAt = this.served;
        this.o.onProgress(tArrival / this.o.durationSeconds);
      }
      tArrival = arrivals.next() ? arrivals.time : Infinity;
    }
    this.tArrival = tArrival;
  }

  private epochMs(t: number): number {
    return Math.round(this.o.startMs + t * MS);
  }

  private arrive(t: number, input: number, output: number): void {
    const req = this.pool.alloc(t, input, output);
    this.arrived++;
    this.arrivalsSinceDecision++;
    this.timeline.arrival(t);
    const r = this.route();
    if (r === null) {
      this.activator.hold(req, t);
      return;
    }
    if (r.enqueue(req, t)) this.pods.heap.update(r);
    this.pods.ready.refresh(r);
  }

  private route(): Replica | null {
    return this.roundRobinRouting ? this.pods.ready.roundRobin() : this.pods.ready.leastRequest();
  }

  // ---- pods ----------------------------------------------------------------------

  private createPod(t: number, alreadyReady: boolean): void {
    const index = this.podIndex++;
    const r = new Replica(this.replicas.length, `sim-${index}`, this.o.gpu, this.pool, this.outcomes, 'run');
    r.createdAt = t;
    this.replicas.push(r);
    this.live.push(r);
    this.timeline.changeBilled(+1, t);
    this.active++;
    if (this.active > this.maxActive) this.maxActive = this.active;
    if (alreadyReady) {
      r.containerStartAt = t;
      this.becomeReady(r, t);
      return;
    }
    const warm = this.o.warmPool?.take(t) ?? false;
    if (warm) this.warmStarts++;
    const random = coldStartRandom(this.o.seed, index);
    const cold = warm ? sampleWarmStart(this.o.coldStart, random) : sampleColdStart(this.o.coldStart, random);
    r.containerStartAt = t + cold.containerStart;
    r.readyAt = t + cold.ready;
    this.pods.lifecycle.push(r.readyAt, r, 'ready');
  }

  private becomeReady(r: Replica, t: number): void {
    this.pods.markReady(r, t);
    for (let req = this.activator.release(); req >= 0; req = this.activator.release()) {
      const target = this.route()!;
      if (target.enqueue(req, t)) this.pods.heap.update(target);
      this.pods.ready.refresh(target);
    }
  }

  /** Scales to `desired` pods: new pods cold-start; surplus pods go, those not yet ready first. */
  private scaleTo(desired: number, t: number): void {
    if (desired === this.active) return;
    countScaleAction(this.scaling, desired > this.active ? 1 : -1);
    while (this.active < desired) this.createPod(t, false);
    if (this.active <= desired) return;
    // Starting pods first, newest first.
    for (let i = this.live.length - 1; i >= 0 && this.active > desired; i--) {
      const r = this.live[i]!;
      if (r.phase !== 'starting') continue;
      this.active--;
      this.pods.terminate(r, t);
    }
    // Then the ready pod with the fewest requests (newest on ties).
    while (this.active > desired) {
      this.active--;
      this.pods.drain(scaleInVictim(this.pods.ready.list)!, t, this.o.drainGraceSeconds);
    }
  }

  // ---- the control loop ----------------------------------------------------------

  private scrape(t: number): void {
    const values = new Map<number, Readonly<Record<string, number>>>();
    for (const r of this.pods.ready.list) {
      r.syncTo(t);
      const g = r.gauges(t);
      this.gaugeSamples++;
      this.runningSum += g.running;
      this.waitingSum += g.waiting;
      this.kvSum += g.kvCacheUsage;
      values.set(r.id, podMetricValues(g, r.counters(t), this.names));
    }
    this.scrapes.push({ t, values });
  }

  private decide(t: number): void {
    const o = this.o;
    this.decisions++;
    if (o.controller.kind === 'schedule') {
      const w = Math.min(Math.floor(t / o.windowSeconds), o.controller.replicas.length - 1);
      this.scaleTo(o.controller.replicas[w]!, t);
      return;
    }
    // The newest scrape old enough for this decision.
    let seen: Map<number, Readonly<Record<string, number>>> = new Map();
    while (this.scrapes.length > 0 && this.scrapes[0]!.t <= t - o.scrapeLagSeconds + 1e-9) seen = this.scrapes.shift()!.values;
    const pods: PodSample[] = [];
    for (const r of this.live) {
      const metrics = seen.get(r.id) ?? {};
      if (r.phase === 'starting') pods.push({ name: r.name, phase: t < r.containerStartAt ? 'Pending' : 'Running', ready: false, metrics });
      else if (r.phase === 'ready') pods.push({ name: r.name, phase: 'Running', ready: true, metrics });
      else pods.push({ name: r.name, phase: 'Running', ready: false, deleting: true, metrics });
    }
    // The gateway's request rate over the last loop period, as an operator reads it from its ingress.
    const requestRate = this.arrivalsSinceDecision / Math.max(1e-9, t - this.lastDecision);
    this.arrivalsSinceDecision = 0;
    this.lastDecision = t;
    const observation: Observation = { now: this.epochMs(t), currentReplicas: this.active, pods, requestRate };
    // With no replica ready, the activator reports the requests it holds as the load (Knative's activator stats).
    if (o.activatorMetric !== undefined && this.pods.ready.length === 0) observation.external = { [o.activatorMetric]: this.activator.length };
    const { state, decision } = o.controller.scaler.step(this.scalerState!, observation);
    this.scalerState = state;
    this.scaleTo(decision.desiredReplicas, t);
  }
}
