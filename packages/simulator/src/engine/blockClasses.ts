/**
 * A replica's decoding sequences counted by where they stand in their last 16-token KV
 * block (reference simulator.md §5.2): a sequence with KV tokens `kvBase + step` needs a
 * new block at the decode steps where that count is a multiple of 16, so the blocks any
 * number of decode steps add, or the steps that fit in the free blocks, cost O(16)
 * whatever the batch size.
 * @module
 */
import { BLOCK_SIZE } from '../gpu/gpuProfile.js';

export class BlockClasses {
  /** Decoding sequences by `kvBase mod 16`. */
  private readonly count = new Int32Array(BLOCK_SIZE);

  /** A sequence whose KV tokens are `kvBase + step` starts decoding. */
  add(kvBase: number): void {
    this.count[mod16(kvBase)]!++;
  }

  /** A sequence added with `kvBase` stops decoding. */
  remove(kvBase: number): void {
    this.count[mod16(kvBase)]!--;
  }

  clear(): void {
    this.count.fill(0);
  }

  /** New blocks the decode step after `steps` steps needs. */
  at(steps: number): number {
    return this.count[(BLOCK_SIZE - (steps % BLOCK_SIZE)) % BLOCK_SIZE]!;
  }

  /** Blocks `sequences` decoding sequences add over steps [s, s + n). */
  added(s: number, n: number, sequences: number): number {
    let added = Math.floor(n / BLOCK_SIZE) * sequences;
    const rem = n % BLOCK_SIZE;
    for (let j = 0; j < rem; j++) added += this.count[(BLOCK_SIZE - ((s + j) % BLOCK_SIZE)) % BLOCK_SIZE]!;
    return added;
  }

  /** Most decode steps after `steps` whose new blocks fit in `free`, for `sequences` (> 0) decoding sequences. */
  stepsThatFit(free: number, sequences: number, steps: number): number {
    const full = Math.floor(free / sequences);
    const k = full * BLOCK_SIZE;
    let rem = free - full * sequences;
    for (let j = 0; j < BLOCK_SIZE; j++) {
      const c = this.count[(BLOCK_SIZE - ((steps + k + j) % BLOCK_SIZE)) % BLOCK_SIZE]!;
      if (c > rem) return k + j;
      rem -= c;
    }
    return k + BLOCK_SIZE;
  }
}

function mod16(x: number): number {
  return ((x % BLOCK_SIZE) + BLOCK_SIZE) % BLOCK_SIZE;
}
