/**
 * A prefill step settled ahead of the clock (reference simulator.md §5.2, fewer events):
 * when a replica plans a mixed iteration that finishes every prefill in it and completes
 * no request, with nothing waiting, the step's end is applied at once and the decode run
 * after it planned from that end, so the step costs no event of its own. Nothing else can
 * tell: the router reads outstanding requests, which such a step does not change; a
 * request that arrives before the step ends finds the decode run not yet started and is
 * admitted at the step's end, as it would have been; and a scrape before the step ends
 * reads the KV blocks, counters and histogram sums kept here from before the step, which
 * are what the replica showed then (the running and waiting counts do not change: the
 * prefills become decodes). A draining replica never settles ahead (its kill may fall
 * inside the step).
 * @module
 */
import type { PrefillChunks } from './prefillChunks.js';
import type { RequestPool } from './requestPool.js';
import type { MetricCounters, ReplicaMetrics } from './vllmMetrics.js';

export class SettledAhead {
  /** End of the step settled ahead, s; −Infinity when none. Before it, a scrape reads the values below. */
  until = -Infinity;
  usedBlocks = 0;
  private promptTokens = 0;
  private generationTokens = 0;
  private ttftSum = 0;
  private ttftCount = 0;
  private interTokenSum = 0;
  private interTokenCount = 0;

  /** The replica settles a step ending at `until`; `usedBlocks` and `m` are its state before the step. */
  record(until: number, usedBlocks: number, m: ReplicaMetrics): void {
    this.until = until;
    this.usedBlocks = usedBlocks;
    this.promptTokens = m.promptTokens;
    this.generationTokens = m.generationTokens;
    this.ttftSum = m.ttft.sum;
    this.ttftCount = m.ttft.count;
    this.interTokenSum = m.interToken.sum;
    this.interTokenCount = m.interToken.count;
  }

  /** The counters a scrape before `until` reads: those from before the step, the rest (which the step does not change) from `m`. */
  counters(m: ReplicaMetrics): MetricCounters {
    return {
      promptTokens: this.promptTokens,
      generationTokens: this.generationTokens,
      success: m.success,
      preemptions: m.preemptions,
      ttft: { sum: this.ttftSum, count: this.ttftCount },
      e2e: { sum: m.e2e.sum, count: m.e2e.count },
      interToken: { sum: this.interTokenSum, count: this.interTokenCount },
    };
  }
}

/**
 * Whether a planned mixed step settles quietly: every running prefill is in it and
 * finishes, none of them is then complete (its first token is not its last), and no
 * decoding sequence finishes at the step (`nextFinish`: the earliest step count at which
 * one does, Infinity for none; `steps`: the replica's count before the step).
 */
export function settlesQuietly(pool: RequestPool, chunks: PrefillChunks, preN: number, steps: number, nextFinish: number): boolean {
  if (chunks.size !== preN || nextFinish <= steps + 1) return false;
  for (let i = 0; i < chunks.size; i++) {
    const id = chunks.ids[i]!;
    if (pool.computed[id]! + chunks.lengths[i]! < pool.target[id]!) return false;
    if (pool.generated[id]! + 1 >= pool.output[id]!) return false;
  }
  return true;
}
