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
import type { Observation, PodSample, Scaler, ScalerState } from '@prescale/core';
import type { GpuProfile } from '../gpu/gpuProfile.js';
import { LogHistogram } from '../stats/logHistogram.js';
import type { ArrivalSource } from '../workload/arrivals.js';
import { type ColdStartModel, coldStartRandom, sampleColdStart } from './coldStart.js';
import { Replica, type ReplicaSink } from './replica.js';
import { ReplicaHeap } from './replicaHeap.js';
import { RequestPool } from './requestPool.js';
import { metricNames, podMetricValues, type VllmVersion } from './vllmMetrics.js';

export type RouterName = 'least-request' | 'round-robin';
export const ROUTERS: readonly RouterName[] = ['least-request', 'round-robin'];

/** What decides the replica count. */
export type Controller =
  | { kind: 'scaler'; scaler: Scaler; /** A state to start from (a scaler that took warm-up history); default `scaler.init`. */ state?: ScalerState }
  | { kind: 'schedule'; /** Replicas wanted in each timeline window. */ replicas: ArrayLike<number> };

export interface RunOptions {
  name: string;
  arrivals: ArrivalSource;
  /** Simulated time, s. */
  durationSeconds: number;
  /** Epoch ms of simulated time 0 (what the scaler's clock reads). */
  startMs: number;
  seed: number;
  gpu: GpuProfile;
  controller: Controller;
  /** The controller's loop period, s. */
  loopSeconds: number;
  /** Age of the metrics a decision reads, s (scrape at t − lag for a decision at t). */
  scrapeLagSeconds: number;
  initialReplicas: number;
  coldStart: ColdStartModel;
  router: RouterName;
  /** How long a draining pod may finish its requests before it is killed, s. */
  drainGraceSeconds: number;
  vllmVersion: VllmVersion;
  /** Timeline window, s (need curve, under-provisioning, charts). */
  windowSeconds: number;
  /** Replicas needed in each window (for under-provisioned replica-minutes); empty: not measured. */
  need: ArrayLike<number>;
  /** Windows per point of the TTFT-over-time chart. */
  chartWindows: number;
  slo: { ttftSeconds: number; tpotSeconds: number };
  /** Called now and then with the share of simulated time done. */
  onProgress?: (fraction: number) => void;
}

export interface RunOutput {
  name: string;
  gpuSeconds: number;
  arrived: number;
  completed: number;
  aborted: number;
  sloMet: number;
  preemptions: number;
  ttft: LogHistogram;
  tpot: LogHistogram;
  interToken: LogHistogram;
  e2e: LogHistogram;
  /** Per timeline window. */
  windows: { arrivals: Float64Array; ready: Float64Array; billed: Float64Array; underReplicaSeconds: Float64Array };
  /** TTFT of the requests arriving in each chart window. */
  ttftByChartWindow: LogHistogram[];
  /** Every change of the ready count: time (s) and the new count. */
  readyChanges: { t: number[]; ready: number[] };
  decisions: number;
  scaleActions: number;
  directionChanges: number;
  maxReady: number;
  maxReplicas: number;
  /** Pods created over the run (including the initial ones). */
  podsCreated: number;
  /** Means over the scrapes of the ready pods: running requests, waiting requests, KV-cache usage. */
  meanRunning: number;
  meanWaiting: number;
  meanKvCacheUsage: number;
}

export function runSimulation(o: RunOptions): RunOutput {
  return new Simulation(o).run();
}

const MS = 1000;

class Simulation implements ReplicaSink {
  private readonly pool = new RequestPool();
  private readonly heap = new ReplicaHeap();
  private readonly replicas: Replica[] = [];
  /** Pods not terminated, in creation order. */
  private live: Replica[] = [];
  private readonly ready: Replica[] = [];
  /** Created and not yet draining or terminated: what `spec.replicas` counts. */
  private active = 0;
  private billed = 0;
  private readyCount = 0;
  private readonly gateway: number[] = [];
  private roundRobin = 0;
  private podIndex = 0;

  // Lifecycle events: pods becoming ready and drains timing out.
  private readonly lifecycle: Array<{ t: number; replica: Replica; kind: 'ready' | 'kill' }> = [];
  private nextLifecycleT = Infinity;

