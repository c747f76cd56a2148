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
 *
 * With `PRESCALE_BENCH_BASELINE` set to another build's `dist/index.js` (for example a
 * worktree of main), one more group simulates the day with that build and with this one
 * in the same process: the before/after ratio of an engine change.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as simulator from '@prescale/simulator';
import { bench, describe } from 'vitest';

type Simulator = typeof simulator;
const gpu = simulator.GPU_PROFILES['V100']!;

function workload(days: number, sim: Simulator = simulator) {
  const lengths = sim.builtInLengths();
  const series = sim.diurnalWeekly({ days, meanRps: 10, flashCrowd: null }, 1);
  const arrivals = () => new sim.CountArrivals(series, lengths, gpu.maxModelLen, 1, 0, days * 86_400);
  let n = 0;
  const a = arrivals();
  while (a.next()) n++;
  return { sim, series, arrivals, n, seconds: days * 86_400 };
}

function simulate(w: ReturnType<typeof workload>): number {
  const out = w.sim.runSimulation(w.sim.fixedRunOptions({ gpu, arrivals: w.arrivals(), seconds: w.seconds, replicas: 16, startMs: w.series.startMs }));
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

const baselinePath = process.env['PRESCALE_BENCH_BASELINE'];
if (baselinePath) {
  const earlier = (await import(pathToFileURL(resolve(baselinePath)).href)) as Simulator;
  const earlierDay = workload(1, earlier);
  describe(`one day at 10 requests/s, this build against ${baselinePath} (${day.n} per iteration)`, () => {
    bench('baseline: simulate with the other build', () => {
      sink += simulate(earlierDay);
    }, { iterations: 6, warmupIterations: 1, time: 0 });
    bench('simulate', () => {
      sink += simulate(day);
    }, { iterations: 6, warmupIterations: 1, time: 0 });
  });
}
