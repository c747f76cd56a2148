/**
 * `prescale simulate`: replays a workload against simulated vLLM replicas under each
 * scaler and the oracle, prints the comparison table, and writes `report.html` (and
 * `--json`). With no arguments it runs the embedded default: two weeks of the project's
 * diurnal + weekly generator with a flash crowd, after two weeks of warm-up history.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option } from '@commander-js/extra-typings';
import { formatDuration } from '@prescale/core';
import { buildReport, comparisonJson, DEFAULT_WARMUP_SECONDS, parseGpuCosts, readConfigFile, runComparison, SIMULATE_DEFAULTS, type SimulateConfig, tableText } from '@prescale/simulator';
import { laterDefault } from '../help.js';
import { intFlag } from '../intFlag.js';
import { UsageError } from '../usageError.js';
import { progressBar } from './progress.js';
import { simulateFleet } from './simulateFleet.js';
import { checkModelsFlags, simulateModels } from './simulateModels.js';
import { applySimulationFlags, gapsNote, seconds, simulationCommand } from './simulationFlags.js';
import { tunedScalers } from './tunedScalers.js';

export function simulateCommand() {
  return simulationCommand('simulate', 'replay traffic against simulated vLLM replicas under each scaler and an offline oracle; compare cost and SLO; write report.html', {
    pattern: 'diurnal, unless --trace',
    warmup: `${DEFAULT_WARMUP_SECONDS / 86_400}d for the embedded workload; 0 for --trace and --pattern, so the predictive scaler starts without history`,
    maxReplicas: String(SIMULATE_DEFAULTS.maxReplicas),
  })
    .addOption(laterDefault(new Option('--duration <duration>', 'simulate this long after the warm-up'), 'the rest of the trace; 14d for the embedded workload; 30m for --pattern'))
    .addOption(laterDefault(new Option('--lengths <file>', 'token lengths (input_tokens,output_tokens) for count traces'), 'a built-in distribution'))
    .addOption(laterDefault(new Option('--min-replicas <n>', 'minimum replicas; 0 scales to zero (kpa and predictive wake again through the activator queue)').argParser(intFlag('--min-replicas')), String(SIMULATE_DEFAULTS.minReplicas)))
    .addOption(laterDefault(new Option('--scalers <list>', 'comma-separated: hpa, kpa, apa, predictive, oracle, fixed:N, or a variant NAME:LABEL with its own scalerSettings'), SIMULATE_DEFAULTS.scalers.join(',')))
    .option('--config <file>', 'full settings as JSON or YAML (flags win)')
    .addOption(laterDefault(new Option('--router <name>', 'least-request or round-robin'), SIMULATE_DEFAULTS.router))
    .addOption(laterDefault(new Option('--scrape-lag <duration>', 'age of the metrics a decision sees'), formatDuration(SIMULATE_DEFAULTS.scrapeLagSeconds * 1000)))
    .option('--fleet <list>', 'simulate a heterogeneous fleet: one deployment per GPU type (e.g. V100,A10G,L4,A100-80GB,H100) behind one router; scalers: optimizer, optimizer-predictive, oracle')
    .addOption(laterDefault(new Option('--gpu-cost <list>', 'NAME=USD_PER_HOUR,… GPU prices for the results\u2019 costUsd (with --gpu or --fleet)'), 'the built-in prices (docs/simulations.md)'))
    .addOption(laterDefault(new Option('--profiles <files>', 'with --fleet: throughput profiles of the types (prescale profile --grid), comma-separated'), 'measured at the SLO before the run'))
    .option('--tuned <file>', 'also run the winners of a `prescale tune --json FILE` run, as kpa:tuned beside kpa and so on')
    .addOption(new Option('--models <n>', 'simulate a fleet of N models derived from count traces under the scale-to-zero policies (min1, zero, zero+pool, zero-predictive, zero-predictive+pool); takes only --models-from, --warmup, --cold-start, --seed, --json and --report').argParser(intFlag('--models')))
    .addOption(laterDefault(new Option('--models-from <list>', 'with --models: comma-separated count traces to derive the models from'), 'the shared NASA and ServeGen M-small traces'))
    .option('--json <file>', 'write the configuration and results as JSON')
    .addOption(new Option('--report <dir>', 'write report.html into this folder').default('report', './report'))
    .option('--no-report', 'do not write the HTML report')
    .action(async (options) => {
      if (options.models !== undefined) {
        checkModelsFlags(options);
        return simulateModels({ ...options, models: options.models });
      }
      if (options.modelsFrom !== undefined) throw new UsageError('--models-from', 'applies only with --models');
      const config = applySimulationFlags(options.config ? readConfigFile(options.config) : {}, options);
      const workload = { ...config.workload };
      if (options.duration !== undefined) workload.durationSeconds = seconds(options.duration, '--duration');
      if (options.lengths !== undefined) workload.lengths = options.lengths;
      config.workload = workload;
      if (options.minReplicas !== undefined) config.minReplicas = options.minReplicas;
      if (options.scalers !== undefined) config.scalers = options.scalers.split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (options.router !== undefined) config.router = options.router as SimulateConfig['router'];
      if (options.scrapeLag !== undefined) config.scrapeLagSeconds = seconds(options.scrapeLag, '--scrape-lag');
      if (options.tuned !== undefined) {
        const tuned = tunedScalers(options.tuned, config.scalers ?? SIMULATE_DEFAULTS.scalers);
        config.scalers = tuned.scalers;
        config.scalerSettings = { ...config.scalerSettings, ...tuned.settings };
      }

      if (options.gpuCost !== undefined) config.gpuCosts = parseGpuCosts(options.gpuCost);
      if (options.fleet !== undefined) {
        if (options.tuned !== undefined) throw new UsageError('--tuned', 'does not apply to --fleet (the tuned scalers run on one GPU type)');
        await simulateFleet(config, { ...options, fleet: options.fleet });
        return;
      }
      if (options.profiles !== undefined) throw new UsageError('--profiles', 'applies only with --fleet');

      const bar = progressBar();
      const started = performance.now();
      let comparison;
      try {
        comparison = runComparison(config, { onProgress: (label, fraction) => bar.update(label, fraction) });
      } finally {
        bar.stop();
      }
      console.log(`${comparison.workload.name}: ${(comparison.workload.durationSeconds / 86_400).toFixed(2)} days, mean ${comparison.workload.meanRps.toFixed(2)} req/s, ${comparison.gpu.name}, capacity ${comparison.capacityRps.toFixed(3)} req/s per replica at the SLO`);
      const gaps = gapsNote(comparison.workload.filledBins);
      if (gaps !== null) console.log(gaps);
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
