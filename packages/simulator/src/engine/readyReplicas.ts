/**
 * The ready replicas, where the router sends requests: a list in which a removal moves
 * the last replica into the gap, and each replica's outstanding requests (running plus
 * waiting) and id mirrored into typed arrays at its position, so least-request routing
 * (reference simulator.md §2.2) scans flat numbers rather than the replicas' fields.
 * The cluster refreshes a replica's mirrored count after every call that can change it.
 * @module
 */
import type { Replica } from './replica.js';

export class ReadyReplicas {
  /** The replicas; `list[r.readyIndex] === r`. */
  readonly list: Replica[] = [];
  private load = new Int32Array(16);
  private ids = new Int32Array(16);
  private roundRobinNext = 0;

  get length(): number {
    return this.list.length;
  }

  add(r: Replica): void {
    const i = this.list.length;
    if (i === this.load.length) this.grow();
    r.readyIndex = i;
    this.list.push(r);
    this.load[i] = r.outstanding;
    this.ids[i] = r.id;
  }

  remove(r: Replica): void {
    const i = r.readyIndex;
    const last = this.list.pop()!;
    const n = this.list.length;
    if (last !== r) {
      this.list[i] = last;
      last.readyIndex = i;
      this.load[i] = this.load[n]!;
      this.ids[i] = this.ids[n]!;
    }
    r.readyIndex = -1;
  }

  /** Copies `r.outstanding` after it may have changed (nothing when r is not ready). */
  refresh(r: Replica): void {
    if (r.readyIndex >= 0) this.load[r.readyIndex] = r.outstanding;
  }

  /** The replica with the fewest outstanding requests, the lowest id on ties; null when none is ready. */
  leastRequest(): Replica | null {
    const n = this.list.length;
    if (n === 0) return null;
    const load = this.load;
    const ids = this.ids;
    let best = 0;
    let least = load[0]!;
    let bestId = ids[0]!;
    for (let i = 1; i < n; i++) {
      const v = load[i]!;
      if (v < least || (v === least && ids[i]! < bestId)) {
        best = i;
        least = v;
        bestId = ids[i]!;
      }
    }
    return this.list[best]!;
  }

  /** The next replica in list order; null when none is ready. */
  roundRobin(): Replica | null {
    const n = this.list.length;
    return n === 0 ? null : this.list[this.roundRobinNext++ % n]!;
  }

  private grow(): void {
    const load = new Int32Array(this.load.length * 2);
    load.set(this.load);
    const ids = new Int32Array(this.ids.length * 2);
    ids.set(this.ids);
    this.load = load;
    this.ids = ids;
  }
}
