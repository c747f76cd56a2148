/**
 * One run of a heterogeneous fleet (issue 19 item 4; docs/optimizer.md "Simulating a
 * fleet"): one deployment per GPU type, each of vLLM-like replicas as in
 * `runSimulation` (same replica model, cold start, drain and billing), behind one router,
 * and a controller that sets every type's replica count at once.
 *
 * The router (`FleetRouter`) sends each request to the least-loaded ready replica able
 * to serve it; when none is ready, it waits at the gateway until one is.
 *
 * The timeline's ready and billed counts are the fleet's totals; GPU time and cost are
 * also kept per type. Gauges (running, waiting, KV usage) are sampled at each decision.
 * @module
 */
import type { TokenGrid } from '@prescale/core';
import { coldStartRandom, type ColdStartModel, sampleColdStart } from '../engine/coldStart.js';
import { type LifecycleQueue, scaleInVictim } from '../engine/lifecycleQueue.js';
import { PodStates } from '../engine/podStates.js';
import type { ReadyReplicas } from '../engine/readyReplicas.js';
import { Replica } from '../engine/replica.js';
import type { ReplicaHeap } from '../engine/replicaHeap.js';
import { RequestOutcomes } from '../engine/requestOutcomes.js';
import { RequestPool } from '../engine/requestPool.js';
import { type RunOutput, runOutput } from '../engine/runOutput.js';
import { Timeline } from '../engine/timeline.js';
import { FleetRouter } from './fleetRouter.js';
import type { GpuProfile } from '../gpu/gpuProfile.js';
import type { ArrivalSource } from '../workload/arrivals.js';
import { countScaleAction, noScaleActions } from '../engine/scaleActions.js';

/** One GPU type's deployment. */
export interface FleetPool {
  gpu: GpuProfile;
  /** US dollars per GPU-hour; null when unknown (a custom GPU without a price). */
  costPerHour: number | null;
  /** Max req/s per replica, `[output tick][input tick]` on `grid`; 0 = cannot serve. */
  tputs: readonly (readonly number[])[];
  initialReplicas: number;
  coldStart: ColdStartModel;
}

/** Decides every type's replicas; `observe` sees each arrival's lengths first (the gateway's view). */
export interface FleetController {
  loopSeconds: number;
  observe?(t: number, input: number, output: number): void;
  /** Replicas wanted per pool, in the pools' order, at simulated time t (s), from the pods asked for and those ready. */
  decide(t: number, current: readonly number[], ready: readonly number[]): readonly number[];
}

export interface FleetRunOptions {
  name: string;
  arrivals: ArrivalSource;
  durationSeconds: number;
  seed: number;
  grid: TokenGrid;
  pools: FleetPool[];
  controller: FleetController;
  drainGraceSeconds: number;
  windowSeconds: number;
  chartWindows: number;
  slo: { ttftSeconds: number; tpotSeconds: number };
  onProgress?: (fraction: number) => void;
}

export interface FleetTypeOutput {
  name: string;
  gpuSeconds: number;
  costPerHour: number | null;
  /** gpuSeconds × price; null without a price. */
  costUsd: number | null;
  podsCreated: number;
  maxReplicas: number;
  /** Requests routed to this type. */
  routed: number;
}

export interface FleetRunOutput extends RunOutput {
  /** Σ over types; null when a type without a price ran any pod. */
  costUsd: number | null;
  byType: FleetTypeOutput[];
  /** Requests no ready replica was able to serve, sent to another type. */
  misrouted: number;
}

interface PoolState {
  spec: FleetPool;
  replicas: Replica[];
  live: Replica[];
  active: number;
  maxActive: number;
  routed: number;
}

export function runFleetSimulation(o: FleetRunOptions): FleetRunOutput {
  return new FleetSimulation(o).run();
}

class FleetSimulation {
  private readonly pool = new RequestPool();
  private readonly pods: PodStates;
  private readonly heap: ReplicaHeap;
  private readonly ready: ReadyReplicas;
  private readonly pools: PoolState[];
  private readonly poolOf: number[] = [];
  private readonly all: Replica[] = [];
  private readonly gateway: Array<{ req: number; o: number; i: number }> = [];
  private readonly lifecycle: LifecycleQueue;
  private readonly outcomes: RequestOutcomes;
  private readonly timeline: Timeline;
  private readonly router: FleetRouter;
  private podIndex = 0;
  private arrived = 0;
  private decisions = 0;
  private readonly scaling = noScaleActions();
  private maxActive = 0;
  private readonly gauges = { samples: 0, running: 0, waiting: 0, kv: 0 };

