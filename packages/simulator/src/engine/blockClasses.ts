/**
 * A replica's decoding sequences counted by where they stand in their last 16-token KV
 * block (reference simulator.md §5.2): a sequence with KV tokens `kvBase + step` needs a
 * new block at the decode steps where that count is a multiple of 16, so the blocks any
 * number of decode steps add, or the steps that fit in the free blocks, cost O(16)
 * whatever the batch size.
 *
 * Steps and bases are 32-bit integers, so `x mod 16` is `x & 15` (two's complement gives
 * the non-negative residue for negative bases too) and the class that needs a block at
 * step s is `(−s) & 15`.
 * @module
 */
import { BLOCK_SIZE } from '../gpu/gpuProfile.js';

const MASK = BLOCK_SIZE - 1;

/** KV blocks holding `tokens` tokens, ⌈tokens / 16⌉, for a non-negative 32-bit integer count (a shift, not a division). */
export function blocksFor(tokens: number): number {
  return (tokens + MASK) >> 4;
}

export class BlockClasses {
  /** Decoding sequences by `kvBase mod 16`. */
  private readonly count = new Int32Array(BLOCK_SIZE);

  /** A sequence whose KV tokens are `kvBase + step` starts decoding. */
  add(kvBase: number): void {
    this.count[kvBase & MASK]!++;
  }

  /** A sequence added with `kvBase` stops decoding. */
  remove(kvBase: number): void {
    this.count[kvBase & MASK]!--;
  }

  clear(): void {
    this.count.fill(0);
  }

  /** New blocks the decode step after `steps` steps needs. */
  at(steps: number): number {
    return this.count[-steps & MASK]!;
  }

  /**
   * Blocks `sequences` decoding sequences add over steps [s, s + n). Every 16 steps add
   * one block per sequence; of the last `n mod 16` steps, the classes they reach are
   * summed, or, past 8 of them, the classes they do not reach are taken from the
   * total (the counts sum to `sequences`), so at most 8 are read.
   */
  added(s: number, n: number, sequences: number): number {
    const count = this.count;
    const rem = n & MASK;
    let added = (n >>> 4) * sequences;
    if (rem <= BLOCK_SIZE / 2) {
      for (let j = 0; j < rem; j++) added += count[-(s + j) & MASK]!;
      return added;
    }
    added += sequences;
    for (let j = rem; j < BLOCK_SIZE; j++) added -= count[-(s + j) & MASK]!;
    return added;
  }

  /**
   * Most decode steps after `steps` whose new blocks fit in `free`, for `sequences` (> 0)
   * decoding sequences, or `limit` if that is fewer. Every 16 steps add one block per
   * sequence, so `floor(free / sequences) · 16` steps always fit; the classes are read
   * only when `limit` is beyond them.
   */
  stepsThatFit(free: number, sequences: number, steps: number, limit: number): number {
    const count = this.count;
    const full = Math.floor(free / sequences);
    const k = full * BLOCK_SIZE;
    if (limit <= k) return limit;
    let rem = free - full * sequences;
    const from = steps + k;
    let fit = k + BLOCK_SIZE;
    for (let j = 0; j < BLOCK_SIZE; j++) {
      const c = count[-(from + j) & MASK]!;
      if (c > rem) {
        fit = k + j;
        break;
      }
      rem -= c;
    }
    return Math.min(limit, fit);
  }
}
