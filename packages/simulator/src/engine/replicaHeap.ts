/**
 * The replicas ordered by the end of their current run: which replica's iteration ends
 * next. A tournament tree over slots (each replica holds one slot while it is in the
 * cluster; an internal node keeps the key and slot that win among its descendants), so
 * a replica's key changes in place when an arrival splits its run, and an update
 * replays at most one path of log₂(slots) matches. Ties break on the replica id, so the
 * order of events never depends on insertion history: the winner is the one replica
 * with the smallest (run end, id), exactly what a binary heap keyed the same way has on
 * top.
 *
 * Every node holds its winner's key (run end, id) beside the winning slot, in typed
 * arrays, so a match reads two children's keys directly. An update stops climbing at
 * the first node whose winner neither was nor is the updated slot: nothing above it
 * changed.
 * @module
 */
import type { Replica } from './replica.js';

/** The id of an empty slot: it loses every tie. */
const EMPTY_ID = 0x7fffffff;

export class ReplicaHeap {
  /** Slots (leaves); a power of two. */
  private slots = 0;
  private count = 0;
  private items: Array<Replica | null> = [];
  /** Node n (1 ≤ n < 2·slots): the winner's run end, id and slot; leaf `slots + s` is slot s. */
  private ends = new Float64Array(0);
  private ids = new Int32Array(0);
  private winners = new Int32Array(0);
  private free: number[] = [];

  constructor() {
    this.grow(16);
  }

  get size(): number {
    return this.count;
  }

  /** Earliest run end, Infinity when empty. */
  topTime(): number {
    return this.ends[1]!;
  }

  /** The replica whose run ends first (call only when `topTime()` is finite). */
  top(): Replica {
    return this.items[this.winners[1]!]!;
  }

  insert(r: Replica): void {
    if (this.free.length === 0) this.grow(this.slots * 2);
    const s = this.free.pop()!;
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

  /** Gives slot s the key (end, id) and replays the matches above it while they can change. */
  private set(s: number, end: number, id: number): void {
    const ends = this.ends;
    const ids = this.ids;
    const winners = this.winners;
    let n = this.slots + s;
    ends[n] = end;
    ids[n] = id;
    for (n >>= 1; n >= 1; n >>= 1) {
      const a = 2 * n;
      const b = a + 1;
      const ea = ends[a]!;
      const eb = ends[b]!;
      const c = ea < eb || (ea === eb && ids[a]! < ids[b]!) ? a : b;
      const w = winners[c]!;
      if (w !== s && winners[n] === w) return;
      winners[n] = w;
      ends[n] = ends[c]!;
      ids[n] = ids[c]!;
    }
  }

  private grow(slots: number): void {
    const old = this.slots;
    const ends = new Float64Array(2 * slots).fill(Infinity);
    const ids = new Int32Array(2 * slots).fill(EMPTY_ID);
    const winners = new Int32Array(2 * slots);
    for (let s = 0; s < old; s++) {
      ends[slots + s] = this.ends[old + s]!;
      ids[slots + s] = this.ids[old + s]!;
    }
    for (let s = 0; s < slots; s++) winners[slots + s] = s;
    for (let n = slots - 1; n >= 1; n--) {
      const a = 2 * n;
      const c = ends[a]! < ends[a + 1]! || (ends[a] === ends[a + 1] && ids[a]! < ids[a + 1]!) ? a : a + 1;
      winners[n] = winners[c]!;
      ends[n] = ends[c]!;
      ids[n] = ids[c]!;
    }
    this.ends = ends;
    this.ids = ids;
    this.winners = winners;
    for (let s = old; s < slots; s++) this.items.push(null);
    // Lowest slots first off the stack.
    for (let s = slots - 1; s >= old; s--) this.free.push(s);
    this.slots = slots;
  }
}
