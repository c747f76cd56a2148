/**
 * One vLLM-like replica (reference simulator.md §2.1): a waiting queue (FCFS, preempted
 * requests back at its head), a running batch of at most `max_num_seqs` sequences, a
 * paged KV cache of 16-token blocks, and iterations scheduled as vLLM V1 does with
 * chunked prefill: every decoding sequence takes one token, then unfinished prefills and
 * then waiting requests fill the rest of the token budget, a new request admitted only
 * while free blocks for its chunk (above a 1 % watermark) remain. A decode step that
 * finds no free block preempts the newest request (recompute: its prompt and output so
 * far are prefilled again when it is readmitted). Iteration time: {@link iterationSeconds}.
 *
 * Speed (reference §5.2, "macro-stepping"): a run of pure-decode steps has a closed-form
 * length ({@link IterationRun}); the replica jumps to the earliest of the next completion
 * and the step at which the KV cache would run out, and an arrival or a scrape in the
 * middle of a run splits it at the iteration boundary. Per-sequence progress is kept as
 * `generated = genBase + step`, block needs by `(kvBase + step) mod 16` classes
 * ({@link BlockClasses}), so a run costs O(16 + log B) whatever its length.
 * @module
 */
import { BLOCK_SIZE, type GpuProfile, iterationSeconds } from '../gpu/gpuProfile.js';
import { BlockClasses, blocksFor } from './blockClasses.js';
import { FinishHeap } from './finishHeap.js';
import { IterationRun } from './iterationRun.js';
import { doubled, PrefillChunks, removeId } from './prefillChunks.js';
import { SettledAhead, settlesQuietly } from './settledAhead.js';
import { IdQueue, newestAdmitted, type RequestPool } from './requestPool.js';
import type { ReplicaPhase, ReplicaSink } from './replicaSink.js';
import { type MetricCounters, type ReplicaGauges, ReplicaMetrics } from './vllmMetrics.js';

export type { ReplicaPhase, ReplicaSink } from './replicaSink.js';

export class Replica {
  phase: ReplicaPhase = 'starting';
  /** Pod scheduled (billing starts), container started, ready, terminated; s. */
  createdAt = 0;
  containerStartAt = 0;
  readyAt = Infinity;
  terminatedAt = Infinity;
  readonly metrics: ReplicaMetrics;
  /** Index in the cluster's ready list, −1 when not ready. */
  readyIndex = -1;
  /** Index in the cluster's run-end heap. */
  heapIndex = -1;

  readonly waiting = new IdQueue();
  private readonly dec: Int32Array;
  decN = 0;
  private pre: Int32Array;
  preN = 0;
  private readonly finish = new FinishHeap();
  private readonly blocks = new BlockClasses();

  /** Iterations completed. */
  steps = 0;
  /** Time of the last iteration boundary applied, s. */
  clock = 0;
  /** KV tokens of the decoding sequences. */
  ctxSum = 0;
  usedBlocks = 0;
  private readonly usableBlocks: number;
  private readonly watermark: number;

  /** End of the planned run, s; Infinity when idle. */
  runEnd = Infinity;
  private readonly run = new IterationRun();
  private readonly chunks = new PrefillChunks();
  private readonly ahead = new SettledAhead();

  constructor(
    readonly id: number,
    readonly name: string,
    private readonly gpu: GpuProfile,
    private readonly pool: RequestPool,
    private readonly sink: ReplicaSink,
    /**
     * `served` (a pod whose `/metrics` page is rendered) keeps the histograms' buckets and
     * changes state only at its event times; `run` (a simulation run's pod) keeps sums and
     * counts only and settles quiet prefill steps ahead ({@link SettledAhead}).
     */
    readonly mode: 'served' | 'run' = 'served',
  ) {
    this.metrics = new ReplicaMetrics(mode === 'served');
    this.dec = new Int32Array(gpu.maxNumSeqs);
    this.pre = new Int32Array(Math.min(gpu.maxNumSeqs, 64));
    // vLLM's block pool keeps one null block; usage = 1 − free / (num_gpu_blocks − 1).
    this.usableBlocks = gpu.kvBlocks - 1;
    this.watermark = Math.ceil(0.01 * this.usableBlocks);
  }

