/**
 * The pod lifecycle events of a run (reference simulator.md §2.1): a pod becoming ready
 * at the end of its cold start, and a draining pod killed when its grace period ends.
 * Few are pending at once, so a list scanned for the due ones is enough.
 * @module
 */
import type { Replica } from './replica.js';

export type LifecycleKind = 'ready' | 'kill';

export class LifecycleQueue {
  private events: Array<{ t: number; replica: Replica; kind: LifecycleKind }> = [];
  /** The earliest pending event's time, s; Infinity when none. */
  nextT = Infinity;

  push(t: number, replica: Replica, kind: LifecycleKind): void {
    this.events.push({ t, replica, kind });
    if (t < this.nextT) this.nextT = t;
  }

  /** Removes and returns the events due at exactly t, in the order they were pushed. */
  takeDue(t: number): Array<{ replica: Replica; kind: LifecycleKind }> {
    const due = this.events.filter((e) => e.t === t);
    this.events = this.events.filter((e) => e.t !== t);
    this.nextT = Infinity;
    for (const e of this.events) if (e.t < this.nextT) this.nextT = e.t;
    return due;
  }
}

/** The ready pod a scale-in drains: the one with the fewest outstanding requests, the newest on ties; null when none is ready. */
export function scaleInVictim(replicas: Iterable<Replica>): Replica | null {
  let victim: Replica | null = null;
  for (const r of replicas) {
    if (r.phase !== 'ready') continue;
    if (victim === null || r.outstanding < victim.outstanding || (r.outstanding === victim.outstanding && r.id > victim.id)) victim = r;
  }
  return victim;
}
