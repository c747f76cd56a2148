/**
 * The load shape from two length histograms (issue 19 item 5: the demand mix of a model
 * in a cluster, where no one keeps every request's lengths): vLLM exports the prompt and
 * generation lengths of finished requests as Prometheus histograms
 * (`vllm:request_prompt_tokens`, `vllm:request_generation_tokens`; cumulative buckets
 * by `le`), and a PromQL `sum by (le) (rate(…_bucket[30m]))` gives each bucket's rate.
 * Two things are assumed, and docs/operator.md says so:
 *
 * - within a histogram bucket `(lo, hi]` the lengths are spread evenly in log2 space,
 *   so the bucket's share goes to each profile tick in proportion to the part of
 *   `[log2 lo, log2 hi]` that snaps to it (AIBrix's nearest-tick rule, tokenBuckets.ts);
 *   the `+Inf` bucket's share goes to its lower bound's tick;
 * - prompt and generation lengths are independent: the two histograms are marginals,
 *   and the mix is their product. AIBrix's gateway counts the joint (reference
 *   aibrix.md §5.2); vLLM's metrics do not have it, so a workload whose long prompts get
 *   short answers is seen as a blend of the two.
 *
 * The total rate comes separately (a shorter window's request rate), as `fleetStep`
 * takes the rate and the mix apart.
 * @module
 */
import type { DemandMix } from './loadShape.js';
import { emptyDemand } from './loadShape.js';
import type { TokenGrid } from './throughputProfile.js';
import { log2Ticks } from './tokenBuckets.js';

/** One cumulative histogram bucket: the rate (or count) of lengths ≤ `le` tokens. */
export interface LengthBucket {
  /** Upper bound in tokens; `Infinity` for `+Inf`. */
  le: number;
  /** Cumulative rate or count (any unit: only the shares are used). */
  value: number;
}

/** The shares of a length distribution over the ticks (summing to 1), or null when it has no mass or is malformed. */
export function tickShares(ticks: readonly number[], buckets: readonly LengthBucket[]): number[] | null {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  if (sorted.length === 0 || sorted.some((b) => Number.isNaN(b.le) || !(b.value >= 0 && b.value < Infinity))) return null;
  // Only shares matter: scaled to the largest count, so that tiny (even subnormal) rates keep their precision.
  const top = sorted.reduce((m, b) => Math.max(m, b.value), 0);
  if (!(top > 0)) return null;
  const logs = log2Ticks(ticks);
  const n = logs.length;
  // Tick k takes the log2 lengths in [edges[k], edges[k + 1]): the midpoints between ticks, open at the ends.
  const edges = [-Infinity];
  for (let k = 1; k < n; k++) edges.push((logs[k - 1]! + logs[k]!) / 2);
  edges.push(Infinity);
  const shares = new Array<number>(n).fill(0);
  let total = 0;
  let below = 0;
  let lo = 0;
  for (const b of sorted) {
    // A cumulative count that drops (a counter reset inside the rate window) gives no mass, never a negative one.
    const value = b.value / top;
    const mass = Math.max(0, value - below);
    below = Math.max(below, value);
    const from = Math.log2(Math.max(1, lo));
    const to = b.le === Infinity ? from : Math.log2(Math.max(1, b.le));
    lo = b.le;
    if (mass === 0) continue;
    total += mass;
    if (to <= from) {
      // A point: the bucket (0, 1], or +Inf at its lower bound.
      let k = 0;
      while (k < n - 1 && from >= edges[k + 1]!) k++;
      shares[k]! += mass;
      continue;
    }
    for (let k = 0; k < n; k++) {
      const overlap = Math.min(to, edges[k + 1]!) - Math.max(from, edges[k]!);
      if (overlap > 0) shares[k]! += (mass * overlap) / (to - from);
    }
  }
  if (!(total > 0 && total < Infinity)) return null;
  return shares.map((s) => s / total);
}

/**
 * The demand mix at `rps` requests per second whose lengths follow the two histograms
 * (independent), on `grid`; null when either histogram has no mass or is malformed, or
 * `rps` is not a finite number ≥ 0 (the caller holds: a missing shape is never a zero
 * demand). `rps` 0 gives the empty mix.
 */
export function demandFromHistograms(
  grid: TokenGrid,
  rps: number,
  histograms: { prompt: readonly LengthBucket[]; generation: readonly LengthBucket[] },
  windowSeconds: number,
): DemandMix | null {
  if (!(rps >= 0 && rps < Infinity)) return null;
  const mix = emptyDemand(grid, windowSeconds);
  if (rps === 0) return mix;
  const inputs = tickShares(grid.inputTicks, histograms.prompt);
  const outputs = tickShares(grid.outputTicks, histograms.generation);
  if (inputs === null || outputs === null) return null;
  let total = 0;
  for (let o = 0; o < outputs.length; o++) {
    for (let i = 0; i < inputs.length; i++) {
      const r = rps * outputs[o]! * inputs[i]!;
      mix.rates[o]![i] = r;
      total += r;
    }
  }
  mix.totalRps = total;
  mix.requests = rps * windowSeconds;
  return mix;
}
