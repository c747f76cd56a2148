/**
 * `prescale optimize`: the cheapest mix of GPU types for a window of a request trace,
 * under the SLO the profiles were measured at (docs/optimizer.md). Reads the GPU types'
 * throughput profiles (`prescale profile --grid` or AIBrix's `aibrix_gen_profile`),
 * buckets the window's requests into a demand mix (core's load shape), solves core's
 * Mélange program with HiGHS (`@prescale/optimizer`), and sets the mix beside each
 * single GPU type solved the same way.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import {
  type AllocationDecision,
  demandFromRequests,
  type DemandMix,
  type MipSolver,
  optimizeAllocation,
  optimizerConfig,
  type OptimizerConfigInput,
  parseDuration,
  parseThroughputProfile,
  profileGrid,
  scaleDemand,
  type ThroughputProfile,
} from '@prescale/core';
import { createHighsSolver } from '@prescale/optimizer';
import { parseRequestTrace, readTextFile } from '@prescale/simulator';
import { laterDefault } from '../help.js';
import { intFlag } from '../intFlag.js';
import { UsageError } from '../usageError.js';
import { printOptimization, type SingleTypeResult } from './optimizeReport.js';

export interface OptimizeFlags {
  profiles: string;
  trace: string;
  from: string;
  window?: string;
  scale: number;
  gpuCost?: string;
  minReplicas?: string;
  maxReplicas?: string;
  headroom: number;
  slices?: number;
  json?: string;
}

export function optimizeCommand() {
  return new Command('optimize')
    .description('the cheapest mix of GPU types for a window of a request trace, under the SLO of their throughput profiles')
    .requiredOption('--profiles <files>', 'throughput profiles, one per GPU type, comma-separated (prescale profile --grid, or aibrix_gen_profile output)')
    .requiredOption('--trace <file>', 'request trace (t_offset_s,input_tokens,output_tokens, optionally gzipped)')
    .addOption(new Option('--from <duration>', 'start of the window, from the trace’s start').default('0s', '0s'))
    .addOption(laterDefault(new Option('--window <duration>', 'length of the window'), 'to the end of the trace'))
    .option('--scale <factor>', 'multiply the window’s request rate (same mix of lengths)', Number, 1)
    .option('--gpu-cost <list>', 'NAME=USD_PER_HOUR,… overriding the profiles’ prices')
    .addOption(laterDefault(new Option('--min-replicas <list>', 'NAME=N,… per-type minimum'), '0 for every type'))
    .addOption(laterDefault(new Option('--max-replicas <list>', 'NAME=N,… per-type maximum'), '1000 for every type'))
    .option('--headroom <share>', 'cover the demand × (1 + headroom)', Number, 0)
    .addOption(laterDefault(new Option('--slices <n>', "Mélange's and AIBrix's formulation: each bucket in n slices, each on one type").argParser(intFlag('--slices')), 'none: a bucket splits freely'))
    .option('--json <file>', 'write the decision and the single-type fleets as JSON')
    .action(async (o) => {
      const solver = await createHighsSolver();
      optimize(o, solver);
    });
}

/** Runs `prescale optimize` with a solver; returns what `--json` writes. */
export function optimize(o: OptimizeFlags, solver: MipSolver): { demand: DemandMix; decision: AllocationDecision; singleTypes: SingleTypeResult[] } {
  if (!(o.scale > 0 && o.scale < Infinity)) throw new UsageError('--scale', `must be a positive number (got ${o.scale})`);
  const profiles = o.profiles.split(',').map((f) => f.trim()).filter((f) => f !== '').map(readProfile);
  const names = profiles.map((p) => p.gpu);
  const settings: Omit<OptimizerConfigInput, 'profiles'> = { headroom: o.headroom };
  if (o.slices !== undefined) settings.slices = o.slices;
  if (o.gpuCost !== undefined) settings.costs = parseNamedNumbers(o.gpuCost, '--gpu-cost', names);
  const min = o.minReplicas === undefined ? {} : parseNamedNumbers(o.minReplicas, '--min-replicas', names);
  const max = o.maxReplicas === undefined ? {} : parseNamedNumbers(o.maxReplicas, '--max-replicas', names);
  const bounds: Record<string, { min?: number; max?: number }> = {};
  for (const name of names) {
    const b: { min?: number; max?: number } = {};
    if (min[name] !== undefined) b.min = min[name];
    if (max[name] !== undefined) b.max = max[name];
    bounds[name] = b;
  }
  const config = optimizerConfig({ profiles, bounds, ...settings });

  const trace = parseRequestTrace(readTextFile(o.trace), basename(o.trace));
  const from = parseDuration(o.from, '--from') / 1000;
  const last = trace.offsets.length > 0 ? trace.offsets[trace.offsets.length - 1]! : 0;
  const windowSeconds = o.window === undefined ? Math.max(1, Math.ceil(last - from)) : parseDuration(o.window, '--window') / 1000;
  if (!(windowSeconds > 0)) throw new UsageError('--window', 'must be longer than zero');
  let k0 = 0;
  while (k0 < trace.offsets.length && trace.offsets[k0]! < from) k0++;
  let k1 = k0;
  while (k1 < trace.offsets.length && trace.offsets[k1]! < from + windowSeconds) k1++;
  if (k1 === k0) throw new UsageError(o.trace, `no request falls in [${from} s, ${from + windowSeconds} s)`);
  const observed = demandFromRequests(profileGrid(profiles[0]!), { inputs: trace.inputs.subarray(k0, k1), outputs: trace.outputs.subarray(k0, k1) }, windowSeconds);
  const demand = o.scale === 1 ? observed : scaleDemand(observed, o.scale);

  const decision = optimizeAllocation(config, { demand }, solver);
  const singleTypes = names.map((only): SingleTypeResult => {
    const alone: Record<string, { min?: number; max?: number }> = {};
    for (const name of names) alone[name] = name === only ? bounds[name]! : { min: 0, max: 0 };
    const d = optimizeAllocation(optimizerConfig({ profiles, ...settings, bounds: alone }), { demand }, solver);
    return { gpu: only, replicas: d.replicas[only]!, costPerHour: d.costPerHour, uncoveredRps: d.uncoveredRps, status: d.status };
  });
  printOptimization({ trace: basename(o.trace), from, windowSeconds, scale: o.scale, demand, decision, singleTypes });
  const result = { demand, decision, singleTypes };
  if (o.json) writeFileSync(o.json, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

/** A throughput profile from a JSON file (`prescale profile --grid` or `aibrix_gen_profile`); a usage error if it is not JSON. */
export function readProfile(file: string): ThroughputProfile {
  let json: unknown;
  try {
    json = JSON.parse(readTextFile(file));
  } catch (cause) {
    if (cause instanceof SyntaxError) throw new UsageError(file, `is not JSON (${cause.message})`);
    throw cause;
  }
  return parseThroughputProfile(json, basename(file));
}

/** `NAME=NUMBER,…` for the fleet's GPU types (names as in the profiles, any case). */
export function parseNamedNumbers(text: string, flag: string, names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(flag, `must be NAME=NUMBER,… (got ${JSON.stringify(item)})`);
    const raw = item.slice(0, eq).trim();
    const name = names.find((n) => n === raw) ?? names.find((n) => n.toLowerCase() === raw.toLowerCase());
    if (name === undefined) throw new UsageError(flag, `${JSON.stringify(raw)} is not a GPU type of the profiles (${names.join(', ')})`);
    const value = Number(item.slice(eq + 1).trim());
    if (item.slice(eq + 1).trim() === '' || !Number.isFinite(value)) throw new UsageError(`${flag} ${name}`, `must be a number (got ${JSON.stringify(item.slice(eq + 1))})`);
    out[name] = value;
  }
  return out;
}
