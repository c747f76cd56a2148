/**
 * `prescale example`: a short worked example of each reactive scaler on the same
 * scripted load, to see how each one reacts and why. New replicas take a fixed cold
 * start before they serve; the example prints the decision every 30 s.
 */
import { Command, Option } from '@commander-js/extra-typings';
import {
  apaConfig,
  apaInit,
  apaStep,
  type Decision,
  hpaConfig,
  hpaInit,
  type HpaPod,
  hpaStep,
  kpaConfig,
  kpaInit,
  kpaStep,
} from '@prescale/core';

const LOOP_SECONDS = 10;
const COLD_START_SECONDS = 60;
const MINUTES = 16;
const T0 = Date.UTC(2026, 0, 5, 9); // a Monday, 09:00 UTC

/** In-flight requests over the whole service: calm, a ramp, a plateau, then a drop. */
export function scriptedLoad(seconds: number): number {
  const m = seconds / 60;
  if (m < 2) return 20;
  if (m < 6) return 20 + (m - 2) * 25;
  if (m < 10) return 120;
  return 10;
}

type Step = (t: number, current: number, ready: number, load: number) => Decision<string, unknown>;

function kpa(): Step {
  const config = kpaConfig({ targetValue: 10, maxReplicas: 20, granularitySeconds: LOOP_SECONDS, stableWindowSeconds: 60, panicWindowPercentage: 20 });
  let state = kpaInit(config, { now: T0, readyPods: 1 });
  return (now, current, ready, load) => {
    const r = kpaStep(config, state, { now, currentReplicas: current, readyPods: ready, value: load });
    state = r.state;
    return r.decision;
  };
}

function hpa(): Step {
  const config = hpaConfig({ maxReplicas: 20, metrics: [{ type: 'Pods', name: 'in_flight', target: { type: 'AverageValue', averageValueMilli: 10_000 } }], behavior: {} });
  let state = hpaInit();
  return (now, current, ready, load) => {
    const pods: HpaPod[] = Array.from({ length: current }, (_, i) => ({ name: `pod-${i}`, phase: i < ready ? 'Running' : 'Pending', ready: i < ready }));
    const values = Object.fromEntries(pods.slice(0, ready).map((p) => [p.name, Math.round((load / Math.max(1, ready)) * 1000)]));
    const r = hpaStep(config, state, { now, currentReplicas: current, pods, metrics: [{ podValuesMilli: values }] });
    state = r.state;
    return r.decision;
  };
}

function apa(): Step {
  const config = apaConfig({ targetValue: 10, maxReplicas: 20, windowSeconds: 60, scaleDownCooldownSeconds: 120 });
  let state = apaInit(config);
  return (now, current, ready, load) => {
    const r = apaStep(config, state, { now, currentReplicas: current, value: ready > 0 ? load / ready : null, readyPods: ready });
    state = r.state;
    return r.decision;
  };
}

const SCALERS = { kpa, hpa, apa } as const;
type ScalerName = keyof typeof SCALERS;

/** Runs one scaler through the scripted load; returns the printed lines. */
export function runExample(name: ScalerName): string[] {
  const step = SCALERS[name]();
  const lines = [`${name.toUpperCase()}: target 10 in-flight requests per replica, ${COLD_START_SECONDS} s cold start, decisions every ${LOOP_SECONDS} s`];
  lines.push('  time  load  ready  desired  why');
  let current = 1;
  const readyAt: number[] = [0]; // when each replica became or becomes ready (s)
  for (let t = LOOP_SECONDS; t <= MINUTES * 60; t += LOOP_SECONDS) {
    const ready = readyAt.filter((at) => at <= t).length;
    const load = scriptedLoad(t);
    const d = step(T0 + t * 1000, current, ready, load);
    while (readyAt.length < d.desiredReplicas) readyAt.push(t + COLD_START_SECONDS);
    readyAt.length = d.desiredReplicas;
    current = d.desiredReplicas;
    if (t % 30 === 0) {
      const clock = `${String(Math.floor(t / 60)).padStart(2)}:${String(t % 60).padStart(2, '0')}`;
      lines.push(`  ${clock}  ${String(Math.round(load)).padStart(4)}  ${String(ready).padStart(5)}  ${String(d.desiredReplicas).padStart(7)}  ${d.reasons.join(', ')}`);
    }
  }
  return lines;
}

export function exampleCommand(): Command<[], { scaler: string }> {
  return new Command('example')
    .description('a short worked example of the kpa, hpa and apa scalers on the same scripted load')
    .addOption(new Option('--scaler <name>', 'which scaler').choices(['all', 'kpa', 'hpa', 'apa']).default('all'))
    .action((options) => {
      const names = options.scaler === 'all' ? (Object.keys(SCALERS) as ScalerName[]) : [options.scaler as ScalerName];
      for (const name of names) console.log(`${runExample(name).join('\n')}\n`);
    });
}
