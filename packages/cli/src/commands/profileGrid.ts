/**
 * `prescale profile --grid`: a GPU type's throughput profile over a token grid (AIBrix's
 * by default), printed as a table and written as JSON in aibrix_gen_profile's layout
 * (docs/optimizer.md "Profiles").
 */
import { writeFileSync } from 'node:fs';
import { parseDuration, type ThroughputProfile } from '@prescale/core';
import { AIBRIX_TICKS, type GpuProfile, gpuCostPerHour, type GridSlo, measureThroughputGrid } from '@prescale/simulator';
import { UsageError } from '../usageError.js';
import { progressBar } from './progress.js';

export interface GridFlags {
  inputTicks?: string;
  outputTicks?: string;
  sloTtft: string;
  sloTpot: string;
  sloE2e?: string;
  percentile: string;
  cost?: number;
  trialRequests: number;
  tputTolerance: number;
  seed: number;
  json?: string;
}

/** A comma-separated list of ascending positive integers. */
export function parseTicks(text: string | undefined, flag: string): readonly number[] {
  if (text === undefined) return AIBRIX_TICKS;
  const ticks = text.split(',').map((s) => Number(s.trim()));
  ticks.forEach((t, i) => {
    if (!Number.isSafeInteger(t) || t < 1 || (i > 0 && t <= ticks[i - 1]!)) {
      throw new UsageError(flag, `must be ascending positive integers separated by commas (got ${JSON.stringify(text)})`);
    }
  });
  return ticks;
}

function gridSlo(o: GridFlags): GridSlo {
  const percentile = Number(o.percentile);
  if (percentile !== 0 && percentile !== 50 && percentile !== 90 && percentile !== 99) {
    throw new UsageError('--percentile', `must be 0 (the mean), 50, 90 or 99 (got ${JSON.stringify(o.percentile)})`);
  }
  const slo: GridSlo = { percentile, ttftSeconds: parseDuration(o.sloTtft, '--slo-ttft') / 1000, tpotSeconds: parseDuration(o.sloTpot, '--slo-tpot') / 1000 };
  if (o.sloE2e !== undefined) slo.e2eSeconds = parseDuration(o.sloE2e, '--slo-e2e') / 1000;
  return slo;
}

export function profileGrid(gpu: GpuProfile, o: GridFlags): ThroughputProfile {
  const cost = o.cost ?? gpuCostPerHour(gpu.name);
  if (cost === null || !(cost > 0 && cost < Infinity)) throw new UsageError('--cost', `must be a positive price per GPU-hour (no default for ${gpu.name})`);
  if (!(o.tputTolerance > 0 && o.tputTolerance <= 1)) throw new UsageError('--tput-tolerance', `must be in (0, 1] (got ${o.tputTolerance})`);
  if (!Number.isSafeInteger(o.trialRequests) || o.trialRequests < 10) throw new UsageError('--trial-requests', `must be an integer ≥ 10 (got ${o.trialRequests})`);
  const slo = gridSlo(o);
  const inputTicks = parseTicks(o.inputTicks, '--input-ticks');
  const outputTicks = parseTicks(o.outputTicks, '--output-ticks');
  const bar = progressBar();
  const started = Date.now();
  const profile = measureThroughputGrid({
    gpu,
    inputTicks,
    outputTicks,
    slo,
    cost,
    tputTolerance: o.tputTolerance,
    trialRequests: o.trialRequests,
    seed: o.seed,
    created: Math.floor(started / 1000),
    onProgress: (done, total) => bar.update('profile', done / total),
  });
  bar.stop();
  const limits = [slo.ttftSeconds !== undefined && `TTFT < ${slo.ttftSeconds} s`, slo.tpotSeconds !== undefined && `TPOT < ${slo.tpotSeconds * 1000} ms`, slo.e2eSeconds !== undefined && `E2E < ${slo.e2eSeconds} s`].filter(Boolean);
  console.log(`${gpu.name} (${gpu.model}), $${cost}/h`);
  console.log(`SLO: ${limits.join(', ')} at ${slo.percentile === 0 ? 'the mean' : `p${slo.percentile}`}; throughput ≥ ${o.tputTolerance} × rate\n`);
  console.log(`max req/s per replica (rows: output tokens, columns: input tokens; ${profile.prescale?.trials} trials in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  console.log(`${'out \\ in'.padStart(8)} ${inputTicks.map((t) => String(t).padStart(8)).join(' ')}`);
  profile.tputs.forEach((row, k) => console.log(`${String(outputTicks[k]).padStart(8)} ${row.map((v) => (v > 0 ? v.toPrecision(3) : '-').padStart(8)).join(' ')}`));
  if (o.json) writeFileSync(o.json, `${JSON.stringify(profile, null, 2)}\n`);
  return profile;
}