  constructor(private readonly o: FleetRunOptions) {
    this.outcomes = new RequestOutcomes(this.pool, o.slo, o.windowSeconds * o.chartWindows, o.durationSeconds, o.windowSeconds);
    this.timeline = new Timeline(o.durationSeconds, o.windowSeconds, []);
    this.router = new FleetRouter(o.grid, this.outcomes);
    this.pods = new PodStates(this.timeline, (r) => {
      const p = this.pools[this.poolOf[r.id]!]!;
      p.live = p.live.filter((x) => x !== r);
    });
    this.heap = this.pods.heap;
    this.ready = this.pods.ready;
    this.lifecycle = this.pods.lifecycle;
    this.pools = o.pools.map((spec) => ({ spec, replicas: [], live: [], active: 0, maxActive: 0, routed: 0 }));
  }

  run(): FleetRunOutput {
    const o = this.o;
    const end = o.durationSeconds;
    this.pools.forEach((p, k) => {
      for (let n = 0; n < p.spec.initialReplicas; n++) this.createPod(k, 0, true);
    });
    let tArrival = o.arrivals.next() ? o.arrivals.time : Infinity;
    let nextDecide = o.controller.loopSeconds;
    let nextWindow = o.windowSeconds;
    let progressAt = 0;
    for (;;) {
      const t = Math.min(nextDecide, nextWindow, this.lifecycle.nextT, end);
      while (tArrival < t) {
        while (this.heap.topTime() <= tArrival) this.endRun(this.heap.top());
        this.arrive(tArrival, o.arrivals.input, o.arrivals.output);
        if (this.arrived - progressAt >= 100_000 && o.onProgress) {
          progressAt = this.arrived;
          o.onProgress(tArrival / end);
        }
        tArrival = o.arrivals.next() ? o.arrivals.time : Infinity;
      }
      while (this.heap.topTime() <= t) this.endRun(this.heap.top());
      if (t >= end) break;
      if (t === nextDecide) {
        this.decide(t);
        nextDecide += o.controller.loopSeconds;
      } else if (t === nextWindow) {
        this.timeline.closeWindow(t);
        nextWindow += o.windowSeconds;
      } else {
        this.pods.runDue(t, (r, at) => this.becomeReady(r, at));
      }
    }
    this.timeline.finish(end);
    const billed = (r: Replica) => Math.max(0, Math.min(r.terminatedAt, end) - r.createdAt);
    const byType: FleetTypeOutput[] = this.pools.map((p) => {
      const gpuSeconds = p.replicas.reduce((s, r) => s + billed(r), 0);
      const costUsd = p.spec.costPerHour === null ? (gpuSeconds > 0 ? null : 0) : (gpuSeconds / 3600) * p.spec.costPerHour;
      return { name: p.spec.gpu.name, gpuSeconds, costPerHour: p.spec.costPerHour, costUsd, podsCreated: p.replicas.length, maxReplicas: p.maxActive, routed: p.routed };
    });
    // Drain: no more arrivals or decisions; what is in flight runs to completion.
    for (const g of this.gateway.splice(0)) this.outcomes.aborted(g.req);
    while (this.heap.topTime() < Infinity) this.endRun(this.heap.top());
    o.onProgress?.(1);
    const gpuSeconds = byType.reduce((s, t) => s + t.gpuSeconds, 0);
    const counters = { name: o.name, gpuSeconds, arrived: this.arrived, replicas: this.all, decisions: this.decisions, scaleActions: this.scaling.actions, directionChanges: this.scaling.directionChanges, maxActive: this.maxActive, podsCreated: this.podIndex, gauges: this.gauges };
    return {
      ...runOutput(counters, this.outcomes, this.timeline),
      // No activator, scale-to-zero or warm pool in a fleet run: the gateway holds requests while no replica is ready.
      activator: { waited: 0, timedOut: 0, rejected: 0, maxQueue: 0 },
      zero: { periods: 0, seconds: 0 },
      warmStarts: 0,
      costUsd: byType.some((t) => t.costUsd === null) ? null : byType.reduce((s, t) => s + t.costUsd!, 0),
      byType,
      misrouted: this.router.misrouted,
    };
  }