  // Statistics
  private readonly ttft = new LogHistogram();
  private readonly tpot = new LogHistogram();
  private readonly interTokenHist = new LogHistogram();
  private readonly e2e = new LogHistogram();
  private completedCount = 0;
  private abortedCount = 0;
  private sloMet = 0;
  private arrived = 0;
  private readonly windowCount: number;
  private readonly wArrivals: Float64Array;
  private readonly wReady: Float64Array;
  private readonly wBilled: Float64Array;
  private readonly wUnder: Float64Array;
  private readonly chartTtft: LogHistogram[] = [];
  private readonly readyChanges = { t: [] as number[], ready: [] as number[] };
  private lastT = 0;
  private window = 0;
  private decisions = 0;
  private scaleActions = 0;
  private directionChanges = 0;
  private lastDirection = 0;
  private maxReady = 0;
  private maxActive = 0;
  private readonly ttftLimit: number;
  private readonly tpotLimit: number;
  private readonly chartSeconds: number;

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
  private readonly names: ReturnType<typeof metricNames>;

  constructor(private readonly o: RunOptions) {
    this.windowCount = Math.ceil(o.durationSeconds / o.windowSeconds);
    this.wArrivals = new Float64Array(this.windowCount);
    this.wReady = new Float64Array(this.windowCount);
    this.wBilled = new Float64Array(this.windowCount);
    this.wUnder = new Float64Array(this.windowCount);
    this.chartSeconds = o.windowSeconds * o.chartWindows;
    const charts = Math.ceil(o.durationSeconds / this.chartSeconds);
    for (let i = 0; i < charts; i++) this.chartTtft.push(new LogHistogram(1e-3, 24, 3));
    this.names = metricNames(o.vllmVersion);
    this.ttftLimit = o.slo.ttftSeconds;
    this.tpotLimit = o.slo.tpotSeconds;
  }

  // ---- ReplicaSink -----------------------------------------------------------------

  completed(req: number, time: number): void {
    const pool = this.pool;
    const arrival = pool.arrival[req]!;
    const first = pool.firstToken[req]!;
    const ttft = first - arrival;
    const out = pool.output[req]!;
    const tpot = out > 1 ? (time - first) / (out - 1) : 0;
    this.ttft.add(ttft);
    if (out > 1) this.tpot.add(tpot);
    this.e2e.add(time - arrival);
    this.completedCount++;
    if (ttft <= this.ttftLimit && tpot <= this.tpotLimit) this.sloMet++;
    const c = Math.floor(arrival / this.chartSeconds);
    if (c < this.chartTtft.length) this.chartTtft[c]!.add(ttft);
    pool.release(req);
  }

  aborted(req: number): void {
    this.abortedCount++;
    this.pool.release(req);
  }

  interToken(seconds: number, count: number): void {
    this.interTokenHist.add(seconds, count);
  }

  // ---- the run -------------------------------------------------------------------

