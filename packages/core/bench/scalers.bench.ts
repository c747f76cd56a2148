/**
 * Decisions per second of each scaler's full step (windows, decider or calculator,
 * stabilisation, bounds, explanation) in a steady 10 s control loop.
 *
 * One benchmark iteration runs BATCH consecutive decisions, so the harness's
 * per-iteration timing does not swamp sub-microsecond steps: decisions per second is
 * `hz × BATCH`. The baseline is the bare proportional rule `ceil(load / target)` within
 * bounds, batched the same way in the same process; docs/benchmarks.md reports each
 * scaler as a ratio to it.
 */
import { bench, describe } from 'vitest';
import { apaConfig, apaInit, apaStep, type HpaPod, hpaConfig, hpaInit, hpaStep, kpaConfig, kpaInit, kpaStep } from '@prescale/core';

export const BATCH = 100;
const T0 = 1_699_999_980_000;
const LOOP_MS = 10_000;
/** A load that ramps and falls (about 4 to 14 replicas), so panic, stabilisation and limits all run. */
const load = Array.from({ length: 360 }, (_, i) => 40 + 35 * Math.sin(i / 20) + (i % 7));

let i = 0;
let sink = 0;

const kc = kpaConfig({ targetValue: 10, maxReplicas: 50, granularitySeconds: 10, stableWindowSeconds: 120, panicWindowPercentage: 25 });
let ks = kpaInit(kc, { now: T0, readyPods: 4 });
let kn = T0;
let kr = 4;

const hc = hpaConfig({ maxReplicas: 50, metrics: [{ type: 'Pods', name: 'queue', target: { type: 'AverageValue', averageValueMilli: 8_000 } }], behavior: {} });
let hs = hpaInit();
let hn = T0;
let hr = 4;
// Inputs as an adapter hands them over: the pods of the current replicas, each with its
// share of a queue that follows the load.
const pods: HpaPod[] = Array.from({ length: 50 }, (_, k) => ({ name: `p${k}`, phase: 'Running', ready: true }));
const hpaInputs = load.map((v) =>
  Array.from({ length: 51 }, (_, n) => ({
    pods: pods.slice(0, n),
    metrics: [{ podValuesMilli: Object.fromEntries(pods.slice(0, n).map((p) => [p.name, Math.round((v * 1200) / Math.max(1, n))])) }],
  })),
);

const ac = apaConfig({ targetValue: 10, maxReplicas: 50, windowSeconds: 60 });
let as = apaInit(ac);
let an = T0;
let ar = 4;

describe(`decisions (${BATCH} per iteration)`, () => {
  bench('baseline: ceil(load / target) within bounds', () => {
    for (let b = 0; b < BATCH; b++) sink += Math.min(50, Math.max(1, Math.ceil(load[i++ % load.length]! / 10)));
  });

  bench('kpa step', () => {
    for (let b = 0; b < BATCH; b++) {
      kn += LOOP_MS;
      const r = kpaStep(kc, ks, { now: kn, currentReplicas: kr, readyPods: kr, value: load[i++ % load.length]! * kr });
      ks = r.state;
      kr = r.decision.desiredReplicas;
    }
  });

  bench('hpa step', () => {
    for (let b = 0; b < BATCH; b++) {
      hn += LOOP_MS;
      const input = hpaInputs[i++ % load.length]![hr]!;
      const r = hpaStep(hc, hs, { now: hn, currentReplicas: hr, pods: input.pods, metrics: input.metrics });
      hs = r.state;
      hr = r.decision.desiredReplicas;
    }
  });

  bench('apa step', () => {
    for (let b = 0; b < BATCH; b++) {
      an += LOOP_MS;
      const r = apaStep(ac, as, { now: an, currentReplicas: ar, value: load[i++ % load.length]! });
      as = r.state;
      ar = r.decision.desiredReplicas;
    }
  });
});

// Keep the baseline's work observable so it is not optimised away.
bench.skip(`baseline sink ${sink}`, () => undefined);
