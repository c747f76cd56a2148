/**
 * `prescale simulate`: replays a workload against simulated vLLM replicas under each
 * scaler and the oracle, prints the comparison table, and writes `report.html` (and
 * `--json`). With no arguments it runs the embedded default: two weeks of the project's
 * diurnal + weekly generator with a flash crowd, after two weeks of warm-up history.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import { formatDuration, parseDuration } from '@prescale/core';
import {
  buildReport,
  comparisonJson,
  DEFAULT_WARMUP_SECONDS,
  parseGpuProfile,
  PATTERN_NAMES,
  readConfigFile,
  readTextFile,
  runComparison,
  SIMULATE_DEFAULTS,
  type SimulateConfig,
  tableText,
} from '@prescale/simulator';
import { laterDefault } from '../help.js';
import { intFlag } from '../intFlag.js';
import { UsageError } from '../usageError.js';
import { progressBar } from './progress.js';

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
const seconds = (text: string, flag: string): number => parseDuration(text, flag) / 1000;

export function simulateCommand() {
  return new Command('simulate')
    .description('replay traffic against simulated vLLM replicas under each scaler and an offline oracle; compare cost and SLO; write report.html')
    .option('--trace <file>', 'a count trace (t_start_iso,requests) or a request trace (t_offset_s,input_tokens,output_tokens), optionally gzipped')
    .addOption(laterDefault(new Option('--pattern <name>', `a synthetic workload: ${['diurnal', ...PATTERN_NAMES.filter((p) => p !== 'diurnal')].join(', ')}`), 'diurnal, unless --trace'))
    .option('--scale-rps <n>', 'rescale the workload to this mean request rate', Number)
    .addOption(laterDefault(new Option('--warmup <duration>', 'hand the first part of the trace to the scalers as history instead of simulating it'), `${DEFAULT_WARMUP_SECONDS / 86_400}d for the embedded workload; 0 for --trace and --pattern, so the predictive scaler starts without history`))
    .addOption(laterDefault(new Option('--duration <duration>', 'simulate this long after the warm-up'), 'the rest of the trace; 14d for the embedded workload; 30m for --pattern'))
    .addOption(laterDefault(new Option('--lengths <file>', 'token lengths (input_tokens,output_tokens) for count traces'), 'a built-in distribution'))
    .addOption(laterDefault(new Option('--gpu <name>', 'V100, A10G, L4, A100-80GB or H100, or a JSON profile file'), String(SIMULATE_DEFAULTS.gpu)))
    .addOption(laterDefault(new Option('--cold-start <duration>', 'scale the cold-start phases to this nominal total'), 'the GPU profile\u2019s, about 6m'))
    .addOption(laterDefault(new Option('--slo-ttft <duration>', 'time-to-first-token SLO'), formatDuration(SIMULATE_DEFAULTS.slo.ttftSeconds * 1000)))
    .addOption(laterDefault(new Option('--slo-tpot <duration>', 'time-per-output-token SLO'), formatDuration(SIMULATE_DEFAULTS.slo.tpotSeconds * 1000)))
    .addOption(laterDefault(new Option('--min-replicas <n>', 'minimum replicas').argParser(intFlag('--min-replicas')), String(SIMULATE_DEFAULTS.minReplicas)))
    .addOption(laterDefault(new Option('--max-replicas <n>', 'maximum replicas').argParser(intFlag('--max-replicas')), String(SIMULATE_DEFAULTS.maxReplicas)))
    .addOption(laterDefault(new Option('--scalers <list>', 'comma-separated: hpa, kpa, apa, predictive, oracle, fixed:N'), SIMULATE_DEFAULTS.scalers.join(',')))
    .option('--config <file>', 'full settings as JSON or YAML (flags win)')
    .addOption(laterDefault(new Option('--router <name>', 'least-request or round-robin'), SIMULATE_DEFAULTS.router))
    .addOption(laterDefault(new Option('--scrape-lag <duration>', 'age of the metrics a decision sees'), formatDuration(SIMULATE_DEFAULTS.scrapeLagSeconds * 1000)))
    .addOption(laterDefault(new Option('--seed <n>', 'random seed').argParser(intFlag('--seed')), String(SIMULATE_DEFAULTS.seed)))
    .option('--json <file>', 'write the configuration and results as JSON')
    .addOption(new Option('--report <dir>', 'write report.html into this folder').default('report', './report'))
    .option('--no-report', 'do not write the HTML report')
    .action(async (options) => {
      const config: Partial<SimulateConfig> = options.config ? readConfigFile(options.config) : {};
      const workload = { ...config.workload };
      if (options.trace !== undefined) workload.trace = options.trace;
      if (options.pattern !== undefined) workload.pattern = options.pattern;
      if (options.scaleRps !== undefined) workload.scaleRps = options.scaleRps;
      if (options.warmup !== undefined) workload.warmupSeconds = seconds(options.warmup, '--warmup');
      if (options.duration !== undefined) workload.durationSeconds = seconds(options.duration, '--duration');
      if (options.lengths !== undefined) workload.lengths = options.lengths;
      config.workload = workload;
      if (options.gpu !== undefined) config.gpu = gpuOption(options.gpu);
      if (options.coldStart !== undefined) config.coldStartSeconds = seconds(options.coldStart, '--cold-start');
      const slo = { ...(config.slo ?? { ttftSeconds: 2, tpotSeconds: 0.1 }) };
      if (options.sloTtft !== undefined) slo.ttftSeconds = seconds(options.sloTtft, '--slo-ttft');
      if (options.sloTpot !== undefined) slo.tpotSeconds = seconds(options.sloTpot, '--slo-tpot');
      config.slo = slo;
      if (options.minReplicas !== undefined) config.minReplicas = options.minReplicas;
      if (options.maxReplicas !== undefined) config.maxReplicas = options.maxReplicas;
      if (options.scalers !== undefined) config.scalers = options.scalers.split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (options.router !== undefined) config.router = options.router as SimulateConfig['router'];
      if (options.scrapeLag !== undefined) config.scrapeLagSeconds = seconds(options.scrapeLag, '--scrape-lag');
      if (options.seed !== undefined) config.seed = options.seed;

      const bar = progressBar();
      const started = performance.now();
      let comparison;
      try {
        comparison = runComparison(config, { onProgress: (label, fraction) => bar.update(label, fraction) });
      } finally {
        bar.stop();
      }
      console.log(`${comparison.workload.name}: ${(comparison.workload.durationSeconds / 86_400).toFixed(2)} days, mean ${comparison.workload.meanRps.toFixed(2)} req/s, ${comparison.gpu.name}, capacity ${comparison.capacityRps.toFixed(3)} req/s per replica at the SLO`);
      for (const w of comparison.warnings) console.log(`WARNING: ${w}`);
      console.log('');
      console.log(tableText(comparison));
      if (options.json) writeFileSync(options.json, `${JSON.stringify(comparisonJson(comparison), null, 2)}\n`);
      if (options.report !== false) {
        const dir = resolve(options.report);
        mkdirSync(dir, { recursive: true });
        const file = join(dir, 'report.html');
        writeFileSync(file, await buildReport(comparison));
        console.log(`\nreport: ${file}`);
      }
      console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    });
}
