/**
 * The replicas ordered by the end of their current run (an indexed binary heap: a
 * replica's key changes in place when an arrival splits its run). Ties break on the
 * replica id, so the order of events never depends on insertion history.
 *
 * The keys (run end, id) are copied into typed arrays beside the replicas when a
 * replica is inserted or updated, so the comparisons read flat numbers rather than two
 * objects' fields.
 * @module
 */
import type { Replica } from './replica.js';

export class ReplicaHeap {
  private items: Replica[] = [];
  private ends = new Float64Array(16);
  private ids = new Int32Array(16);

  get size(): number {
    return this.items.length;
  }

  /** Earliest run end, Infinity when empty. */
  topTime(): number {
    return this.items.length === 0 ? Infinity : this.ends[0]!;
  }

  top(): Replica {
    return this.items[0]!;
  }

  insert(r: Replica): void {
    const i = this.items.length;
    if (i === this.ends.length) this.grow();
    this.items.push(r);
    this.up(i, r);
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
    const i = r.heapIndex;
    const end = r.runEnd;
    const id = r.id;
    if (i > 0) {
      const p = (i - 1) >> 1;
      const pe = this.ends[p]!;
      if (end < pe || (end === pe && id < this.ids[p]!)) {
        this.up(i, r);
        return;
      }
    }
    this.down(i, r);
  }

  /** Moves `r` up from slot i to its place. */
  private up(i: number, r: Replica): void {
    const items = this.items;
    const ends = this.ends;
    const ids = this.ids;
    const end = r.runEnd;
    const id = r.id;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pe = ends[p]!;
      if (!(end < pe || (end === pe && id < ids[p]!))) break;
      const q = items[p]!;
      items[i] = q;
      q.heapIndex = i;
      ends[i] = pe;
      ids[i] = ids[p]!;
      i = p;
    }
    items[i] = r;
    r.heapIndex = i;
    ends[i] = end;
    ids[i] = id;
  }

  /** Moves `r` down from slot i to its place. */
  private down(i: number, r: Replica): void {
    const items = this.items;
    const ends = this.ends;
    const ids = this.ids;
    const n = items.length;
    const end = r.runEnd;
    const id = r.id;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      let ce = ends[c]!;
      let cid = ids[c]!;
      if (c + 1 < n) {
        const de = ends[c + 1]!;
        const did = ids[c + 1]!;
        if (de < ce || (de === ce && did < cid)) {
          c++;
          ce = de;
          cid = did;
        }
      }
      if (!(ce < end || (ce === end && cid < id))) break;
      const q = items[c]!;
      items[i] = q;
      q.heapIndex = i;
      ends[i] = ce;
      ids[i] = cid;
      i = c;
    }
    items[i] = r;
    r.heapIndex = i;
    ends[i] = end;
    ids[i] = id;
  }

  private grow(): void {
    const ends = new Float64Array(this.ends.length * 2);
    ends.set(this.ends);
    this.ends = ends;
    const ids = new Int32Array(this.ids.length * 2);
    ids.set(this.ids);
    this.ids = ids;
  }
}