  /** Requests on this replica: running plus waiting (what least-request routing compares); kept as they come and go. */
  outstanding = 0;

  get idle(): boolean {
    return this.runEnd === Infinity && this.outstanding === 0;
  }

  /** The gauges a scrape at t reads (after `syncTo(t)`): before a step settled ahead of t, its state at t. */
  gauges(t = Infinity): ReplicaGauges {
    const used = t < this.ahead.until ? this.ahead.usedBlocks : this.usedBlocks;
    return { running: this.decN + this.preN, waiting: this.waiting.length, kvCacheUsage: used / this.usableBlocks };
  }

  /** The counters and histogram sums a scrape at t reads (as {@link gauges}). */
  counters(t = Infinity): MetricCounters {
    return t < this.ahead.until ? this.ahead.counters(this.metrics) : this.metrics;
  }

  // ---- progress of a run ---------------------------------------------------------

  /** Applies the decode steps of the current run up to its j-th. */
  private applyDecodeSteps(j: number): void {
    const run = this.run;
    const n = j - run.applied;
    if (n <= 0) return;
    const tokens = n * this.decN;
    this.usedBlocks += this.blocks.added(this.steps, n, this.decN);
    this.ctxSum += tokens;
    const after = run.secondsTo(j);
    const gap = (after - run.appliedSeconds) / n;
    this.sink.interToken(gap, tokens);
    this.metrics.interToken.observe(gap, tokens);
    this.metrics.generationTokens += tokens;
    this.steps += n;
    this.clock = run.start + after;
    run.applied = j;
    run.appliedSeconds = after;
  }

  /** Brings the state to the last iteration boundary at or before t (a scrape reads it). */
  syncTo(t: number): void {
    if (this.runEnd === Infinity || this.run.mixed || t < this.clock) return;
    const j = this.run.stepsEndingBy(t);
    if (j < this.run.steps) this.applyDecodeSteps(j);
  }

  // ---- requests in ---------------------------------------------------------------

  /**
   * A routed request arrives at t (the cluster has already ended every run that ends at
   * or before t). It joins the waiting queue and is scheduled at the next iteration
   * boundary. Returns true when `runEnd` changed.
   */
  enqueue(req: number, t: number): boolean {
    const queued = this.waiting.length > 0;
    this.waiting.push(req);
    this.outstanding++;
    if (this.runEnd === Infinity) {
      this.clock = t;
      this.plan();
      return true;
    }
    // A request already waiting could not be admitted; FCFS keeps this one behind it.
    const run = this.run;
    if (t < run.start) {
      // The run starts after a prefill step applied ahead: the request joins at that step's end.
      if (queued || run.mixed || run.steps === 0) return false;
      run.cut(0);
      this.runEnd = run.start;
      return true;
    }
    if (queued || run.mixed || run.steps <= run.applied + 1) return false;
    this.applyDecodeSteps(run.stepsEndingBy(t));
    run.cut(run.applied + 1);
    this.runEnd = run.start + run.endSeconds;
    return true;
  }

  // ---- the end of a run ----------------------------------------------------------

  /** Ends the current run at `runEnd`: applies it, finishes requests, plans the next. */
  endRun(): void {
    if (this.run.mixed) this.endMixedStep();
    else this.applyDecodeSteps(this.run.steps);
    const h = this.finish;
    for (this.cleanHeapTop(); h.size > 0 && h.topKey() <= this.steps; this.cleanHeapTop()) {
      const id = h.topId();
      h.pop();
      this.finishDecoding(id);
    }
    this.plan();
  }

