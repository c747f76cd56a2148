/**
 * Requests in flight, as parallel typed arrays indexed by a slot id (reference
 * simulator.md §5: no object per request, so a week of traffic fits in little memory
 * and the garbage collector stays idle). Slots are reused after a request finishes.
 * @module
 */

export class RequestPool {
  /** Arrival time at the gateway, s. */
  arrival = new Float64Array(0);
  input = new Int32Array(0);
  output = new Int32Array(0);
  /** Time of the first output token, s; −1 before it. */
  firstToken = new Float64Array(0);
  /** Output tokens generated so far (valid while waiting or prefilling). */
  generated = new Int32Array(0);
  /** Tokens of the current prefill computed so far. */
  computed = new Int32Array(0);
  /** Tokens the current prefill must compute: the prompt, or prompt + output so far after a preemption. */
  target = new Int32Array(0);
  /** While decoding on a replica at step s: generated = genBase + s, KV tokens = kvBase + s. */
  genBase = new Int32Array(0);
  kvBase = new Int32Array(0);
  /** Bumped whenever a request leaves a decoding batch, so stale heap entries can be told apart. */
  stamp = new Int32Array(0);
  /** Admission order, to preempt the newest first. */
  order = new Float64Array(0);
  /** Index in the replica's decode or prefill list. */
  position = new Int32Array(0);
  /** Times the request was preempted. */
  preemptions = new Int32Array(0);

  /** Admissions so far (the source of `order`). */
  admissions = 0;

  private free = new Int32Array(0);
  private freeTop = 0;
  private capacity = 0;
  inFlight = 0;

  constructor(initialCapacity = 1024) {
    this.grow(initialCapacity);
  }

  private grow(capacity: number): void {
    const old = this.capacity;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    this.arrival = f64(this.arrival);
    this.input = i32(this.input);
    this.output = i32(this.output);
    this.firstToken = f64(this.firstToken);
    this.generated = i32(this.generated);
    this.computed = i32(this.computed);
    this.target = i32(this.target);
    this.genBase = i32(this.genBase);
    this.kvBase = i32(this.kvBase);
    this.stamp = i32(this.stamp);
    this.order = f64(this.order);
    this.position = i32(this.position);
    this.preemptions = i32(this.preemptions);
    const free = new Int32Array(capacity);
    free.set(this.free.subarray(0, this.freeTop));
    // New slots go on the free stack highest first, so the lowest is handed out first.
    let top = this.freeTop;
    for (let id = capacity - 1; id >= old; id--) free[top++] = id;
    this.free = free;
    this.freeTop = top;
    this.capacity = capacity;
  }

  /** A slot for a new request. */
  alloc(arrival: number, input: number, output: number): number {
    if (this.freeTop === 0) this.grow(this.capacity * 2);
    const id = this.free[--this.freeTop]!;
    this.arrival[id] = arrival;
    this.input[id] = input;
    this.output[id] = output;
    this.firstToken[id] = -1;
    this.generated[id] = 0;
    this.computed[id] = 0;
    this.target[id] = input;
    this.preemptions[id] = 0;
    this.inFlight++;
    return id;
  }

  release(id: number): void {
    this.stamp[id] = (this.stamp[id]! + 1) | 0;
    this.free[this.freeTop++] = id;
    this.inFlight--;
  }
}

/**
 * The most recently admitted of a replica's running requests (by `order`, vLLM's
 * preemption victim): its id when it is decoding, `~id` when it is prefilling; −1 when
 * none runs.
 */
export function newestAdmitted(order: Float64Array, dec: Int32Array, decN: number, pre: Int32Array, preN: number): number {
  let found = -1;
  let newest = -1;
  for (let i = 0; i < decN; i++) {
    const id = dec[i]!;
    if (order[id]! > newest) {
      newest = order[id]!;
      found = id;
    }
  }
  for (let i = 0; i < preN; i++) {
    const id = pre[i]!;
    if (order[id]! > newest) {
      newest = order[id]!;
      found = ~id;
    }
  }
  return found;
}

/** A FIFO of request ids that can also take a request back at its head (a preempted one). */
export class IdQueue {
  private buf = new Int32Array(64);
  private head = 0;
  length = 0;

  push(id: number): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[(this.head + this.length) & (this.buf.length - 1)] = id;
    this.length++;
  }

  unshift(id: number): void {
    if (this.length === this.buf.length) this.grow();
    this.head = (this.head - 1) & (this.buf.length - 1);
    this.buf[this.head] = id;
    this.length++;
  }

  peek(): number {
    return this.buf[this.head]!;
  }

  shift(): number {
    const id = this.buf[this.head]!;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.length--;
    return id;
  }

  private grow(): void {
    const next = new Int32Array(this.buf.length * 2);
    for (let i = 0; i < this.length; i++) next[i] = this.buf[(this.head + i) & (this.buf.length - 1)]!;
    this.buf = next;
    this.head = 0;
  }
}
