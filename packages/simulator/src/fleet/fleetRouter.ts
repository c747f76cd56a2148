/**
 * The fleet's router (docs/optimizer.md "Simulating a fleet"): each request goes to the
 * least-loaded ready replica able to serve it. "Able": its type's throughput profile is
 * above zero on the request's (input, output) bucket, snapped to the grid as the load
 * shape snaps it. "Load": the share of the replica's capacity its outstanding requests
 * take, each counting 1 / (its type's profiled rate on its bucket) — the optimizer's own
 * measure (Σ rate / T ≤ replicas) — with this request added; so a type twice as fast on
 * a bucket takes twice as many of its requests, and a replica busy with long requests
 * counts as busier than one with as many short ones. Ties go to the lowest pod id. When
 * no ready replica is able, the least-loaded ready replica of any type takes the request
 * (counted as misrouted; it weighs a whole replica's capacity there).
 *
 * The router sits between the replicas and the run's outcomes (a `ReplicaSink`), so a
 * replica's load falls as its requests finish.
 * @module
 */
import { log2Ticks, snapLog2, type TokenGrid } from '@prescale/core';
import type { Replica, ReplicaSink } from '../engine/replica.js';
import type { RequestOutcomes } from '../engine/requestOutcomes.js';

export class FleetRouter implements ReplicaSink {
  /** Per replica id: Σ 1/T of its outstanding requests. */
  private readonly work: number[] = [];
  /** Per replica id: its type's profile. */
  private readonly tputs: Array<readonly (readonly number[])[]> = [];
  /** Per request slot: its weight on the replica it went to, and that replica's id (−1: none). */
  private readonly weight: number[] = [];
  private readonly placedOn: number[] = [];
  private readonly logIn: Float64Array;
  private readonly logOut: Float64Array;
  misrouted = 0;

  constructor(grid: TokenGrid, private readonly outcomes: RequestOutcomes) {
    this.logIn = log2Ticks(grid.inputTicks);
    this.logOut = log2Ticks(grid.outputTicks);
  }

  /** A new replica (ids are consecutive from 0) of a type with this profile. */
  addReplica(id: number, tputs: readonly (readonly number[])[]): void {
    this.work[id] = 0;
    this.tputs[id] = tputs;
  }

  /** The request's bucket: [output tick, input tick]. */
  bucket(input: number, output: number): [number, number] {
    return [snapLog2(this.logOut, Math.log2(Math.max(1, output))).index, snapLog2(this.logIn, Math.log2(Math.max(1, input))).index];
  }

  /** Chooses among the ready replicas for request `req` of bucket (o, i) and records its load there; null when none is ready. */
  route(ready: readonly Replica[], req: number, o: number, i: number): Replica | null {
    let best: Replica | null = null;
    let bestLoad = Infinity;
    let fallback: Replica | null = null;
    for (const r of ready) {
      if (fallback === null || r.outstanding < fallback.outstanding || (r.outstanding === fallback.outstanding && r.id < fallback.id)) fallback = r;
      const rate = this.tputs[r.id]![o]?.[i] ?? 0;
      if (!(rate > 0)) continue;
      const load = this.work[r.id]! + 1 / rate;
      if (load < bestLoad || (load === bestLoad && r.id < best!.id)) {
        best = r;
        bestLoad = load;
      }
    }
    if (best === null) {
      if (fallback === null) return null;
      this.misrouted++;
      best = fallback;
      bestLoad = this.work[best.id]! + 1;
    }
    this.weight[req] = bestLoad - this.work[best.id]!;
    this.placedOn[req] = best.id;
    this.work[best.id] = bestLoad;
    return best;
  }

  completed(req: number, time: number): void {
    this.release(req);
    this.outcomes.completed(req, time);
  }

  aborted(req: number): void {
    this.release(req);
    this.outcomes.aborted(req);
  }

  interToken(seconds: number, count: number): void {
    this.outcomes.interToken(seconds, count);
  }

  private release(req: number): void {
    const on = this.placedOn[req] ?? -1;
    if (on >= 0) this.work[on] = Math.max(0, this.work[on]! - this.weight[req]!);
    this.placedOn[req] = -1;
  }
}
