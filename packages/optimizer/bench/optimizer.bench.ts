/**
 * The optimizer's speed (issue 19: one solve for 5 GPU types × 100 buckets ≤ 50 ms; the
 * whole loop, bucketing + solve, for one model every 10 s < 1 % of a core).
 *
 * Fleet: the five built-in GPUs, profiled by `prescale profile --grid` on a 10 × 10 grid
 * (8 … 4096 tokens, doubling; bench/profiles/*.json), at their default prices. Demand:
 * 50 req/s over all 100 buckets (a log-normal mix around 700-token prompts and
 * 130-token outputs, at least 0.01 req/s in every bucket), so every bucket some GPU can
 * serve is in the model. The load shape buckets a 240 s window of those requests
 * (AIBrix's monitor window), 12,000 of them.
 *
 * Baseline, in the same process: a fixed CPU workload (one hundredth of
 * /work/shared/tools/ref_loop.mjs, 1 M xorshift steps), so a time can be read in
 * machine-independent units.
 */
import { readFileSync } from 'node:fs';
import { demandFromHistograms, demandFromRequests, type DemandMix, type LengthBucket, FLEET_SCALER_DEFAULTS, fleetStep, initialFleetState, optimizeAllocation, optimizerConfig, parseThroughputProfile, profileGrid } from '@prescale/core';
import { createHighsSolver } from '@prescale/optimizer';
import { bench, describe } from 'vitest';

const profiles = ['V100', 'A10G', 'L4', 'A100', 'H100'].map((gpu) =>
  parseThroughputProfile(JSON.parse(readFileSync(new URL(`./profiles/${gpu}.json`, import.meta.url), 'utf8')), `${gpu}.json`),
);
const grid = profileGrid(profiles[0]!);
const config = optimizerConfig({ profiles });
const solver = await createHighsSolver();

/** `seconds` of requests at 50 req/s whose lengths spread over the grid (deterministic). */
function window(seconds = 240): { inputs: Int32Array; outputs: Int32Array } {
  const n = 50 * seconds;
  const inputs = new Int32Array(n);
  const outputs = new Int32Array(n);
  let x = 2463534242;
  const uniform = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return ((x >>> 0) + 0.5) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  for (let k = 0; k < n; k++) {
    inputs[k] = Math.max(1, Math.min(4000, Math.round(700 * Math.exp(1.2 * normal()))));
    outputs[k] = Math.max(1, Math.min(4000, Math.round(130 * Math.exp(1.2 * normal()))));
  }
  return { inputs, outputs };
}
const requests = window();
/** The fleet loop's mix window: 30 minutes at 50 req/s (90,000 requests); its last 120 s give the rate. */
const long = window(1800);
const recent = { inputs: long.inputs.subarray(long.inputs.length - 6000), outputs: long.outputs.subarray(long.outputs.length - 6000) };
const fleetConfig = optimizerConfig({ profiles, headroom: 0.1 });
/** A current fleet that covers the demand (the optimum plus one A100): the step solves, then checks it still covers. */
const optimum = optimizeAllocation(fleetConfig, { demand: demandFromRequests(grid, long, 1800) }, solver).replicas;
const current = { ...optimum, A100: (optimum.A100 ?? 0) + 1 };
const observed = demandFromRequests(grid, requests, 240);
/** The observed mix with every bucket at least 0.01 req/s: all 100 buckets in the model. */
const demand: DemandMix = { ...observed, rates: observed.rates.map((row) => row.map((r) => Math.max(r, 0.01))) };
demand.totalRps = demand.rates.flat().reduce((s, r) => s + r, 0);
/**
 * The operator's fleet loop (scalingStrategy Optimizer): the mix from vLLM's prompt and
 * generation length histograms (its 1-2-5 buckets up to 10,000 tokens, cumulative) of the
 * same 30 minutes, at the last 120 s's rate, instead of bucketing the requests.
 */
function histogram(lengths: Int32Array): LengthBucket[] {
  const les = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, Infinity];
  return les.map((le) => ({ le, value: lengths.reduce((n, v) => n + (v <= le ? 1 : 0), 0) }));
}
const promptHistogram = histogram(long.inputs);
const generationHistogram = histogram(long.outputs);

let sink = 0;
function reference(): number {
  let x = 2463534242;
  let acc = 0;
  const arr = new Float64Array(1 << 16);
  for (let i = 0; i < 1_000_000; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const k = x & 0xffff;
    arr[k] = arr[k]! * 0.5 + (i & 1023);
    acc += arr[(k * 7) & 0xffff]!;
  }
  return acc;
}

const options = { time: 3000, warmupIterations: 20, warmupTime: 1000 };
describe('the optimizer: 5 GPU types × 100 buckets', () => {
  bench('baseline: 1 M xorshift steps (ref_loop / 100)', () => {
    sink += reference();
  }, options);
  bench('solve (optimizeAllocation with HiGHS, proven optimal)', () => {
    const d = optimizeAllocation(config, { demand }, solver);
    if (d.status !== 'Optimal') throw new Error(`not optimal: ${d.message}`);
    sink += d.costPerHour;
  }, options);
  bench('load shape: bucket 240 s of requests (12,000)', () => {
    sink += demandFromRequests(grid, requests, 240).totalRps;
  }, options);
  bench('one loop: bucket the window, then solve', () => {
    sink += optimizeAllocation(config, { demand: demandFromRequests(grid, requests, 240) }, solver).costPerHour;
  }, options);
  bench('one fleet loop (simulate --fleet): bucket 120 s and 30 min, fleetStep (solve + covering check of the current mix)', () => {
    const demand = demandFromRequests(grid, recent, 120);
    const shape = demandFromRequests(grid, long, 1800);
    const step = fleetStep(fleetConfig, FLEET_SCALER_DEFAULTS, initialFleetState(), { now: 0, demand, shape, current, ready: current }, solver);
    sink += step.decision.allocation.costPerHour;
  }, options);
  bench('one operator fleet loop (scalingStrategy Optimizer): demandFromHistograms, fleetStep (solve + covering check)', () => {
    const demand = demandFromHistograms(grid, 6000 / 120, { prompt: promptHistogram, generation: generationHistogram }, 120);
    if (demand === null) throw new Error('no mix from the histograms');
    const step = fleetStep(fleetConfig, FLEET_SCALER_DEFAULTS, initialFleetState(), { now: 0, demand, current, ready: current }, solver);
    sink += step.decision.allocation.costPerHour;
  }, options);
});

export { sink };
