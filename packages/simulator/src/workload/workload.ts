/**
 * A workload ready to simulate: where its arrivals come from, which part is history
 * (the warm-up, handed to a scaler that can take it, not simulated) and which part is
 * simulated. Built from a trace file (a count trace or a per-request trace, optionally
 * gzipped; the format is told by the header), one of the synthetic patterns, or the
 * embedded default (the diurnal + weekly generator with a flash crowd).
 * @module
 */
import { type BinnedSeries, COUNT_TRACE_HEADER, isPrescaleError, isTimeZone, parseCountTrace, sliceSeries } from '@prescale/core';
import { SimulatorError, unknownName } from '../errors.js';
import { Random, STREAMS } from '../random/prng.js';
import { readTextFile } from '../readTextFile.js';
import { type ArrivalSource, CountArrivals, TraceArrivals } from './arrivals.js';
import { builtInLengths, type LengthDistribution, parseLengths } from './lengths.js';
import { parseRequestTrace, REQUEST_TRACE_HEADER, type RequestTrace, requestTraceSeries, rescaleRequestTrace } from './requestTrace.js';
import { GAP_POLICIES, type GapPolicy, interpolateGaps } from './gaps.js';
import { AIBRIX_PATTERNS, aibrixPattern, DIURNAL_WEEKLY_DEFAULTS, diurnalWeekly, PATTERN_NAMES } from './synthetic.js';
import { traceName } from './traceName.js';

export interface WorkloadOptions {
  /** A trace file: `t_start_iso,requests` or `t_offset_s,input_tokens,output_tokens`, optionally gzipped. */
  trace?: string;
  /** `diurnal` (the default) or one of AIBrix's patterns. */
  pattern?: string;
  /** Rescale to this mean request rate. */
  scaleRps?: number;
  /**
   * Seconds at the start of the trace handed over as history instead of simulated;
   * `auto`: 14 days, or half the trace if it is shorter than 28 days (whole minutes).
   */
  warmupSeconds?: number | 'auto';
  /** Simulated seconds after the warm-up (default: the rest of the trace). */
  durationSeconds?: number;
  /** A lengths file (`input_tokens,output_tokens`) for count traces; default the built-in mix. */
  lengths?: string;
  /** Empty bins of a count trace's simulated part: filled by interpolation (default) or replayed as no traffic. */
  gaps?: GapPolicy;
  /**
   * IANA time zone whose wall clock the demand follows (`Europe/Berlin`): the predictive
   * scaler reads its weekly pattern there, daylight saving included. Absent: the trace's
   * fixed UTC offset.
   */
  timeZone?: string;
  seed: number;
}

export interface Workload {
  /** Short name: a trace's folder and file (`nasa_http_1995/arrivals_1min.csv`), or the pattern. */
  name: string;
  /** What the report's title says: a trace folder's SOURCE.md heading, or the name. */
  title: string;
  /** Epoch ms of simulated time 0 (after the warm-up). */
  startMs: number;
  durationSeconds: number;
  utcOffsetMinutes: number;
  /** Requests per bin before the simulated part (the warm-up); null without a warm-up. */
  history: BinnedSeries | null;
  lengths: LengthDistribution;
  /** Mean request rate of the simulated part (from the trace's counts). */
  meanRps: number;
  /** Empty bins of the simulated part filled by interpolation (`gaps: 'interpolate'`). */
  filledBins: number;
  /** A fresh stream of the simulated part's arrivals: the same seed gives the same requests. */
  arrivals(maxModelLen: number): ArrivalSource;
}

/** The embedded default: four weeks of the diurnal + weekly generator, two as warm-up and two simulated, with a flash crowd in the last week. */
export const DEFAULT_WARMUP_SECONDS = 14 * 86_400;

/** Multiplies a count series so its observed bins average `rps`; fractions are kept or dropped at random. */
export function rescaleCounts(series: BinnedSeries, rps: number, seed: number): BinnedSeries {
  let total = 0;
  let bins = 0;
  for (const v of series.values) {
    if (v === null) continue;
    total += v;
    bins++;
  }
  const mean = total / (bins * (series.binMs / 1000));
  if (!(mean > 0)) throw new SimulatorError('InvalidConfig', '--scale-rps', rps, 'the trace has no requests to rescale');
  const factor = rps / mean;
  const random = new Random(seed, STREAMS.rescale);
  const values = series.values.map((v) => {
    if (v === null) return null;
    const x = v * factor;
    const whole = Math.floor(x);
    return whole + (random.uniform() < x - whole ? 1 : 0);
  });
  return { ...series, values };
}

