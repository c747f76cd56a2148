/**
 * The project's own workload generators, as count series (requests per bin, drawn as
 * Poisson counts around a rate curve) so they replay through the same path as a count
 * trace:
 *
 * - `diurnalWeekly`: a daily cycle (a cosine peaking mid-afternoon local time), a weekly
 *   one (quieter weekends), slow multiplicative noise, short random bursts and one flash
 *   crowd (a sharp rise to a multiple of the normal rate, a plateau, a slower decay);
 * - AIBrix's four synthetic patterns (reference aibrix.md §6.2, from AIBrix's
 *   `benchmarks/generator/workload_generator/distribution.py`):
 *   `value(t) = round(A·sin(ω·t) + B + N(0, σ²))` per second with `ω = 2π·period / L`
 *   over the run's L seconds, `only_rise` keeping the running maximum; mean B = 6 RPS.
 * @module
 */
import type { BinnedSeries } from '@prescale/core';
import { unknownName } from '../errors.js';
import { Random, STREAMS } from '../random/prng.js';

export interface FlashCrowd {
  /** Start, seconds from the start of the series. */
  atSeconds: number;
  /** How many times the normal rate at the plateau. */
  factor: number;
  /** Rise, plateau and decay, s. */
  riseSeconds: number;
  plateauSeconds: number;
  decaySeconds: number;
}

export interface DiurnalWeeklyOptions {
  days: number;
  meanRps: number;
  binSeconds: number;
  /** Epoch ms of the first bin (choose a Monday 00:00 local for readable weeks). */
  startMs: number;
  utcOffsetMinutes: number;
  /** Local hour of the daily peak. */
  peakHour: number;
  /** Daily swing: rate ∝ 1 + a·cos(2π(h − peak)/24). */
  dailyAmplitude: number;
  /** Saturday and Sunday rate relative to a weekday. */
  weekendFactor: number;
  /** Log-space σ of the slow noise (an AR(1) over bins, about an hour of memory). */
  noise: number;
  /** Random bursts per week (each ×1.5–2.5 for 5–20 min). */
  burstsPerWeek: number;
  flashCrowd: FlashCrowd | null;
}

/** Monday 2026-01-05 00:00 UTC. */
export const SYNTHETIC_START_MS = Date.UTC(2026, 0, 5);

export const DIURNAL_WEEKLY_DEFAULTS: DiurnalWeeklyOptions = {
  days: 28,
  meanRps: 3,
  binSeconds: 60,
  startMs: SYNTHETIC_START_MS,
  utcOffsetMinutes: 0,
  peakHour: 14,
  dailyAmplitude: 0.6,
  weekendFactor: 0.55,
  noise: 0.08,
  burstsPerWeek: 3,
  // Thursday of the fourth week, 10:00: triple the rate within 5 minutes, for 40 minutes.
  flashCrowd: { atSeconds: 24 * 86_400 + 10 * 3600, factor: 3, riseSeconds: 300, plateauSeconds: 2400, decaySeconds: 1200 },
};

function flashMultiplier(f: FlashCrowd | null, t: number): number {
  if (f === null || t < f.atSeconds) return 1;
  const s = t - f.atSeconds;
  if (s < f.riseSeconds) return 1 + (f.factor - 1) * (s / f.riseSeconds);
  if (s < f.riseSeconds + f.plateauSeconds) return f.factor;
  const d = s - f.riseSeconds - f.plateauSeconds;
  if (d < f.decaySeconds) return f.factor - (f.factor - 1) * (d / f.decaySeconds);
  return 1;
}

