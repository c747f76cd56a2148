/**
 * `prescale profile`: the sustainable request rate of one replica at the SLO for a GPU
 * profile and a workload's token mix, measured in simulation (the `capacityPerReplica`
 * a predictive scaler needs); with `--grid`, the GPU's throughput profile over a token
 * grid for the optimizer (profileGrid.ts).
 */
import { writeFileSync } from 'node:fs';
import { Command, Option } from '@commander-js/extra-typings';
import { parseDuration } from '@prescale/core';
import { builtInLengths, gpuProfile, loadWorkload, measureCapacity, parseLengths, readTextFile } from '@prescale/simulator';
import { laterDefault } from '../help.js';
import { intFlag } from '../intFlag.js';
import { profileGrid } from './profileGrid.js';

export function profileCommand() {
  return new Command('profile')
    .description("measure one replica's sustainable request rate at the SLO (the predictive scaler's capacityPerReplica)")
    .option('--gpu <name>', 'V100, A10G, L4, A100-80GB or H100', 'V100')
    .option('--trace <file>', 'take the token mix of this request trace')
    .addOption(laterDefault(new Option('--lengths <file>', 'token lengths (input_tokens,output_tokens)'), 'a built-in distribution'))
    .option('--slo-ttft <duration>', 'time-to-first-token SLO', '2s')
    .option('--slo-tpot <duration>', 'time-per-output-token SLO', '100ms')
    .option('--attainment <share>', 'share of requests that must meet the SLO', Number, 0.99)
    .option('--target-utilization <share>', 'share of the sustainable rate scalers aim for', Number, 0.7)
    .option('--seed <n>', 'random seed', intFlag('--seed'), 1)
    .option('--json <file>', 'write the profile as JSON')
    .option('--grid', "measure the GPU's throughput profile over a token grid for the optimizer (AIBrix's layout)")
    .addOption(laterDefault(new Option('--input-ticks <list>', 'grid: input-token ticks, ascending'), '4,8,…,4096'))
    .addOption(laterDefault(new Option('--output-ticks <list>', 'grid: output-token ticks, ascending'), '4,8,…,4096'))
    .option('--slo-e2e <duration>', 'grid: end-to-end latency SLO')
    .addOption(new Option('--percentile <p>', 'grid: the SLO percentile: 0 (mean), 50, 90 or 99').default('99', '99'))
    .addOption(laterDefault(new Option('--cost <usd>', 'grid: price per GPU-hour written in the profile').argParser(Number), 'the GPU’s'))
    .option('--trial-requests <n>', 'grid: requests per trial', Number, 1000)
    .option('--tput-tolerance <share>', "grid: AIBrix's TPUT_TOLERANCE", Number, 0.9)
    .action((o) => {
      const gpu = gpuProfile(o.gpu);
      if (o.grid) {
        profileGrid(gpu, o);
        return;
      }
      const lengths = o.trace
        ? loadWorkload({ seed: o.seed, trace: o.trace }).lengths
        : o.lengths
          ? parseLengths(readTextFile(o.lengths), o.lengths)
          : builtInLengths();
      const slo = { ttftSeconds: parseDuration(o.sloTtft, '--slo-ttft') / 1000, tpotSeconds: parseDuration(o.sloTpot, '--slo-tpot') / 1000 };
      const p = measureCapacity({ gpu, lengths, slo, attainment: o.attainment, targetUtilization: o.targetUtilization, seed: o.seed });
      console.log(`${gpu.name} (${gpu.model}), ${p.lengths}`);
      console.log(`SLO: TTFT ≤ ${slo.ttftSeconds} s and TPOT ≤ ${slo.tpotSeconds * 1000} ms for ${(100 * p.attainment).toFixed(1)} % of requests\n`);
      console.log('   req/s  SLO met  running  waiting  KV used  TTFT p99  TPOT p99');
      const row = (x: typeof p.atCapacity, note = '') =>
        console.log(
          `${x.rps.toFixed(3).padStart(8)}  ${(100 * x.sloAttainment).toFixed(2).padStart(6)} %  ${x.meanRunning.toFixed(1).padStart(7)}  ${x.meanWaiting.toFixed(1).padStart(7)}  ${(100 * x.meanKvCacheUsage).toFixed(0).padStart(5)} %  ${(x.ttftP99Seconds ?? 0).toFixed(2).padStart(6)} s  ${((x.tpotP99Seconds ?? 0) * 1000).toFixed(0).padStart(5)} ms${note}`,
        );
      for (const t of [...p.trials].sort((a, b) => a.rps - b.rps)) row(t);
      console.log('');
      row(p.atCapacity, '  <- capacity');
      row(p.atTarget, `  <- ${(100 * p.targetUtilization).toFixed(0)} % (default scaler targets)`);
      console.log(`\ncapacityPerReplica: ${p.capacityRps.toFixed(3)} requests/s`);
      if (o.json) writeFileSync(o.json, `${JSON.stringify(p, null, 2)}\n`);
    });
}