  run(): RunOutput {
    const o = this.o;
    const end = o.durationSeconds;
    for (let i = 0; i < o.initialReplicas; i++) this.createPod(0, true);
    if (o.controller.kind === 'scaler') {
      this.scalerState = o.controller.state ?? o.controller.scaler.init({ now: this.epochMs(0), readyPods: o.initialReplicas });
    }
    const arrivals = o.arrivals;
    let tArrival = arrivals.next() ? arrivals.time : Infinity;
    let nextDecide = o.loopSeconds;
    let nextScrape = nextDecide - o.scrapeLagSeconds;
    let nextWindow = o.windowSeconds;
    let progressAt = 0;
    let steps = 0;
    const heap = this.heap;
    for (;;) {
      const tControl = Math.min(nextScrape, nextDecide, nextWindow, this.nextLifecycleT);
      const t = Math.min(tArrival, tControl, end);
      while (heap.topTime() <= t) this.endRun(heap.top());
      if (t >= end) break;
      if (tControl <= tArrival) {
        if (t === nextScrape) {
          this.scrape(t);
          nextScrape += o.loopSeconds;
        } else if (t === nextDecide) {
          this.decide(t);
          nextDecide += o.loopSeconds;
        } else if (t === nextWindow) {
          this.closeWindow(t);
          nextWindow += o.windowSeconds;
        } else {
          this.runLifecycle(t);
        }
        continue;
      }
      this.arrive(tArrival, arrivals.input, arrivals.output);
      tArrival = arrivals.next() ? arrivals.time : Infinity;
      if (o.onProgress !== undefined && ++steps - progressAt >= 100_000) {
        progressAt = steps;
        o.onProgress(t / end);
      }
    }
    this.integrate(end);
    if (this.window < this.windowCount) this.finishWindow(this.window, end);
    const gpuSeconds = this.replicas.reduce((s, r) => s + Math.max(0, Math.min(r.terminatedAt, end) - r.createdAt), 0);
    // Drain: no more arrivals or decisions; what is in flight runs to completion.
    for (const r of this.gateway.splice(0)) this.aborted(r);
    while (heap.topTime() < Infinity) this.endRun(heap.top());
    o.onProgress?.(1);
    return {
      name: o.name,
      gpuSeconds,
      arrived: this.arrived,
      completed: this.completedCount,
      aborted: this.abortedCount,
      sloMet: this.sloMet,
      preemptions: this.replicas.reduce((s, r) => s + r.metrics.preemptions, 0),
      ttft: this.ttft,
      tpot: this.tpot,
      interToken: this.interTokenHist,
      e2e: this.e2e,
      windows: { arrivals: this.wArrivals, ready: this.wReady, billed: this.wBilled, underReplicaSeconds: this.wUnder },
      ttftByChartWindow: this.chartTtft,
      readyChanges: this.readyChanges,
      decisions: this.decisions,
      scaleActions: this.scaleActions,
      directionChanges: this.directionChanges,
      maxReady: this.maxReady,
      maxReplicas: this.maxActive,
      podsCreated: this.podIndex,
      meanRunning: this.runningSum / Math.max(1, this.gaugeSamples),
      meanWaiting: this.waitingSum / Math.max(1, this.gaugeSamples),
      meanKvCacheUsage: this.kvSum / Math.max(1, this.gaugeSamples),
    };
  }

  private epochMs(t: number): number {
    return Math.round(this.o.startMs + t * MS);
  }

  private endRun(r: Replica): void {
    r.endRun();
    if (r.phase === 'draining' && r.idle) this.terminate(r, r.clock);
    else this.heap.update(r);
  }

  private arrive(t: number, input: number, output: number): void {
    const req = this.pool.alloc(t, input, output);
    this.arrived++;
    this.arrivalsSinceDecision++;
    const w = Math.floor(t / this.o.windowSeconds);
    if (w < this.windowCount) this.wArrivals[w]!++;
    const r = this.route();
    if (r === null) {
      this.gateway.push(req);
      return;
    }
    if (r.enqueue(req, t)) this.heap.update(r);
  }

  private route(): Replica | null {
    const ready = this.ready;
    const n = ready.length;
    if (n === 0) return null;
    if (this.o.router === 'round-robin') return ready[this.roundRobin++ % n]!;
    let best = ready[0]!;
    let least = best.outstanding;
    for (let i = 1; i < n; i++) {
      const r = ready[i]!;
      const v = r.outstanding;
      if (v < least || (v === least && r.id < best.id)) {
        best = r;
        least = v;
      }
    }
    return best;
  }

  // ---- integrals over time ---------------------------------------------------------

  private integrate(t: number): void {
    const dt = t - this.lastT;
    if (dt <= 0) return;
    const w = this.window;
    if (w < this.windowCount) {
      this.wReady[w]! += this.readyCount * dt;
      this.wBilled[w]! += this.billed * dt;
      const need = this.o.need[w] ?? 0;
      if (need > this.readyCount) this.wUnder[w]! += (need - this.readyCount) * dt;
    }
    this.lastT = t;
  }

  private closeWindow(t: number): void {
    this.integrate(t);
    this.finishWindow(this.window, t);
    this.window++;
  }

  private finishWindow(w: number, t: number): void {
    const length = t - w * this.o.windowSeconds;
    if (length > 0) {
      this.wReady[w]! /= length;
      this.wBilled[w]! /= length;
    }
  }

  private setReady(delta: number, t: number): void {
    this.integrate(t);
    this.readyCount += delta;
    if (this.readyCount > this.maxReady) this.maxReady = this.readyCount;
    this.readyChanges.t.push(t);
    this.readyChanges.ready.push(this.readyCount);
  }

  // ---- pods ----------------------------------------------------------------------

