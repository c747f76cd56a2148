/**
 * The replicas ordered by the end of their current run: which replica's iteration ends
 * next. Each replica holds a slot while it is in the cluster; the slots' keys (run end,
 * id) sit in typed arrays and the winner, the smallest (run end, id), is cached. A key
 * that beats the winner replaces it at once; only when the winner's own key grows (its
 * run ended and the next one was planned, about once per event) is the winner looked
 * for again, by a scan of the slots. Ties break on the replica id, so the order of
 * events never depends on insertion history.
 *
 * A scan reads two flat arrays of as many entries as replicas ever held at once (tens
 * in a run); it replaced a tournament tree whose log₂(slots) matches per update, three
 * updates per request, cost more than the scans they saved.
 * @module
 */
import type { Replica } from './replica.js';

/** The id of an empty slot: it loses every tie. */
const EMPTY_ID = 0x7fffffff;

export class ReplicaHeap {
  /** Slots in use or freed: the scan's range. */
  private slots = 0;
  private count = 0;
  private items: Array<Replica | null> = [];
  /** Per slot: the run end and the replica id. */
  private ends = new Float64Array(16).fill(Infinity);
  private ids = new Int32Array(16).fill(EMPTY_ID);
  private free: number[] = [];
  /** The winner's slot (−1: none), key, and whether it must be looked for again. */
  private best = -1;
  private bestEnd = Infinity;
  private bestId = EMPTY_ID;
  private stale = false;

  get size(): number {
    return this.count;
  }

  /** Earliest run end, Infinity when empty. */
  topTime(): number {
    if (this.stale) this.scan();
    return this.bestEnd;
  }

  /** The replica whose run ends first (call only when `topTime()` is finite). */
  top(): Replica {
    if (this.stale) this.scan();
    return this.items[this.best]!;
  }

  insert(r: Replica): void {
    let s: number;
    if (this.free.length > 0) s = this.free.pop()!;
    else {
      s = this.slots++;
      if (s === this.ends.length) this.grow();
      this.items.push(null);
    }
    this.items[s] = r;
    r.heapIndex = s;
    this.count++;
    this.set(s, r.runEnd, r.id);
  }

  remove(r: Replica): void {
    const s = r.heapIndex;
    if (s < 0) return;
    r.heapIndex = -1;
    this.items[s] = null;
    this.free.push(s);
    this.count--;
    this.set(s, Infinity, EMPTY_ID);
  }

  /** Restores the order after `r.runEnd` changed. */
  update(r: Replica): void {
    this.set(r.heapIndex, r.runEnd, r.id);
  }

  private set(s: number, end: number, id: number): void {
    this.ends[s] = end;
    this.ids[s] = id;
    if (this.stale) return;
    if (end < this.bestEnd || (end === this.bestEnd && id < this.bestId)) {
      this.best = s;
      this.bestEnd = end;
      this.bestId = id;
    } else if (s === this.best) this.stale = true;
  }

  private scan(): void {
    const ends = this.ends;
    const ids = this.ids;
    let best = -1;
    let bestEnd = Infinity;
    let bestId = EMPTY_ID;
    for (let s = 0; s < this.slots; s++) {
      const e = ends[s]!;
      if (e < bestEnd || (e === bestEnd && ids[s]! < bestId)) {
        best = s;
        bestEnd = e;
        bestId = ids[s]!;
      }
    }
    this.best = best;
    this.bestEnd = bestEnd;
    this.bestId = bestId;
    this.stale = false;
  }

  private grow(): void {
    const ends = new Float64Array(this.ends.length * 2).fill(Infinity);
    ends.set(this.ends);
    const ids = new Int32Array(this.ids.length * 2).fill(EMPTY_ID);
    ids.set(this.ids);
    this.ends = ends;
    this.ids = ids;
  }
}