function seriesMeanRps(series: BinnedSeries): number {
  let total = 0;
  for (const v of series.values) total += v ?? 0;
  return total / ((series.values.length * series.binMs) / 1000);
}

/** The warm-up of a trace `total` seconds long: as given, 0 by default, or `auto`'s rule on a grid of `binSeconds`. */
function traceWarmup(o: WorkloadOptions, total: number, binSeconds: number): number {
  if (o.warmupSeconds !== 'auto') return o.warmupSeconds ?? 0;
  const step = Math.max(60, binSeconds);
  return Math.min(DEFAULT_WARMUP_SECONDS, Math.floor(total / 2 / step) * step);
}

function fromSeries(name: string, trace: BinnedSeries, o: WorkloadOptions, lengths: LengthDistribution): Workload {
  const total = (trace.values.length * trace.binMs) / 1000;
  const warmup = traceWarmup(o, total, trace.binMs / 1000);
  if (warmup >= total) throw new SimulatorError('InvalidConfig', '--warmup', warmup, `leaves nothing to simulate: the trace is ${total / 86_400} days long`);
  const duration = Math.min(o.durationSeconds ?? total - warmup, total - warmup);
  const binSeconds = trace.binMs / 1000;
  const { series, filled } =
    o.gaps === 'zero' ? { series: trace, filled: 0 } : interpolateGaps(trace, Math.floor(warmup / binSeconds), Math.ceil((warmup + duration) / binSeconds));
  const startMs = series.startMs + warmup * 1000;
  const simulated = sliceSeries(series, startMs, startMs + duration * 1000);
  return {
    name,
    title: name,
    startMs,
    durationSeconds: duration,
    utcOffsetMinutes: series.utcOffsetMinutes,
    history: warmup > 0 ? sliceSeries(series, series.startMs, startMs) : null,
    lengths,
    meanRps: seriesMeanRps(simulated),
    filledBins: filled,
    arrivals: (maxModelLen) => new CountArrivals(series, lengths, maxModelLen, o.seed, warmup, warmup + duration),
  };
}

function fromRequests(name: string, trace: RequestTrace, o: WorkloadOptions, startMs: number): Workload {
  const last = trace.offsets[trace.offsets.length - 1]!;
  const total = Math.ceil(last + 1e-9);
  const warmup = traceWarmup(o, total, 60);
  if (warmup >= total) throw new SimulatorError('InvalidConfig', '--warmup', warmup, `leaves nothing to simulate: the trace is ${total} s long`);
  const duration = Math.min(o.durationSeconds ?? total - warmup, total - warmup);
  let inputs = 0;
  let outputs = 0;
  let count = 0;
  for (let i = 0; i < trace.offsets.length; i++) {
    const t = trace.offsets[i]!;
    if (t < warmup || t >= warmup + duration) continue;
    inputs += trace.inputs[i]!;
    outputs += trace.outputs[i]!;
    count++;
  }
  const history = warmup > 0 ? sliceSeries(requestTraceSeries(trace, 60, startMs), startMs, startMs + warmup * 1000) : null;
  return {
    name,
    title: name,
    startMs: startMs + warmup * 1000,
    durationSeconds: duration,
    utcOffsetMinutes: 0,
    history,
    lengths: {
      name: `${name} (the trace's own lengths)`,
      sample(random, out) {
        const k = random.int(trace.inputs.length);
        out.input = trace.inputs[k]!;
        out.output = trace.outputs[k]!;
      },
      meanInput: inputs / Math.max(1, count),
      meanOutput: outputs / Math.max(1, count),
    },
    meanRps: count / duration,
    filledBins: 0,
    arrivals: (maxModelLen) => new TraceArrivals(trace, maxModelLen, warmup, warmup + duration),
  };
}