  private endMixedStep(): void {
    const pool = this.pool;
    const decN = this.decN;
    const seconds = this.run.mixedSeconds;
    this.usedBlocks += this.blocks.added(this.steps, 1, decN);
    this.ctxSum += decN;
    this.steps += 1;
    this.clock = this.runEnd;
    if (decN > 0) {
      this.sink.interToken(seconds, decN);
      this.metrics.interToken.observe(seconds, decN);
      this.metrics.generationTokens += decN;
    }
    const chunks = this.chunks;
    for (let i = 0; i < chunks.size; i++) {
      const id = chunks.ids[i]!;
      const len = chunks.lengths[i]!;
      pool.computed[id] = pool.computed[id]! + len;
      this.metrics.promptTokens += len;
      if (pool.computed[id]! < pool.target[id]!) continue;
      // Prefill done: the iteration also sampled the next token.
      removeId(this.pre, this.preN--, id);
      const generated = pool.generated[id]! + 1;
      pool.generated[id] = generated;
      this.metrics.generationTokens++;
      if (pool.firstToken[id]! < 0) {
        pool.firstToken[id] = this.clock;
        this.metrics.ttft.observe(this.clock - pool.arrival[id]!);
      }
      const kv = pool.target[id]!;
      if (generated >= pool.output[id]!) {
        this.usedBlocks -= blocksFor(kv);
        this.complete(id);
        continue;
      }
      pool.kvBase[id] = kv - this.steps;
      pool.genBase[id] = generated - this.steps;
      this.blocks.add(kv - this.steps);
      this.ctxSum += kv;
      pool.position[id] = this.decN;
      this.dec[this.decN++] = id;
      this.finish.push(pool.output[id]! - (generated - this.steps), id, pool.stamp[id]!);
    }
    chunks.clear();
  }

  private finishDecoding(id: number): void {
    const pool = this.pool;
    const kv = pool.kvBase[id]! + this.steps;
    this.leaveDecode(id, kv);
    this.complete(id);
  }

  private leaveDecode(id: number, kv: number): void {
    const pool = this.pool;
    this.usedBlocks -= blocksFor(kv);
    this.ctxSum -= kv;
    this.blocks.remove(pool.kvBase[id]!);
    const at = pool.position[id]!;
    const last = this.dec[--this.decN]!;
    this.dec[at] = last;
    pool.position[last] = at;
    pool.stamp[id] = (pool.stamp[id]! + 1) | 0;
  }

  private complete(id: number): void {
    const e2e = this.clock - this.pool.arrival[id]!;
    this.metrics.e2e.observe(e2e);
    this.metrics.success++;
    this.outstanding--;
    this.sink.completed(id, this.clock);
  }

  /** Preempts the newest running request (vLLM's recompute preemption). */
  private preemptNewest(): void {
    const pool = this.pool;
    const found = newestAdmitted(pool.order, this.dec, this.decN, this.pre, this.preN);
    const victim = found < 0 ? ~found : found;
    if (found >= 0) {
      const kv = pool.kvBase[victim]! + this.steps;
      pool.generated[victim] = pool.genBase[victim]! + this.steps;
      this.leaveDecode(victim, kv);
    } else {
      this.usedBlocks -= blocksFor(pool.computed[victim]!);
      removeId(this.pre, this.preN--, victim);
    }
    pool.target[victim] = pool.input[victim]! + pool.generated[victim]!;
    pool.computed[victim] = 0;
    pool.preemptions[victim] = pool.preemptions[victim]! + 1;
    this.metrics.preemptions++;
    this.waiting.unshift(victim);
  }

  // ---- scheduling ----------------------------------------------------------------

