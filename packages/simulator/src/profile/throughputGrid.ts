/**
 * `prescale profile --grid`: a GPU type's throughput profile over AIBrix's token grid
 * (reference aibrix.md §5.1, optimizer.md §5), measured in simulation: for each
 * (input, output) bucket, the highest request rate one replica sustains under the SLO,
 * written in `aibrix_gen_profile`'s JSON layout (`ThroughputProfile` in core).
 *
 * AIBrix's rule per cell: a rate passes when every SLO set holds at the chosen
 * percentile (time SLOs: the percentile < the limit; percentile 0 is the mean); among
 * passing rates, the highest whose throughput is at least `TPUT_TOLERANCE` (0.9) of the
 * rate is kept (here: of the rate the trial's arrivals actually offered, so the Poisson
 * draw's own few percent of noise does not count as falling behind), or the lowest passing rate if none is; the cell's value is the
 * throughput measured there, 0 if no rate passes. Throughput is, as in AIBrix's
 * benchmark, requests over the time from the first arrival to the last completion:
 * here completed / (trial length + the longest end-to-end latency). The drain tail makes
 * it a little below the rate even for a server that keeps up, by the share longest
 * latency / trial length, which would cap fast cells at about requests / (9 × latency):
 * AIBrix runs 100 requests per cell; a trial here is 1,000 requests and at least 50
 * times one request's latency on an idle replica (and 60 s; coarse trials 200
 * requests, 20 latencies and 20 s), so that share stays at a few percent.
 *
 * AIBrix benchmarks every rate of a fixed ladder (1 to 64 req/s, doubling). Here each
 * cell is searched, coarse to fine: doubling or halving from a start with short trials
 * (200 requests) to bracket the capacity, then full trials at both ends of the bracket
 * (doubling the upper end while it keeps up) and bisection in log space until the
 * bracket is within 3 %. A cell starts from the lower capacity of its
 * neighbours already measured (capacity falls as prompts and outputs grow), so most
 * brackets take one or two short trials. Every trial uses the same seed: steady Poisson
 * arrivals of requests of exactly the cell's lengths to one replica, ready from the
 * start.
 *
 * Cells whose lengths exceed the model's context are measured as the simulator serves
 * such requests: the output clipped to the context less one token, the prompt to what
 * remains. Cells that clip to the same lengths share one search.
 * @module
 */
import type { ThroughputProfile } from '@prescale/core';
import { fixedRunOptions } from '../engine/fixedRun.js';
import { runSimulation } from '../engine/simulation.js';
import { BLOCK_SIZE, type GpuProfile, iterationSeconds } from '../gpu/gpuProfile.js';
import type { LogHistogram } from '../stats/logHistogram.js';
import { PoissonArrivals } from '../workload/arrivals.js';
import type { LengthDistribution } from '../workload/lengths.js';

/** The SLO of a grid profile: any of TTFT, TPOT and E2E (seconds) at a percentile (0 = mean). */
export interface GridSlo {
  ttftSeconds?: number;
  tpotSeconds?: number;
  e2eSeconds?: number;
  percentile: 0 | 50 | 90 | 99;
}

export interface ThroughputGridOptions {
  gpu: GpuProfile;
  /** Input-token ticks (columns), ascending. */
  inputTicks: readonly number[];
  /** Output-token ticks (rows), ascending. */
  outputTicks: readonly number[];
  slo: GridSlo;
  /** US dollars per replica-hour, written as the profile's `cost`. */
  cost: number;
  /** AIBrix's `TPUT_TOLERANCE`. Default 0.9. */
  tputTolerance?: number;
  /** Requests per full trial. Default 1000. */
  trialRequests?: number;
  /** Requests per coarse (bracketing) trial. Default 200. */
  coarseRequests?: number;
  /** Shortest full trial, in multiples of one request's latency on an idle replica (and at least 60 s). Default 50. */
  trialLatencies?: number;
  /** Shortest coarse trial, in the same multiples (and at least 20 s). Default 20. */
  coarseLatencies?: number;
  /** Stop bisecting when hi / lo ≤ 1 + this. Default 0.03. */
  precision?: number;
  /** Below this rate a cell counts as unservable. Default 0.01 req/s. */
  minRps?: number;
  seed?: number;
  /** Unix seconds for `created`; default none (a run is then reproducible byte for byte). */
  created?: number;
  /** Called after each cell. */
  onProgress?: (done: number, total: number) => void;
}

