/**
 * The replicas ordered by the end of their current run (an indexed binary heap: a
 * replica's key changes in place when an arrival splits its run). Ties break on the
 * replica id, so the order of events never depends on insertion history.
 * @module
 */
import type { Replica } from './replica.js';

export class ReplicaHeap {
  private items: Replica[] = [];

  get size(): number {
    return this.items.length;
  }

  /** Earliest run end, Infinity when empty. */
  topTime(): number {
    return this.items.length === 0 ? Infinity : this.items[0]!.runEnd;
  }

  top(): Replica {
    return this.items[0]!;
  }

  insert(r: Replica): void {
    r.heapIndex = this.items.length;
    this.items.push(r);
    this.up(r.heapIndex);
  }

  remove(r: Replica): void {
    const i = r.heapIndex;
    if (i < 0) return;
    const last = this.items.pop()!;
    r.heapIndex = -1;
    if (last === r) return;
    this.items[i] = last;
    last.heapIndex = i;
    this.update(last);
  }

  /** Restores the order after `r.runEnd` changed. */
  update(r: Replica): void {
    this.up(r.heapIndex);
    this.down(r.heapIndex);
  }

  private less(a: Replica, b: Replica): boolean {
    return a.runEnd < b.runEnd || (a.runEnd === b.runEnd && a.id < b.id);
  }

  private up(i: number): void {
    const items = this.items;
    const r = items[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(r, items[p]!)) break;
      items[i] = items[p]!;
      items[i]!.heapIndex = i;
      i = p;
    }
    items[i] = r;
    r.heapIndex = i;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const r = items[i]!;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.less(items[c + 1]!, items[c]!)) c++;
      if (!this.less(items[c]!, r)) break;
      items[i] = items[c]!;
      items[i]!.heapIndex = i;
      i = c;
    }
    items[i] = r;
    r.heapIndex = i;
  }
}
