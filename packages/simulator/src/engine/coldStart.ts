/**
 * A replica's cold start as phases, each a log-normal duration clipped to [½, 2]× its
 * median (reference simulator.md §2.5): node provisioning, image pull and the weight
 * download (an init container, so the pod is Pending throughout), then the engine start
 * (load to HBM, profiling, CUDA graphs) while the pod is Running but not ready, and the
 * readiness probe (AIBrix's deployment: first probe 90 s after the container starts,
 * then every 5 s). The defaults are a cold node: about 6 minutes in all.
 * @module
 */
import { SimulatorError } from '../errors.js';
import { Random, STREAMS } from '../random/prng.js';

export interface ColdStartPhase {
  name: string;
  medianSeconds: number;
  /** Log-space standard deviation. */
  sigma: number;
}

export interface ColdStartModel {
  /** Phases before the container starts (pod Pending). */
  pending: ColdStartPhase[];
  /** Engine start after the container starts (pod Running, not ready). */
  engine: ColdStartPhase;
  readinessInitialDelaySeconds: number;
  readinessPeriodSeconds: number;
}

/** The default phases for a model of `weightBytes` (weights fetched at 250 MB/s). */
export function defaultColdStart(weightBytes: number): ColdStartModel {
  return {
    pending: [
      { name: 'node provisioning', medianSeconds: 120, sigma: 0.3 },
      { name: 'image pull', medianSeconds: 90, sigma: 0.4 },
      { name: 'weight download', medianSeconds: weightBytes / 250e6, sigma: 0.2 },
    ],
    engine: { name: 'engine start', medianSeconds: 60, sigma: 0.25 },
    readinessInitialDelaySeconds: 90,
    readinessPeriodSeconds: 5,
  };
}

/** Seconds from pod creation to ready when every phase takes its median. */
export function nominalColdStartSeconds(m: ColdStartModel): number {
  const pending = m.pending.reduce((s, p) => s + p.medianSeconds, 0);
  return pending + readinessAfter(m, m.engine.medianSeconds);
}

function readinessAfter(m: ColdStartModel, engineSeconds: number): number {
  const first = m.readinessInitialDelaySeconds;
  if (engineSeconds <= first) return first;
  return first + Math.ceil((engineSeconds - first) / m.readinessPeriodSeconds) * m.readinessPeriodSeconds;
}

/** The same phases scaled so the nominal total is `totalSeconds` (`--cold-start`). */
export function scaleColdStart(m: ColdStartModel, totalSeconds: number): ColdStartModel {
  if (!(totalSeconds > 0) || !Number.isFinite(totalSeconds)) throw new SimulatorError('InvalidConfig', '--cold-start', totalSeconds, 'must be a positive duration');
  const f = totalSeconds / nominalColdStartSeconds(m);
  const scale = (p: ColdStartPhase): ColdStartPhase => ({ ...p, medianSeconds: p.medianSeconds * f });
  return {
    pending: m.pending.map(scale),
    engine: scale(m.engine),
    readinessInitialDelaySeconds: m.readinessInitialDelaySeconds * f,
    readinessPeriodSeconds: Math.max(1e-3, m.readinessPeriodSeconds * Math.min(1, f)),
  };
}

function draw(random: Random, p: ColdStartPhase): number {
  if (p.medianSeconds <= 0) return 0;
  const v = random.logNormal(p.medianSeconds, p.sigma);
  return Math.min(2 * p.medianSeconds, Math.max(0.5 * p.medianSeconds, v));
}

/** Seconds from creation to the container start and to ready, for one pod. */
export function sampleColdStart(m: ColdStartModel, random: Random): { containerStart: number; ready: number } {
  let pending = 0;
  for (const p of m.pending) pending += draw(random, p);
  return { containerStart: pending, ready: pending + readinessAfter(m, draw(random, m.engine)) };
}

/**
 * Seconds from creation to ready for a pod placed on a warm node (warmPool.ts): node,
 * image and weights are already there, so the container starts at once and only the
 * engine start and the readiness probe remain (reference simulator.md §2.5, "warm node").
 */
export function sampleWarmStart(m: ColdStartModel, random: Random): { containerStart: number; ready: number } {
  return { containerStart: 0, ready: readinessAfter(m, draw(random, m.engine)) };
}

/** Seconds of the phases a warm node skips (node provisioning, image pull, weight download) when each takes its median: how long a warm slot takes to refill. */
export function nominalPendingSeconds(m: ColdStartModel): number {
  return m.pending.reduce((s, p) => s + p.medianSeconds, 0);
}

/** A high quantile of a warm start (engine start and readiness only). */
export function warmStartQuantile(m: ColdStartModel, q: number, seed: number): number {
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) samples.push(sampleWarmStart(m, coldStartRandom(seed, 1_000_000 + i)).ready);
  samples.sort((a, b) => a - b);
  return samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
}

/** The random stream of the n-th pod a run creates: the same pod gets the same cold start in every run. */
export function coldStartRandom(seed: number, podIndex: number): Random {
  return new Random(seed + Math.imul(podIndex + 1, 0x2545f491), STREAMS.coldStart);
}

/** A high quantile of the total cold start (what the oracle plans with). */
export function coldStartQuantile(m: ColdStartModel, q: number, seed: number): number {
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) samples.push(sampleColdStart(m, coldStartRandom(seed, 1_000_000 + i)).ready);
  samples.sort((a, b) => a - b);
  return samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
}