/** AIBrix's grid (reference aibrix.md §5.1): 4 … 4096 tokens, doubling, for inputs and outputs. */
export const AIBRIX_TICKS: readonly number[] = Array.from({ length: 11 }, (_, k) => 4 * 2 ** k);

/** One trial: the SLO metric at the percentile, the throughput, and whether the rate passes and is kept. */
export interface GridTrial {
  rps: number;
  requests: number;
  pass: boolean;
  good: boolean;
  throughput: number;
  e2eMean: number;
  ttftMean: number;
}

function fixedLengths(input: number, output: number): LengthDistribution {
  return {
    name: `${input} in / ${output} out`,
    sample(_random, out) {
      out.input = input;
      out.output = output;
    },
    meanInput: input,
    meanOutput: output,
  };
}

/** One request's end-to-end latency on an idle replica, s: its prefill chunks, then one decode step per further token. */
function idleLatency(g: GpuProfile, input: number, output: number): number {
  let seconds = 0;
  for (let done = 0; done < input; done += g.maxNumBatchedTokens) {
    const chunk = Math.min(g.maxNumBatchedTokens, input - done);
    seconds += iterationSeconds(g, 0, 0, 1, chunk, chunk * chunk);
  }
  return seconds + (output - 1) * iterationSeconds(g, 1, input + output / 2, 0, 0, 0);
}

function atPercentile(h: LogHistogram, percentile: number): number | null {
  if (h.count === 0) return null;
  return percentile === 0 ? h.sum / h.count : h.quantile(percentile / 100);
}

