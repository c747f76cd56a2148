/**
 * Which profile bucket a request's token count belongs to, as AIBrix's load monitor
 * decides it (reference aibrix.md §5.2): in log2 space, a value between two ticks goes
 * to the lower one if it is below their midpoint (`value < lower + (upper − lower) ·
 * 0.5`), else to the upper; values outside the ticks go to the edge tick. On AIBrix's
 * doubling ticks this is the nearest tick in log space. The `up` mode takes the
 * smallest tick at or above the value instead (a request is then never served by a
 * profile measured on shorter requests; the edge still clamps).
 *
 * AIBrix's gateway first rounds log2 of each count to 0.1 (`round(log2(n) / 0.1)`,
 * keys `"<in>:<out>"` in tenths); {@link snapLog2} takes such values directly.
 * @module
 */

/** `nearest`: AIBrix's rule (nearest tick in log2 space); `up`: the smallest tick at or above. */
export type SnapMode = 'nearest' | 'up';

/** log2 of each tick (what the snapping compares against). */
export function log2Ticks(ticks: readonly number[]): Float64Array {
  return Float64Array.from(ticks, (t) => Math.log2(t));
}

/**
 * The bucket index of a value given in log2 (`logTicks` ascending), and whether it was
 * outside the ticks (clamped to an edge). A NaN value returns -1.
 */
export function snapLog2(logTicks: ArrayLike<number>, value: number, mode: SnapMode = 'nearest'): { index: number; clamped: boolean } {
  const n = logTicks.length;
  if (Number.isNaN(value) || n === 0) return { index: -1, clamped: false };
  if (value <= logTicks[0]!) return { index: 0, clamped: value < logTicks[0]! };
  if (value >= logTicks[n - 1]!) return { index: n - 1, clamped: value > logTicks[n - 1]! };
  // Binary search for the last tick ≤ value.
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (logTicks[mid]! <= value) lo = mid;
    else hi = mid;
  }
  const lower = logTicks[lo]!;
  if (value === lower) return { index: lo, clamped: false };
  if (mode === 'up') return { index: hi, clamped: false };
  const upper = logTicks[hi]!;
  return { index: value < lower + (upper - lower) * 0.5 ? lo : hi, clamped: false };
}

/** The bucket index of a token count (≥ 1). */
export function snapTokens(logTicks: ArrayLike<number>, tokens: number, mode: SnapMode = 'nearest'): { index: number; clamped: boolean } {
  return snapLog2(logTicks, Math.log2(tokens), mode);
}
