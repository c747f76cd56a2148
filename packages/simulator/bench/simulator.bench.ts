/**
 * Simulated requests per wall-clock second of one scaler run (issue 4's target: ≥ 1 M/s,
 * a week at 10 requests/s in ≤ 6 s and ≤ 1 GB RSS). Each group runs one workload per
 * iteration and is named with its request count, so the report's rates are per
 * request. The baseline produces the same arrivals (Poisson spreading, token lengths)
 * without simulating them, in the same process.
 *
 * Workload: the diurnal + weekly generator at a mean of 10 requests/s, the built-in
 * token mix, 16 V100 replicas behind least-request routing, the `fixed` scaler (so the
 * replica count does not depend on a scaler's choices), 10 s scrapes.
 */
import { bench, describe } from 'vitest';
import { builtInLengths, CountArrivals, diurnalWeekly, fixedRunOptions, GPU_PROFILES, runSimulation } from '@prescale/simulator';

const gpu = GPU_PROFILES['V100']!;
const lengths = builtInLengths();

function workload(days: number) {
  const series = diurnalWeekly({ days, meanRps: 10, flashCrowd: null }, 1);
  const arrivals = () => new CountArrivals(series, lengths, gpu.maxModelLen, 1, 0, days * 86_400);
  let n = 0;
  const a = arrivals();
  while (a.next()) n++;
  return { series, arrivals, n, seconds: days * 86_400 };
}

function simulate(w: ReturnType<typeof workload>): number {
  const out = runSimulation(fixedRunOptions({ gpu, arrivals: w.arrivals(), seconds: w.seconds, replicas: 16, startMs: w.series.startMs }));
  if (out.completed !== w.n) throw new Error(`lost requests: ${out.completed} of ${w.n}`);
  return out.completed;
}

function generateOnly(w: ReturnType<typeof workload>): number {
  const a = w.arrivals();
  let tokens = 0;
  while (a.next()) tokens += a.input + a.output;
  return tokens;
}

let sink = 0;
const day = workload(1);
const week = workload(7);
let peakRss = 0;
const rss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

describe(`one day at 10 requests/s (${day.n} per iteration)`, () => {
  bench('baseline: generate the arrivals only', () => {
    sink += generateOnly(day);
  }, { iterations: 5, warmupIterations: 1, time: 0 });
  bench('simulate', () => {
    sink += simulate(day);
    rss();
  }, { iterations: 5, warmupIterations: 1, time: 0 });
});

describe(`a week at 10 requests/s (${week.n} per iteration)`, () => {
  bench('baseline: generate the arrivals only', () => {
    sink += generateOnly(week);
  }, { iterations: 2, warmupIterations: 0, time: 0 });
  bench('simulate', () => {
    sink += simulate(week);
    rss();
  }, { iterations: 2, warmupIterations: 0, time: 0, teardown: () => console.log(`peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB (sink ${sink})`) });
});