  /** Schedules the next iteration (or run of decode iterations) from the boundary at `clock`. */
  private plan(): void {
    const pool = this.pool;
    const gpu = this.gpu;
    for (;;) {
      let need = this.decN > 0 ? this.blocks.at(this.steps) : 0;
      while (this.usedBlocks + need > this.usableBlocks && this.decN + this.preN > 0) {
        this.preemptNewest();
        need = this.decN > 0 ? this.blocks.at(this.steps) : 0;
      }
      let free = this.usableBlocks - this.usedBlocks - need;
      let budget = gpu.maxNumBatchedTokens - this.decN;
      const chunks = this.chunks;
      chunks.clear();
      for (let i = 0; i < this.preN && budget > 0; i++) {
        const id = this.pre[i]!;
        const done = pool.computed[id]!;
        let chunk = Math.min(pool.target[id]! - done, budget);
        const held = blocksFor(done);
        chunk = Math.min(chunk, (held + free) * BLOCK_SIZE - done);
        if (chunk <= 0) break;
        const blocks = blocksFor(done + chunk) - held;
        free -= blocks;
        this.usedBlocks += blocks;
        chunks.push(id, chunk);
        budget -= chunk;
      }
      while (this.waiting.length > 0 && this.decN + this.preN < gpu.maxNumSeqs && budget > 0) {
        const id = this.waiting.peek();
        const chunk = Math.min(pool.target[id]!, budget);
        const blocks = blocksFor(chunk);
        if (blocks > free - this.watermark) break;
        this.waiting.shift();
        pool.computed[id] = 0;
        pool.order[id] = pool.admissions++;
        if (this.preN === this.pre.length) this.pre = doubled(this.pre);
        this.pre[this.preN++] = id;
        free -= blocks;
        this.usedBlocks += blocks;
        chunks.push(id, chunk);
        budget -= chunk;
      }
      const run = this.run;
      run.begin(this.clock);
      if (chunks.size > 0) {
        const seconds = iterationSeconds(gpu, this.decN, this.ctxSum, chunks.size, chunks.tokens, chunks.tokensSquared);
        run.planMixed(seconds);
        this.runEnd = this.clock + seconds;
        if (this.mode !== 'run' || this.phase !== 'ready' || this.waiting.length > 0) return;
        if (this.decN > 0) this.cleanHeapTop();
        const nextFinish = this.decN > 0 && this.finish.size > 0 ? this.finish.topKey() : Infinity;
        if (!settlesQuietly(pool, chunks, this.preN, this.steps, nextFinish)) return;
        // Settle the step now (SettledAhead): nothing else can see it before its end.
        this.ahead.record(this.runEnd, this.usedBlocks, this.metrics);
        this.endMixedStep();
        if (this.waiting.length === 0 && this.preN === 0 && this.usedBlocks + this.blocks.at(this.steps) <= this.usableBlocks) continue;
        run.begin(this.clock);
        run.planDecode(gpu, 0, this.decN, this.ctxSum);
        this.runEnd = this.clock;
        return;
      }
      if (this.decN > 0) {
        this.cleanHeapTop();
        const toFinish = this.finish.topKey() - this.steps;
        const steps = this.blocks.stepsThatFit(this.usableBlocks - this.usedBlocks, this.decN, this.steps, toFinish);
        run.planDecode(gpu, Math.max(1, steps), this.decN, this.ctxSum);
        this.runEnd = this.clock + run.endSeconds;
        return;
      }
      if (this.preN > 0) {
        // Prefills hold blocks but none can proceed: free the newest and try again.
        this.preemptNewest();
        continue;
      }
      if (this.waiting.length > 0) {
        // Nothing runs and the head still does not fit: it never will.
        this.sink.aborted(this.waiting.shift(), this.clock);
        this.metrics.aborted++;
        this.outstanding--;
        continue;
      }
      this.runEnd = Infinity;
      run.mixed = false;
      return;
    }
  }

  /**
   * Drops every request (the pod is killed at the end of its grace period) and goes
   * idle; the requests are reported as aborted.
   */
  abortAll(t: number): void {
    this.syncTo(t);
    const pool = this.pool;
    const ids: number[] = [];
    for (let i = 0; i < this.decN; i++) ids.push(this.dec[i]!);
    for (let i = 0; i < this.preN; i++) ids.push(this.pre[i]!);
    while (this.waiting.length > 0) ids.push(this.waiting.shift());
    for (const id of ids) {
      pool.stamp[id] = (pool.stamp[id]! + 1) | 0;
      this.metrics.aborted++;
      this.sink.aborted(id, t);
    }
    this.decN = 0;
    this.preN = 0;
    this.outstanding = 0;
    this.finish.clear();
    this.blocks.clear();
    this.ctxSum = 0;
    this.usedBlocks = 0;
    this.chunks.clear();
    this.runEnd = Infinity;
  }

  private cleanHeapTop(): void {
    const h = this.finish;
    while (h.size > 0 && h.topStamp() !== this.pool.stamp[h.topId()]) h.pop();
  }
}
