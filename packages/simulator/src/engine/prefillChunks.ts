/**
 * The prefill chunks of the iteration a replica has planned: which request computes how
 * many prompt tokens, and the token sums the iteration's time depends on
 * ({@link iterationSeconds} takes the tokens and the sum of their squares); and the two
 * operations on the replica's list of prefilling requests (grow it, remove one).
 * @module
 */
import type { iterationSeconds } from '../gpu/gpuProfile.js';

export class PrefillChunks {
  /** Request ids and chunk lengths, `size` of each in use. */
  ids = new Int32Array(16);
  lengths = new Int32Array(16);
  size = 0;
  /** Σ length and Σ length² over the chunks. */
  tokens = 0;
  tokensSquared = 0;

  clear(): void {
    this.size = 0;
    this.tokens = 0;
    this.tokensSquared = 0;
  }

  push(id: number, length: number): void {
    if (this.size === this.ids.length) {
      const ids = new Int32Array(this.size * 2);
      ids.set(this.ids);
      this.ids = ids;
      const lengths = new Int32Array(this.size * 2);
      lengths.set(this.lengths);
      this.lengths = lengths;
    }
    this.ids[this.size] = id;
    this.lengths[this.size++] = length;
    this.tokens += length;
    this.tokensSquared += length * length;
  }
}

/** A copy of `a` twice as long (a request list that outgrew its array). */
export function doubled(a: Int32Array): Int32Array {
  const grown = new Int32Array(a.length * 2);
  grown.set(a);
  return grown;
}

/**
 * Removes `id` from the first `n` entries of `list`, keeping the others' order. A loop
 * rather than `indexOf`: the list holds a request or two, where a builtin call costs
 * more than the search.
 */
export function removeId(list: Int32Array, n: number, id: number): void {
  let i = 0;
  while (list[i] !== id) i++;
  for (; i < n - 1; i++) list[i] = list[i + 1]!;
}
