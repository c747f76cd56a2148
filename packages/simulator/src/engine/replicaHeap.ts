/**
 * The replicas ordered by the end of their current run: which replica's iteration ends
 * next. A tournament tree over slots (each replica holds one slot while it is in the
 * cluster; an internal node keeps the slot that wins among its descendants), so a
 * replica's key changes in place when an arrival splits its run, and an update replays
 * one path of log₂(slots) matches. Ties break on the replica id, so the order of events
 * never depends on insertion history: the winner is the one replica with the smallest
 * (run end, id), exactly what a binary heap keyed the same way has on top.
 *
 * The keys live in typed arrays (run end, id), copied from the replica when it is
 * inserted or updated, so a match reads flat numbers and moves no object references.
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
  private ends = new Float64Array(0);
  private ids = new Int32Array(0);
  /** Node n (1 ≤ n < 2·slots) holds the winning slot below it; leaf `slots + s` holds s. */
  private tree = new Int32Array(0);
  private free: number[] = [];

  constructor() {
    this.grow(16);
  }

  get size(): number {
    return this.count;
  }

  /** Earliest run end, Infinity when empty. */
  topTime(): number {
    return this.ends[this.tree[1]!]!;
  }

  /** The replica whose run ends first (call only when `topTime()` is finite). */
  top(): Replica {
    return this.items[this.tree[1]!]!;
  }

  insert(r: Replica): void {
    if (this.free.length === 0) this.grow(this.slots * 2);
    const s = this.free.pop()!;
    this.items[s] = r;
    this.ids[s] = r.id;
    this.ends[s] = r.runEnd;
    r.heapIndex = s;
    this.count++;
    this.replay(s);
  }

  remove(r: Replica): void {
    const s = r.heapIndex;
    if (s < 0) return;
    r.heapIndex = -1;
    this.items[s] = null;
    this.ids[s] = EMPTY_ID;
    this.ends[s] = Infinity;
    this.free.push(s);
    this.count--;
    this.replay(s);
  }

  /** Restores the order after `r.runEnd` changed. */
  update(r: Replica): void {
    const s = r.heapIndex;
    this.ends[s] = r.runEnd;
    this.replay(s);
  }

  /** Replays the matches on the path from slot s to the root. */
  private replay(s: number): void {
    for (let n = (this.slots + s) >> 1; n >= 1; n >>= 1) this.match(n);
  }

  /** Node n's winner: the smaller (run end, id) of its two children's. */
  private match(n: number): void {
    const tree = this.tree;
    const a = tree[2 * n]!;
    const b = tree[2 * n + 1]!;
    const ea = this.ends[a]!;
    const eb = this.ends[b]!;
    tree[n] = ea < eb || (ea === eb && this.ids[a]! < this.ids[b]!) ? a : b;
  }

  private grow(slots: number): void {
    const old = this.slots;
    const ends = new Float64Array(slots).fill(Infinity);
    ends.set(this.ends);
    const ids = new Int32Array(slots).fill(EMPTY_ID);
    ids.set(this.ids);
    this.ends = ends;
    this.ids = ids;
    for (let s = old; s < slots; s++) this.items.push(null);
    // Lowest slots first off the stack.
    for (let s = slots - 1; s >= old; s--) this.free.push(s);
    this.slots = slots;
    this.tree = new Int32Array(2 * slots);
    for (let s = 0; s < slots; s++) this.tree[slots + s] = s;
    for (let n = slots - 1; n >= 1; n--) this.match(n);
  }
}
