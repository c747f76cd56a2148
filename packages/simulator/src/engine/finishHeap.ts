/**
 * A replica's decoding sequences ordered by the step at which each finishes (a binary
 * min-heap over parallel typed arrays). Entries are never removed from the middle: a
 * sequence that leaves the batch early (preempted) bumps its stamp in the request pool,
 * and an entry whose stamp no longer matches is skipped when it reaches the top.
 * @module
 */
export class FinishHeap {
  private key = new Float64Array(64);
  private id = new Int32Array(64);
  private stamp = new Int32Array(64);
  size = 0;

  /** Finish step of the top entry (call only when `size > 0`). */
  topKey(): number {
    return this.key[0]!;
  }

  topId(): number {
    return this.id[0]!;
  }

  topStamp(): number {
    return this.stamp[0]!;
  }

  clear(): void {
    this.size = 0;
  }

  push(key: number, id: number, stamp: number): void {
    if (this.size === this.key.length) this.grow();
    let at = this.size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.key[parent]! <= key) break;
      this.move(at, parent);
      at = parent;
    }
    this.place(at, key, id, stamp);
  }

  pop(): void {
    const n = --this.size;
    if (n === 0) return;
    const key = this.key[n]!;
    const id = this.id[n]!;
    const stamp = this.stamp[n]!;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= n) break;
      if (child + 1 < n && this.key[child + 1]! < this.key[child]!) child++;
      if (this.key[child]! >= key) break;
      this.move(at, child);
      at = child;
    }
    this.place(at, key, id, stamp);
  }

  private move(to: number, from: number): void {
    this.key[to] = this.key[from]!;
    this.id[to] = this.id[from]!;
    this.stamp[to] = this.stamp[from]!;
  }

  private place(at: number, key: number, id: number, stamp: number): void {
    this.key[at] = key;
    this.id[at] = id;
    this.stamp[at] = stamp;
  }

  private grow(): void {
    const key = new Float64Array(this.key.length * 2);
    key.set(this.key);
    const id = new Int32Array(this.id.length * 2);
    id.set(this.id);
    const stamp = new Int32Array(this.stamp.length * 2);
    stamp.set(this.stamp);
    this.key = key;
    this.id = id;
    this.stamp = stamp;
  }
}