  private createPod(t: number, alreadyReady: boolean): void {
    const index = this.podIndex++;
    const r = new Replica(this.replicas.length, `sim-${index}`, this.o.gpu, this.pool, this);
    r.createdAt = t;
    this.replicas.push(r);
    this.live.push(r);
    this.integrate(t);
    this.billed++;
    this.active++;
    if (this.active > this.maxActive) this.maxActive = this.active;
    if (alreadyReady) {
      r.containerStartAt = t;
      this.becomeReady(r, t);
      return;
    }
    const cold = sampleColdStart(this.o.coldStart, coldStartRandom(this.o.seed, index));
    r.containerStartAt = t + cold.containerStart;
    r.readyAt = t + cold.ready;
    this.schedule(r.readyAt, r, 'ready');
  }

  private schedule(t: number, replica: Replica, kind: 'ready' | 'kill'): void {
    this.lifecycle.push({ t, replica, kind });
    if (t < this.nextLifecycleT) this.nextLifecycleT = t;
  }

  private becomeReady(r: Replica, t: number): void {
    r.phase = 'ready';
    r.readyAt = t;
    r.clock = t;
    r.readyIndex = this.ready.length;
    this.ready.push(r);
    this.heap.insert(r);
    this.setReady(+1, t);
    while (this.gateway.length > 0) {
      const req = this.gateway.shift()!;
      const target = this.route()!;
      if (target.enqueue(req, t)) this.heap.update(target);
    }
  }

  private removeFromReady(r: Replica, t: number): void {
    const i = r.readyIndex;
    const last = this.ready.pop()!;
    if (last !== r) {
      this.ready[i] = last;
      last.readyIndex = i;
    }
    r.readyIndex = -1;
    this.setReady(-1, t);
  }

  private terminate(r: Replica, t: number): void {
    if (r.phase === 'ready') this.removeFromReady(r, t);
    this.integrate(t);
    r.phase = 'terminated';
    r.terminatedAt = t;
    this.billed--;
    this.heap.remove(r);
    this.live = this.live.filter((x) => x !== r);
  }

  private runLifecycle(t: number): void {
    for (let i = 0; i < this.lifecycle.length; i++) {
      const e = this.lifecycle[i]!;
      if (e.t !== t) continue;
      this.lifecycle.splice(i--, 1);
      const r = e.replica;
      if (e.kind === 'ready' && r.phase === 'starting') this.becomeReady(r, t);
      else if (e.kind === 'kill' && r.phase === 'draining') {
        r.abortAll(t);
        this.terminate(r, t);
      }
    }
    this.nextLifecycleT = Infinity;
    for (const e of this.lifecycle) if (e.t < this.nextLifecycleT) this.nextLifecycleT = e.t;
  }

  /** Scales to `desired` pods: new pods cold-start; surplus pods go, those not yet ready first. */
  private scaleTo(desired: number, t: number): void {
    if (desired === this.active) return;
    const direction = desired > this.active ? 1 : -1;
    this.scaleActions++;
    if (this.lastDirection !== 0 && direction !== this.lastDirection) this.directionChanges++;
    this.lastDirection = direction;
    while (this.active < desired) this.createPod(t, false);
    if (this.active <= desired) return;
    // Starting pods first, newest first.
    for (let i = this.live.length - 1; i >= 0 && this.active > desired; i--) {
      const r = this.live[i]!;
      if (r.phase !== 'starting') continue;
      this.active--;
      this.terminate(r, t);
    }
    while (this.active > desired) {
      // Then the ready pod with the fewest requests (newest on ties).
      let victim = this.ready[0]!;
      for (const r of this.ready) {
        if (r.outstanding < victim.outstanding || (r.outstanding === victim.outstanding && r.id > victim.id)) victim = r;
      }
      this.active--;
      this.removeFromReady(victim, t);
      victim.phase = 'draining';
      if (victim.idle) this.terminate(victim, t);
      else this.schedule(t + this.o.drainGraceSeconds, victim, 'kill');
    }
  }

  // ---- the control loop ----------------------------------------------------------

  private scrape(t: number): void {
    const values = new Map<number, Readonly<Record<string, number>>>();
    for (const r of this.ready) {
      r.syncTo(t);
      const g = r.gauges();
      this.gaugeSamples++;
      this.runningSum += g.running;
      this.waitingSum += g.waiting;
      this.kvSum += g.kvCacheUsage;
      values.set(r.id, podMetricValues(g, r.metrics, this.names));
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
    const { state, decision } = o.controller.scaler.step(this.scalerState!, observation);
    this.scalerState = state;
    this.scaleTo(decision.desiredReplicas, t);
  }
}
