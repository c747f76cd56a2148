/**
 * A platform's many models from a few public count traces (issue 21, item 4;
 * docs/simulations.md, "Many models"). Model i is derived from source trace i mod k by a
 * documented, seeded recipe, so that a few models are busy all day and most are idle
 * most of the day, each with its own unaligned daily pattern:
 *
 * 1. **Gaps**: empty bins of the source (missing data) are filled by interpolation.
 * 2. **Shift**: the model's series starts at a random bin of the source and wraps
 *    around its end (a source shorter than warm-up + simulation is tiled), so no two
 *    models peak at the same time of day.
 * 3. **Thinning**: every fifth model (the 1st, 6th, 11th…) is busy and keeps the whole
 *    source; any other model keeps only the bins where the source's one-hour moving
 *    average is at or above its own q-quantile, q drawn uniformly in [0.6, 0.85]: it
 *    sees traffic 15–40 % of the time, in the source's busiest hours, and none otherwise.
 * 4. **Scaling**: the kept counts are scaled to a mean rate drawn log-uniformly, over the
 *    whole span: 0.2–1 request/s for a busy model, 0.005–0.05 for an idle one; fractions
 *    are kept or dropped at random (stochastic rounding).
 *
 * Everything random comes from one stream per model (`seed`, model index).
 * @module
 */
import { type BinnedSeries, COUNT_TRACE_HEADER, isPrescaleError, parseCountTrace } from '@prescale/core';
import { SimulatorError } from '../errors.js';
import { Random, STREAMS } from '../random/prng.js';
import { readTextFile } from '../readTextFile.js';
import { interpolateGaps } from '../workload/gaps.js';
import { traceName } from '../workload/traceName.js';

/** A count trace to derive models from. */
export interface ModelSource {
  /** Short name (`nasa_http_1995/arrivals_1min.csv`). */
  name: string;
  series: BinnedSeries;
}

/** One derived model: its counts over warm-up + simulation, and how it was made. */
export interface DerivedModel {
  name: string;
  source: string;
  busy: boolean;
  /** Bins of the source skipped at the start. */
  shiftBins: number;
  /** Share of the bins that keep traffic (1 for a busy model). */
  activeShare: number;
  /** Mean request rate over the whole span, requests/s. */
  meanRps: number;
  /** Requests per bin, from `startMs` (the start of the warm-up). */
  series: BinnedSeries;
}

/** Busy models: one in this many. */
export const BUSY_EVERY = 5;
/** The recipe's ranges (see the module comment). */
export const MODEL_RECIPE = { busyRps: [0.2, 1], idleRps: [0.005, 0.05], idleQuantile: [0.6, 0.85], smoothingSeconds: 3600 } as const;

/** Reads a count trace for `--models-from`. @throws SimulatorError naming the file. */
export function readModelSource(path: string): ModelSource {
  const text = readTextFile(path);
  const header = text.slice(0, text.indexOf('\n') >>> 0).trim();
  if (header !== COUNT_TRACE_HEADER) throw new SimulatorError('InvalidTrace', `${path} line 1`, header, `must be the header "${COUNT_TRACE_HEADER}": --models-from takes count traces`);
  try {
    return { name: traceName(path).name, series: parseCountTrace(text, path) };
  } catch (cause) {
    if (isPrescaleError(cause)) throw new SimulatorError('InvalidTrace', cause.field, cause.value, cause.message.replace(`${cause.code}: ${cause.field} `, ''), { cause });
    throw cause;
  }
}

/** The one-hour (or one-bin, if longer) centred moving average of `values`. */
function movingAverage(values: readonly number[], width: number): Float64Array {
  const n = values.length;
  const out = new Float64Array(n);
  const half = Math.floor(width / 2);
  let sum = 0;
  let lo = 0;
  let hi = -1;
  for (let i = 0; i < n; i++) {
    const from = Math.max(0, i - half);
    const to = Math.min(n - 1, i + half);
    while (hi < to) sum += values[++hi]!;
    while (lo < from) sum -= values[lo++]!;
    out[i] = sum / (hi - lo + 1);
  }
  return out;
}

function quantileOf(values: Float64Array, q: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * Derives `count` models from the sources, each `spanSeconds` long from `startMs`.
 * @throws SimulatorError when a source has no traffic.
 */
export function deriveModels(sources: readonly ModelSource[], count: number, spanSeconds: number, startMs: number, seed: number): DerivedModel[] {
  if (sources.length === 0) throw new SimulatorError('InvalidConfig', '--models-from', sources, 'name at least one count trace');
  const filled = sources.map((s) => {
    const values = interpolateGaps(s.series).series.values.map((v) => v ?? 0);
    const total = values.reduce((a, b) => a + b, 0);
    if (!(total > 0)) throw new SimulatorError('InvalidTrace', s.name, total, 'has no requests to derive models from');
    const binSeconds = s.series.binMs / 1000;
    return { name: s.name, binMs: s.series.binMs, values, smooth: movingAverage(values, Math.max(1, Math.round(MODEL_RECIPE.smoothingSeconds / binSeconds))), utcOffsetMinutes: s.series.utcOffsetMinutes };
  });
  const models: DerivedModel[] = [];
  for (let i = 0; i < count; i++) {
    const source = filled[i % filled.length]!;
    const random = new Random(seed + Math.imul(i + 1, 0x9e3779b1), STREAMS.models);
    const n = source.values.length;
    const bins = Math.ceil((spanSeconds * 1000) / source.binMs);
    const shift = random.int(n);
    const busy = i % BUSY_EVERY === 0;
    const q = busy ? 0 : MODEL_RECIPE.idleQuantile[0] + random.uniform() * (MODEL_RECIPE.idleQuantile[1] - MODEL_RECIPE.idleQuantile[0]);
    const cut = busy ? -Infinity : quantileOf(source.smooth, q);
    const [lo, hi] = busy ? MODEL_RECIPE.busyRps : MODEL_RECIPE.idleRps;
    const meanRps = Math.exp(Math.log(lo) + random.uniform() * (Math.log(hi) - Math.log(lo)));
    const kept = new Float64Array(bins);
    let total = 0;
    let active = 0;
    for (let j = 0; j < bins; j++) {
      const k = (shift + j) % n;
      if (source.smooth[k]! < cut) continue;
      kept[j] = source.values[k]!;
      total += kept[j]!;
      active++;
    }
    const factor = total > 0 ? (meanRps * bins * (source.binMs / 1000)) / total : 0;
    const values: number[] = new Array(bins);
    for (let j = 0; j < bins; j++) {
      const x = kept[j]! * factor;
      const whole = Math.floor(x);
      values[j] = whole + (random.uniform() < x - whole ? 1 : 0);
    }
    models.push({
      name: `model-${String(i + 1).padStart(String(count).length, '0')}`,
      source: source.name,
      busy,
      shiftBins: shift,
      activeShare: active / bins,
      meanRps,
      series: { startMs, binMs: source.binMs, values, utcOffsetMinutes: source.utcOffsetMinutes },
    });
  }
  return models;
}
