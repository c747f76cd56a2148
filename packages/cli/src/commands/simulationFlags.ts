/**
 * The flags `prescale simulate` and `prescale tune` share: the workload (trace, pattern,
 * rate, warm-up, gaps), the replica model (GPU, cold start), the SLO, the bound and the
 * seed, and how they become the simulator's configuration. Defaults that differ between
 * the two commands are given by each (`SharedDefaults`).
 */
import { Command, Option } from '@commander-js/extra-typings';
import { formatDuration, parseDuration } from '@prescale/core';
import { type GapPolicy, GAP_POLICIES, parseGpuProfile, PATTERN_NAMES, readTextFile, SIMULATE_DEFAULTS, type SimulateConfig } from '@prescale/simulator';
import { laterDefault } from '../help.js';
import { intFlag } from '../intFlag.js';
import { UsageError } from '../usageError.js';

function gpuOption(value: string): SimulateConfig['gpu'] {
  if (!value.endsWith('.json')) return value;
  const text = readTextFile(value);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new UsageError(value, `is not valid JSON: ${(cause as Error).message}`);
  }
  return parseGpuProfile(json, value);
}

/** A duration flag in the simulator's unit, seconds. */
export const seconds = (text: string, flag: string): number => parseDuration(text, flag) / 1000;

/** `auto` or a whole number (`--max-replicas`). */
const autoOrInt = (flag: string) => (text: string) => (text === 'auto' ? ('auto' as const) : intFlag(flag)(text));

export interface SimulationFlags {
  trace?: string;
  pattern?: string;
  scaleRps?: number;
  warmup?: string;
  gaps?: string;
  timeZone?: string;
  gpu?: string;
  coldStart?: string;
  sloTtft?: string;
  sloTpot?: string;
  maxReplicas?: number | 'auto';
  seed?: number;
}

/** What the help says a command does when a shared flag is not given. */
export interface SharedDefaults {
  pattern: string;
  warmup: string;
  maxReplicas: string;
}

/** A command with the shared flags. */
export function simulationCommand(name: string, description: string, defaults: SharedDefaults) {
  return new Command(name)
    .description(description)
    .option('--trace <file>', 'a count trace (t_start_iso,requests) or a request trace (t_offset_s,input_tokens,output_tokens), optionally gzipped')
    .addOption(laterDefault(new Option('--pattern <name>', `a synthetic workload: ${['diurnal', ...PATTERN_NAMES.filter((p) => p !== 'diurnal')].join(', ')}`), defaults.pattern))
    .option('--scale-rps <n>', 'rescale the workload to this mean request rate', Number)
    .addOption(laterDefault(new Option('--warmup <duration>', 'hand the first part of the trace to the scalers as history instead of simulating it; auto: 14d, or half a trace shorter than 28d'), defaults.warmup))
    .addOption(laterDefault(new Option('--gaps <policy>', 'empty bins of a count trace: interpolate (they are missing data) or zero (no traffic)').choices([...GAP_POLICIES]), 'interpolate'))
    .option('--time-zone <iana>', 'IANA time zone whose wall clock the demand follows (e.g. Europe/Berlin): the predictive scaler reads its weekly pattern there, daylight saving included')
    .addOption(laterDefault(new Option('--gpu <name>', 'V100, A10G, L4, A100-80GB or H100, or a JSON profile file'), String(SIMULATE_DEFAULTS.gpu)))
    .addOption(laterDefault(new Option('--cold-start <duration>', 'scale the cold-start phases to this nominal total'), 'the GPU profile\u2019s, about 6m'))
    .addOption(laterDefault(new Option('--slo-ttft <duration>', 'time-to-first-token SLO'), formatDuration(SIMULATE_DEFAULTS.slo.ttftSeconds * 1000)))
    .addOption(laterDefault(new Option('--slo-tpot <duration>', 'time-per-output-token SLO'), formatDuration(SIMULATE_DEFAULTS.slo.tpotSeconds * 1000)))
    .addOption(laterDefault(new Option('--max-replicas <n>', 'maximum replicas; auto: 1.5 × the most the load needs in a window').argParser(autoOrInt('--max-replicas')), defaults.maxReplicas))
    .addOption(laterDefault(new Option('--seed <n>', 'random seed').argParser(intFlag('--seed')), String(SIMULATE_DEFAULTS.seed)));
}

/** Applies the shared flags over a configuration (flags win). */
export function applySimulationFlags(config: Partial<SimulateConfig>, options: SimulationFlags): Partial<SimulateConfig> {
  const workload = { ...config.workload };
  if (options.trace !== undefined) workload.trace = options.trace;
  if (options.pattern !== undefined) workload.pattern = options.pattern;
  if (options.scaleRps !== undefined) workload.scaleRps = options.scaleRps;
  if (options.warmup !== undefined) workload.warmupSeconds = options.warmup === 'auto' ? 'auto' : seconds(options.warmup, '--warmup');
  if (options.gaps !== undefined) workload.gaps = options.gaps as GapPolicy;
  if (options.timeZone !== undefined) workload.timeZone = options.timeZone;
  const out: Partial<SimulateConfig> = { ...config, workload };
  if (options.gpu !== undefined) out.gpu = gpuOption(options.gpu);
  if (options.coldStart !== undefined) out.coldStartSeconds = seconds(options.coldStart, '--cold-start');
  const slo = { ...(config.slo ?? SIMULATE_DEFAULTS.slo) };
  if (options.sloTtft !== undefined) slo.ttftSeconds = seconds(options.sloTtft, '--slo-ttft');
  if (options.sloTpot !== undefined) slo.tpotSeconds = seconds(options.sloTpot, '--slo-tpot');
  out.slo = slo;
  if (options.maxReplicas !== undefined) out.maxReplicas = options.maxReplicas;
  if (options.seed !== undefined) out.seed = options.seed;
  return out;
}

/** One line on the gaps a run filled, or nothing. */
export function gapsNote(filledBins: number): string | null {
  return filledBins > 0 ? `filled ${filledBins} empty bin(s) of the trace by interpolation (missing data, not zero traffic; --gaps zero replays them as no traffic)` : null;
}