/** Loads the workload the options describe. @throws SimulatorError naming the file and line, or the bad option. */
export function loadWorkload(o: WorkloadOptions): Workload {
  if (o.trace !== undefined && o.pattern !== undefined) throw new SimulatorError('InvalidConfig', '--pattern', o.pattern, 'give either --trace or --pattern, not both');
  if (o.scaleRps !== undefined && !(o.scaleRps > 0)) throw new SimulatorError('InvalidConfig', '--scale-rps', o.scaleRps, 'must be a positive rate');
  if (o.gaps !== undefined && !GAP_POLICIES.includes(o.gaps)) throw unknownName('--gaps', o.gaps, GAP_POLICIES);
  if (o.timeZone !== undefined && !isTimeZone(o.timeZone)) throw new SimulatorError('InvalidConfig', '--time-zone', o.timeZone, 'must be an IANA time zone name such as Europe/Berlin');
  // Errors name the files as the user gave them; the workload is named by traceName (folder and file).
  const lengths = o.lengths !== undefined ? parseLengths(readTextFile(o.lengths), o.lengths) : builtInLengths();
  if (o.trace !== undefined) {
    const text = readTextFile(o.trace);
    const named = traceName(o.trace);
    const header = text.slice(0, text.indexOf('\n') >>> 0).trim();
    if (header === REQUEST_TRACE_HEADER) {
      let trace = parseRequestTrace(text, o.trace);
      if (o.scaleRps !== undefined) {
        const span = Math.max(1, trace.offsets[trace.offsets.length - 1]!);
        trace = rescaleRequestTrace(trace, o.scaleRps / (trace.offsets.length / span), o.seed);
      }
      return { ...fromRequests(named.name, trace, o, Date.UTC(2026, 0, 5)), title: named.title };
    }
    if (header !== COUNT_TRACE_HEADER) {
      throw new SimulatorError('InvalidTrace', `${o.trace} line 1`, header, `must be the header "${COUNT_TRACE_HEADER}" (a count trace) or "${REQUEST_TRACE_HEADER}" (a request trace)`);
    }
    let series: BinnedSeries;
    try {
      series = parseCountTrace(text, o.trace);
    } catch (cause) {
      if (isPrescaleError(cause)) throw new SimulatorError('InvalidTrace', cause.field, cause.value, cause.message.replace(`${cause.code}: ${cause.field} `, ''), { cause });
      throw cause;
    }
    if (o.scaleRps !== undefined) series = rescaleCounts(series, o.scaleRps, o.seed);
    return { ...fromSeries(named.name, series, o, lengths), title: named.title };
  }
  const pattern = o.pattern ?? 'diurnal';
  if (pattern === 'diurnal') {
    const warmupSeconds = typeof o.warmupSeconds === 'number' ? o.warmupSeconds : DEFAULT_WARMUP_SECONDS;
    const days = Math.ceil((warmupSeconds + (o.durationSeconds ?? 14 * 86_400)) / 86_400);
    const flash = DIURNAL_WEEKLY_DEFAULTS.flashCrowd!;
    // Keep the flash crowd in the simulated part: 3.4 days before its end when the default span is changed.
    const atSeconds = Math.min(flash.atSeconds, days * 86_400 - 3.4 * 86_400);
    const series = diurnalWeekly({ days, meanRps: o.scaleRps ?? DIURNAL_WEEKLY_DEFAULTS.meanRps, flashCrowd: { ...flash, atSeconds: Math.max(warmupSeconds, atSeconds) } }, o.seed);
    return fromSeries('synthetic diurnal + weekly with a flash crowd', series, { ...o, warmupSeconds }, lengths);
  }
  if (!(pattern in AIBRIX_PATTERNS)) throw unknownName('--pattern', pattern, PATTERN_NAMES);
  // A synthetic pattern is generated after the warm-up asked for; `auto` asks for none.
  const warmupSeconds = typeof o.warmupSeconds === 'number' ? o.warmupSeconds : 0;
  const series = aibrixPattern(pattern, { durationSeconds: warmupSeconds + (o.durationSeconds ?? 1800), meanRps: o.scaleRps ?? 6 }, o.seed);
  return fromSeries(`AIBrix ${pattern}`, series, { ...o, warmupSeconds }, lengths);
}
