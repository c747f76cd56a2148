/**
 * The load shape (reference aibrix.md §5.2, optimizer.md §1 "Workload"): a window of
 * requests, or a gateway's per-bucket counts, turned into a demand mix over a profile's
 * (output, input) token buckets, in requests per second. Each request goes to one
 * bucket by {@link snapTokens} (AIBrix's log2 snapping); the mix is what the optimizer
 * covers.
 *
 * AIBrix clusters the points first (incremental DBSCAN over 240 s, then each cluster's
 * centre snapped to one bucket). Plain bucketing keeps every request in its own bucket,
 * which a cluster centre does not (a cluster spanning two buckets lands in one), and
 * needs no state; prescale uses it, as issue 19 asks, unless clustering beats it in the
 * evaluation (docs/optimizer.md).
 * @module
 */
import { PrescaleError } from '../errors.js';
import type { TokenGrid } from './throughputProfile.js';
import { log2Ticks, type SnapMode, snapLog2 } from './tokenBuckets.js';

export interface DemandMix extends TokenGrid {
  /** Requests per second in each bucket, `[output tick][input tick]`. */
  rates: number[][];
  /** Σ rates. */
  totalRps: number;
  /** Requests counted (for gateway counts: the counts' sum). */
  requests: number;
  /** Requests whose lengths fell outside the ticks and were put in an edge bucket. */
  clamped: number;
  /** Requests (or count entries) skipped: lengths or counts that are not positive, finite numbers. */
  skipped: number;
  /** The window the rates are over, seconds. */
  windowSeconds: number;
}

export interface LoadShapeOptions {
  /** How a length between two ticks is bucketed; default `nearest` (AIBrix). */
  snap?: SnapMode;
}

function windowOf(windowSeconds: number): number {
  if (!Number.isFinite(windowSeconds) || windowSeconds <= 0) {
    throw new PrescaleError('InvalidConfig', 'windowSeconds', windowSeconds, 'must be a positive, finite number of seconds');
  }
  return windowSeconds;
}

/** A mix with no demand on `grid`. */
export function emptyDemand(grid: TokenGrid, windowSeconds: number): DemandMix {
  return {
    inputTicks: [...grid.inputTicks],
    outputTicks: [...grid.outputTicks],
    rates: grid.outputTicks.map(() => grid.inputTicks.map(() => 0)),
    totalRps: 0,
    requests: 0,
    clamped: 0,
    skipped: 0,
    windowSeconds: windowOf(windowSeconds),
  };
}

function toRates(mix: DemandMix, counts: Float64Array): DemandMix {
  const cols = mix.inputTicks.length;
  let total = 0;
  for (let o = 0; o < mix.outputTicks.length; o++) {
    const row = mix.rates[o]!;
    for (let i = 0; i < cols; i++) {
      const rate = counts[o * cols + i]! / mix.windowSeconds;
      row[i] = rate;
      total += rate;
    }
  }
  mix.totalRps = total;
  return mix;
}

/** An empty mix and its counts on `grid`, and the cell (output-major index) a (log2 input, log2 output) pair snaps to. */
function bucketing(grid: TokenGrid, windowSeconds: number, options: LoadShapeOptions) {
  const mode = options.snap ?? 'nearest';
  const inTicks = log2Ticks(grid.inputTicks);
  const outTicks = log2Ticks(grid.outputTicks);
  const cols = grid.inputTicks.length;
  const mix = emptyDemand(grid, windowSeconds);
  const counts = new Float64Array(grid.outputTicks.length * cols);
  const cell = (log2Input: number, log2Output: number) => {
    const i = snapLog2(inTicks, log2Input, mode);
    const o = snapLog2(outTicks, log2Output, mode);
    return { index: o.index * cols + i.index, clamped: i.clamped || o.clamped };
  };
  return { mix, counts, cell };
}

/**
 * The demand mix of the requests `inputs[k]`, `outputs[k]` (tokens) that arrived in a
 * window of `windowSeconds`. A request whose lengths are not positive, finite numbers
 * is skipped and counted in `skipped`.
 */
export function demandFromRequests(
  grid: TokenGrid,
  requests: { inputs: ArrayLike<number>; outputs: ArrayLike<number> },
  windowSeconds: number,
  options: LoadShapeOptions = {},
): DemandMix {
  const { mix, counts, cell } = bucketing(grid, windowSeconds, options);
  const n = Math.min(requests.inputs.length, requests.outputs.length);
  for (let k = 0; k < n; k++) {
    const input = requests.inputs[k]!;
    const output = requests.outputs[k]!;
    if (!(input > 0 && output > 0 && input < Infinity && output < Infinity)) {
      mix.skipped++;
      continue;
    }
    const c = cell(Math.log2(input), Math.log2(output));
    if (c.clamped) mix.clamped++;
    counts[c.index]!++;
    mix.requests++;
  }
  mix.skipped += Math.max(requests.inputs.length, requests.outputs.length) - n;
  return toRates(mix, counts);
}

/** One record of AIBrix's gateway trace: `"<in>:<out>"` (log2 of the lengths × precision) → count, plus `meta_*` fields. */
export type GatewayTrace = Readonly<Record<string, unknown>>;

const KEY = /^(-?\d+):(-?\d+)$/;

/**
 * The demand mix of AIBrix gateway trace records (reference aibrix.md §5.2: one Redis
 * key per 10 s, `"<in>:<out>"` → count with in = round(log2(tokens) × precision),
 * `meta_precision` default 10) covering `windowSeconds` together. When a record has a
 * positive `meta_total_reqs` (version ≥ 3), its counts are scaled to that total, as
 * AIBrix takes its rate from it; otherwise the counts' sum is used. Entries that are
 * neither a count key nor `meta_*`, and counts that are not finite and ≥ 0, are skipped.
 */
export function demandFromGatewayCounts(
  grid: TokenGrid,
  records: readonly GatewayTrace[],
  windowSeconds: number,
  options: LoadShapeOptions = {},
): DemandMix {
  const { mix, counts, cell } = bucketing(grid, windowSeconds, options);
  for (const record of records) {
    const precision = typeof record.meta_precision === 'number' && record.meta_precision > 0 ? record.meta_precision : 10;
    const cells: Array<[number, number]> = [];
    let sum = 0;
    for (const [key, value] of Object.entries(record)) {
      if (key.startsWith('meta_')) continue;
      const m = KEY.exec(key);
      if (m === null || typeof value !== 'number' || !(value >= 0 && value < Infinity)) {
        mix.skipped++;
        continue;
      }
      const c = cell(Number(m[1]) / precision, Number(m[2]) / precision);
      if (c.clamped) mix.clamped += value;
      cells.push([c.index, value]);
      sum += value;
    }
    const total = record.meta_total_reqs;
    const scale = typeof total === 'number' && total > 0 && total < Infinity && sum > 0 ? total / sum : 1;
    for (const [cell, value] of cells) counts[cell]! += value * scale;
    mix.requests += sum * scale;
  }
  return toRates(mix, counts);
}

/** The mix with every rate multiplied by `factor` (≥ 0, finite); the shape is kept. */
export function scaleDemand(mix: DemandMix, factor: number): DemandMix {
  if (!(factor >= 0 && factor < Infinity)) throw new PrescaleError('InvalidConfig', 'factor', factor, 'must be a finite number ≥ 0');
  return { ...mix, rates: mix.rates.map((row) => row.map((r) => r * factor)), totalRps: mix.totalRps * factor };
}
