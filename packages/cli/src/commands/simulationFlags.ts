/**
 * The flags `prescale simulate` and `prescale tune` share: the workload (trace, rate,
 * warm-up, gaps), the replica model (GPU, cold start), the SLO, the bounds and the seed,
 * and how they become the simulator's configuration.
 */
import { readFileSync } from 'node:fs';
import { Command } from '@commander-js/extra-typings';
import { parseDuration } from '@prescale/core';
import { type GapPolicy, parseGpuProfile, type SimulateConfig, SimulatorError } from '@prescale/simulator';

function gpuOption(value: string): SimulateConfig['gpu'] {
  if (!value.endsWith('.json')) return value;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(value, 'utf8'));
  } catch (cause) {
    throw new SimulatorError('InvalidConfig', '--gpu', value, `cannot read the GPU profile (${(cause as Error).message})`, { cause });
  }
  return parseGpuProfile(json, value);
}

/** A duration flag in the simulator's unit, seconds. */
export const seconds = (text: string, flag: string): number => parseDuration(text, flag) / 1000;

export const int = (flag: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new SimulatorError('InvalidConfig', flag, v, 'must be an integer');
  return n;
};

export interface SimulationFlags {
  trace?: string;
  scaleRps?: number;
  warmup?: string;
  gaps?: string;
  gpu?: string;
  coldStart?: string;
  sloTtft?: string;
  sloTpot?: string;
  maxReplicas?: number | 'auto';
  seed?: number;
}

/** A command with the shared flags. */
export function simulationCommand(name: string, description: string) {
  return new Command(name)
    .description(description)
    .option('--trace <file>', 'a count trace (t_start_iso,requests) or a request trace (t_offset_s,input_tokens,output_tokens), optionally gzipped')
    .option('--scale-rps <n>', 'rescale the workload to this mean request rate', Number)
    .option('--warmup <duration>', 'hand the first part of the trace to the scalers as history instead of simulating it; auto: 14d, or half a trace shorter than 28d (default: auto for tune and the embedded workload, none for a trace in simulate)')
    .option('--gaps <policy>', 'empty bins of a count trace: interpolate (default: they are missing data) or zero (no traffic)')
    .option('--gpu <name>', 'V100, A100-80GB or H100, or a JSON profile file')
    .option('--cold-start <duration>', 'scale the cold-start phases to this nominal total (default ≈ 6 min)')
    .option('--slo-ttft <duration>', 'time-to-first-token SLO (default 2s)')
    .option('--slo-tpot <duration>', 'time-per-output-token SLO (default 100ms)')
    .option('--max-replicas <n>', 'maximum replicas; auto: 1.5 × the most the load needs (default: auto for tune, 20 for simulate)', (v: string) => (v === 'auto' ? ('auto' as const) : int('--max-replicas')(v)))
    .option('--seed <n>', 'random seed (default 1)', int('--seed'));
}

/** Applies the shared flags over a configuration (flags win). */
export function applySimulationFlags(config: Partial<SimulateConfig>, options: SimulationFlags): Partial<SimulateConfig> {
  const workload = { ...config.workload };
  if (options.trace !== undefined) workload.trace = options.trace;
  if (options.scaleRps !== undefined) workload.scaleRps = options.scaleRps;
  if (options.warmup !== undefined) workload.warmupSeconds = options.warmup === 'auto' ? 'auto' : seconds(options.warmup, '--warmup');
  if (options.gaps !== undefined) workload.gaps = options.gaps as GapPolicy;
  const out: Partial<SimulateConfig> = { ...config, workload };
  if (options.gpu !== undefined) out.gpu = gpuOption(options.gpu);
  if (options.coldStart !== undefined) out.coldStartSeconds = seconds(options.coldStart, '--cold-start');
  const slo = { ...(config.slo ?? { ttftSeconds: 2, tpotSeconds: 0.1 }) };
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