  private endRun(r: Replica): void {
    this.pods.endRun(r);
  }

  private arrive(t: number, input: number, output: number): void {
    const req = this.pool.alloc(t, input, output);
    this.arrived++;
    this.timeline.arrival(t);
    this.o.controller.observe?.(t, input, output);
    const [o, i] = this.router.bucket(input, output);
    if (!this.send(req, o, i, t)) this.gateway.push({ req, o, i });
  }

  /** Routes a request of bucket (o, i); false when no replica is ready. */
  private send(req: number, o: number, i: number, t: number): boolean {
    const r = this.router.route(this.ready.list, req, o, i);
    if (r === null) return false;
    this.pools[this.poolOf[r.id]!]!.routed++;
    if (r.enqueue(req, t)) this.heap.update(r);
    this.ready.refresh(r);
    return true;
  }

  private createPod(k: number, t: number, alreadyReady: boolean): void {
    const p = this.pools[k]!;
    const index = this.podIndex++;
    const r = new Replica(this.all.length, `${p.spec.gpu.name.toLowerCase()}-${index}`, p.spec.gpu, this.pool, this.router, 'run');
    this.router.addReplica(r.id, p.spec.tputs);
    r.createdAt = t;
    this.all.push(r);
    this.poolOf.push(k);
    p.replicas.push(r);
    p.live.push(r);
    this.timeline.changeBilled(+1, t);
    p.active++;
    p.maxActive = Math.max(p.maxActive, p.active);
    this.maxActive = Math.max(this.maxActive, this.pools.reduce((s, q) => s + q.active, 0));
    if (alreadyReady) {
      r.containerStartAt = t;
      this.becomeReady(r, t);
      return;
    }
    const cold = sampleColdStart(p.spec.coldStart, coldStartRandom(this.o.seed, index));
    r.containerStartAt = t + cold.containerStart;
    r.readyAt = t + cold.ready;
    this.lifecycle.push(r.readyAt, r, 'ready');
  }

  private becomeReady(r: Replica, t: number): void {
    this.pods.markReady(r, t);
    for (const g of this.gateway.splice(0)) this.send(g.req, g.o, g.i, t);
  }

  private terminate(r: Replica, t: number): void {
    this.pods.terminate(r, t);
  }

  /** Scales pool k to `desired`: new pods cold-start; surplus pods go, those not yet ready first (newest first), then the ready ones with the fewest requests. */
  private scalePool(k: number, desired: number, t: number): void {
    const p = this.pools[k]!;
    while (p.active < desired) this.createPod(k, t, false);
    for (let i = p.live.length - 1; i >= 0 && p.active > desired; i--) {
      const r = p.live[i]!;
      if (r.phase !== 'starting') continue;
      p.active--;
      this.terminate(r, t);
    }
    while (p.active > desired) {
      const victim = scaleInVictim(p.live);
      if (victim === null) break;
      p.active--;
      this.pods.drain(victim, t, this.o.drainGraceSeconds);
    }
  }
  private decide(t: number): void {
    this.decisions++;
    for (const r of this.ready.list) {
      r.syncTo(t);
      const g = r.gauges(t);
      this.gauges.samples++;
      this.gauges.running += g.running;
      this.gauges.waiting += g.waiting;
      this.gauges.kv += g.kvCacheUsage;
    }
    const current = this.pools.map((p) => p.active);
    const ready = this.pools.map((p) => p.live.filter((r) => r.phase === 'ready').length);
    const wanted = this.o.controller.decide(t, current, ready);
    const before = current.reduce((s, v) => s + v, 0);
    let changed = false;
    this.pools.forEach((p, k) => {
      const w = wanted[k];
      // A target that is not a non-negative integer holds the pool (never NaN replicas).
      const desired = w !== undefined && Number.isSafeInteger(w) && w >= 0 ? w : p.active;
      if (desired !== p.active) {
        changed = true;
        this.scalePool(k, desired, t);
      }
    });
    if (!changed) return;
    countScaleAction(this.scaling, Math.sign(this.pools.reduce((s, p) => s + p.active, 0) - before));
  }
}