/** Measures the whole grid. */
export function measureThroughputGrid(o: ThroughputGridOptions): ThroughputProfile {
  const tolerance = o.tputTolerance ?? 0.9;
  const fine = o.trialRequests ?? 1000;
  const coarse = Math.min(fine, o.coarseRequests ?? 200);
  const fineLatencies = o.trialLatencies ?? 50;
  const coarseLatencies = Math.min(fineLatencies, o.coarseLatencies ?? 20);
  const precision = o.precision ?? 0.03;
  const minRps = o.minRps ?? 0.01;
  const seed = o.seed ?? 1;
  const g = o.gpu;
  let trials = 0;

  const trial = (input: number, output: number, rps: number, requests: number, minSeconds: number): GridTrial => {
    trials++;
    const seconds = Math.max(requests / rps, minSeconds);
    const out = runSimulation(
      fixedRunOptions({
        name: `grid ${input}/${output} @ ${rps}`,
        arrivals: new PoissonArrivals(rps, seconds, fixedLengths(input, output), g.maxModelLen, seed),
        seconds,
        replicas: 1,
        startMs: 0,
        seed,
        gpu: g,
        chartWindows: 1_000_000,
        slo: { ttftSeconds: o.slo.ttftSeconds ?? Infinity, tpotSeconds: o.slo.tpotSeconds ?? Infinity },
      }),
    );
    const p = o.slo.percentile;
    const checks: Array<[number | undefined, LogHistogram]> = [[o.slo.ttftSeconds, out.ttft], [o.slo.tpotSeconds, out.tpot], [o.slo.e2eSeconds, out.e2e]];
    let pass = out.completed > 0;
    for (const [limit, h] of checks) {
      if (limit === undefined) continue;
      const v = atPercentile(h, p);
      if (v !== null && !(v < limit)) pass = false;
    }
    const throughput = out.completed / (seconds + (out.e2e.quantile(1) ?? 0));
    // Compared with the rate actually offered: a trial's Poisson draw brings a few percent more or fewer requests than rps × seconds.
    const offered = out.arrived / seconds;
    return {
      rps,
      requests: out.arrived,
      pass,
      good: pass && throughput >= tolerance * offered,
      throughput,
      e2eMean: out.e2e.count > 0 ? out.e2e.sum / out.e2e.count : 0,
      ttftMean: out.ttft.count > 0 ? out.ttft.sum / out.ttft.count : 0,
    };
  };

  /** The cell's kept trial (null: no rate passes), from a start rate. */
  const searchCell = (input: number, output: number, start: number): GridTrial | null => {
    const passing: GridTrial[] = [];
    const latency = idleLatency(g, input, output);
    const run = (rps: number, n: number) => {
      const t = trial(input, output, rps, n, n === fine ? Math.max(60, fineLatencies * latency) : Math.max(20, coarseLatencies * latency));
      if (t.pass) passing.push(t);
      return t;
    };
    // Coarse: bracket the capacity between a good rate (lo) and a bad one (hi).
    let lo = 0;
    let hi = 0;
    let r = Math.max(minRps, start);
    if (run(r, coarse).good) {
      lo = r;
      for (r *= 2; r <= 1e4; r *= 2) {
        if (!run(r, coarse).good) break;
        lo = r;
      }
      hi = r;
    } else {
      hi = r;
      for (r /= 2; r >= minRps; r /= 2) {
        if (run(r, coarse).good) {
          lo = r;
          break;
        }
        hi = r;
      }
    }
    // Fine: confirm the good end with a full trial (halving while it fails), then bisect.
    let best: GridTrial | null = null;
    while (lo >= minRps) {
      const t = run(lo, fine);
      if (t.good) {
        best = t;
        break;
      }
      hi = lo;
      lo /= 2;
    }
    if (best === null) {
      // No rate keeps up: AIBrix keeps the lowest passing rate, else the cell is unusable.
      passing.sort((a, b) => a.rps - b.rps);
      return passing[0] ?? null;
    }
    // The coarse trials only bracket: a bad end they found is checked with full trials too.
    while (hi <= 1e4) {
      const t = run(hi, fine);
      if (!t.good) break;
      lo = hi;
      best = t;
      hi *= 2;
    }
    while (hi / lo > 1 + precision) {
      const mid = Math.sqrt(lo * hi);
      const t = run(mid, fine);
      if (t.good) {
        lo = mid;
        best = t;
      } else hi = mid;
    }
    return best;
  };

  const rows = o.outputTicks.length;
  const cols = o.inputTicks.length;
  const tputs = o.outputTicks.map(() => o.inputTicks.map(() => 0));
  const e2e = o.outputTicks.map(() => o.inputTicks.map(() => 0));
  const ttft = o.outputTicks.map(() => o.inputTicks.map(() => 0));
  const simulatedLengths: Array<Array<[number, number]>> = o.outputTicks.map(() => o.inputTicks.map((): [number, number] => [0, 0]));
  const memo = new Map<string, GridTrial | null>();
  let done = 0;
  for (let oi = 0; oi < rows; oi++) {
    for (let ii = 0; ii < cols; ii++) {
      const output = Math.max(1, Math.min(o.outputTicks[oi]!, g.maxModelLen - 1));
      const input = Math.min(o.inputTicks[ii]!, g.maxModelLen - output);
      simulatedLengths[oi]![ii] = [input, output];
      const fits = input >= 1 && Math.ceil((input + output) / BLOCK_SIZE) <= g.kvBlocks;
      const key = `${input}:${output}`;
      if (!memo.has(key)) {
        const neighbours = [ii > 0 ? tputs[oi]![ii - 1]! : 0, oi > 0 ? tputs[oi - 1]![ii]! : 0].filter((v) => v > 0);
        const start = neighbours.length > 0 ? Math.min(...neighbours) : 1;
        memo.set(key, fits ? searchCell(input, output, start) : null);
      }
      const kept = memo.get(key)!;
      if (kept !== null) {
        tputs[oi]![ii] = kept.throughput;
        e2e[oi]![ii] = kept.e2eMean;
        ttft[oi]![ii] = kept.ttftMean;
      }
      o.onProgress?.(++done, rows * cols);
    }
  }
  const slos: Record<string, number> = { percentile: o.slo.percentile };
  if (o.slo.ttftSeconds !== undefined) slos.ttft = o.slo.ttftSeconds;
  if (o.slo.tpotSeconds !== undefined) slos.tpot = o.slo.tpotSeconds;
  if (o.slo.e2eSeconds !== undefined) slos.e2e = o.slo.e2eSeconds;
  return {
    gpu: g.name,
    cost: o.cost,
    tputs,
    indexes: [[...o.outputTicks], [...o.inputTicks]],
    ...(o.created !== undefined ? { created: o.created } : {}),
    e2e,
    ttft,
    slos,
    prescale: { model: g.model, tputTolerance: tolerance, trialRequests: fine, seed, simulatedLengths, trials },
  };
}