/** The diurnal + weekly generator: a count series with one value per bin. */
export function diurnalWeekly(options: Partial<DiurnalWeeklyOptions>, seed: number): BinnedSeries {
  const o = { ...DIURNAL_WEEKLY_DEFAULTS, ...options };
  const random = new Random(seed, STREAMS.workload);
  const bins = Math.round((o.days * 86_400) / o.binSeconds);
  const shape = new Float64Array(bins);
  let total = 0;
  for (let i = 0; i < bins; i++) {
    const local = o.startMs / 1000 + o.utcOffsetMinutes * 60 + i * o.binSeconds;
    const hour = (local % 86_400) / 3600;
    const weekday = (Math.floor(local / 86_400) + 4) % 7; // 0 = Sunday (1970-01-01 was a Thursday)
    const daily = 1 + o.dailyAmplitude * Math.cos((2 * Math.PI * (hour - o.peakHour)) / 24);
    const weekly = weekday === 0 || weekday === 6 ? o.weekendFactor : 1;
    shape[i] = daily * weekly;
    total += shape[i]!;
  }
  const norm = bins / total;
  // Slow noise: AR(1) in log space with about an hour of memory.
  const rho = Math.exp(-o.binSeconds / 3600);
  let level = 0;
  const burstEnds: Array<{ from: number; to: number; factor: number }> = [];
  const bursts = Math.round((o.burstsPerWeek * o.days) / 7);
  for (let b = 0; b < bursts; b++) {
    const from = random.uniform() * o.days * 86_400;
    burstEnds.push({ from, to: from + 300 + random.uniform() * 900, factor: 1.5 + random.uniform() });
  }
  const values: Array<number | null> = new Array<number | null>(bins);
  for (let i = 0; i < bins; i++) {
    const t = i * o.binSeconds;
    level = rho * level + Math.sqrt(1 - rho * rho) * o.noise * random.normal();
    let burst = 1;
    for (const b of burstEnds) if (t >= b.from && t < b.to) burst = Math.max(burst, b.factor);
    const rate = o.meanRps * shape[i]! * norm * Math.exp(level) * burst * flashMultiplier(o.flashCrowd, t);
    values[i] = random.poisson(rate * o.binSeconds);
  }
  return { startMs: o.startMs, binMs: o.binSeconds * 1000, values, utcOffsetMinutes: o.utcOffsetMinutes };
}

export const AIBRIX_PATTERNS = {
  quick_rising: { amplitude: 0.5, period: 5, onlyRise: true },
  slow_rising: { amplitude: 0.5, period: 0.25, onlyRise: true },
  slight_fluctuation: { amplitude: 0.1, period: 1, onlyRise: false },
  severe_fluctuation: { amplitude: 0.5, period: 12, onlyRise: false },
} as const;
export type AibrixPattern = keyof typeof AIBRIX_PATTERNS;
export const PATTERN_NAMES = [...Object.keys(AIBRIX_PATTERNS), 'diurnal'] as const;

/**
 * One of AIBrix's patterns as a 1-second count series: the per-second rate value
 * (amplitude × mean, mean, σ 0.1), with the arrivals of each second a Poisson count.
 */
export function aibrixPattern(name: string, options: { durationSeconds: number; meanRps: number; startMs?: number }, seed: number): BinnedSeries {
  if (!(name in AIBRIX_PATTERNS)) throw unknownName('--pattern', name, PATTERN_NAMES);
  const p = AIBRIX_PATTERNS[name as AibrixPattern];
  const random = new Random(seed, STREAMS.workload);
  const L = Math.round(options.durationSeconds) + 1;
  const omega = (2 * Math.PI * p.period) / L;
  const values: Array<number | null> = [];
  let previous = 0;
  for (let t = 0; t < L - 1; t++) {
    let v = Math.round(p.amplitude * options.meanRps * Math.sin(omega * t) + options.meanRps + 0.1 * random.normal());
    if (p.onlyRise) v = Math.max(previous, v);
    previous = v;
    values.push(random.poisson(Math.max(0, v)));
  }
  return { startMs: options.startMs ?? SYNTHETIC_START_MS, binMs: 1000, values, utcOffsetMinutes: 0 };
}
