/**
 * Where a run keeps its pods' states (reference simulator.md §2.1), shared by the
 * single-type run and the fleet run: the ready pods the router sees, the heap of
 * iteration ends, the lifecycle events, and the timeline's ready and billed counts,
 * with the transitions between them (ready, draining, terminated). The run owns what
 * differs: which pods it keeps alive (`onTerminated`) and where a ready pod's queued
 * requests come from.
 * @module
 */
import { LifecycleQueue } from './lifecycleQueue.js';
import { ReadyReplicas } from './readyReplicas.js';
import type { Replica } from './replica.js';
import { ReplicaHeap } from './replicaHeap.js';
import type { Timeline } from './timeline.js';

export class PodStates {
  readonly ready = new ReadyReplicas();
  readonly heap = new ReplicaHeap();
  readonly lifecycle = new LifecycleQueue();

  constructor(
    private readonly timeline: Timeline,
    /** Called when a pod is terminated (the run drops it from its live pods). */
    private readonly onTerminated: (r: Replica) => void,
  ) {}

  /** Ends the replica's current run; a draining pod that became idle is terminated. */
  endRun(r: Replica): void {
    r.endRun();
    this.ready.refresh(r);
    if (r.phase === 'draining' && r.idle) this.terminate(r, r.clock);
    else this.heap.update(r);
  }

  /** The pod is ready at t: the router sees it and its runs are scheduled. */
  markReady(r: Replica, t: number): void {
    r.phase = 'ready';
    r.readyAt = t;
    r.clock = t;
    this.ready.add(r);
    this.heap.insert(r);
    this.timeline.changeReady(+1, t);
  }

  /** Starts draining a ready pod at t: terminated now if idle, else killed after the grace period. */
  drain(r: Replica, t: number, graceSeconds: number): void {
    this.ready.remove(r);
    this.timeline.changeReady(-1, t);
    r.phase = 'draining';
    if (r.idle) this.terminate(r, t);
    else this.lifecycle.push(t + graceSeconds, r, 'kill');
  }

  terminate(r: Replica, t: number): void {
    if (r.phase === 'ready') {
      this.ready.remove(r);
      this.timeline.changeReady(-1, t);
    }
    this.timeline.changeBilled(-1, t);
    r.phase = 'terminated';
    r.terminatedAt = t;
    this.heap.remove(r);
    this.onTerminated(r);
  }

  /** The lifecycle events due at t: pods becoming ready (`becomeReady`), drains timing out (their requests aborted). */
  runDue(t: number, becomeReady: (r: Replica, t: number) => void): void {
    for (const { replica: r, kind } of this.lifecycle.takeDue(t)) {
      if (kind === 'ready' && r.phase === 'starting') becomeReady(r, t);
      else if (kind === 'kill' && r.phase === 'draining') {
        r.abortAll(t);
        this.terminate(r, t);
      }
    }
  }
}
