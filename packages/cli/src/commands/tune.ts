/**
 * `prescale tune`: which scaler, which settings, for this traffic and this SLO. The
 * simulated span after the warm-up is split in time; each scaler's parameters are
 * searched on the first part for the configuration with the fewest GPU-hours that meets
 * the SLO target, and its defaults and the winner are measured on the last part, which
 * the search never saw (docs/simulations.md, "Tuning"). Simulations run in parallel on a
 * worker pool; Ctrl-C stops the search and reports the best found so far.
 */
import { setMaxListeners } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatCountTrace, formatDuration } from '@prescale/core';
import {
  buildTuneReport,
  prepareComparison,
  readConfigFile,
  TUNABLE_SCALERS,
  type TunableScaler,
  tuneJson,
  tunePlan,
  tuneScalers,
  type TuneTask,
  taskCost,
  workerConfig,
} from '@prescale/simulator';
import { type Command, Option } from '@commander-js/extra-typings';
import { laterDefault } from '../help.js';
import { type HistoryFlags, loadHistoryFromFlags, ttyProgress, withHistoryFlags } from './history.js';
import { tuneProgress } from './progress.js';
import { intFlag } from '../intFlag.js';
import { UsageError } from '../usageError.js';
import { applySimulationFlags, gapsNote, type SimulationFlags, simulationCommand } from './simulationFlags.js';
import { createRunners, DEFAULT_WORKERS } from './tuneRunners.js';
import { emitTuned, tuneTable } from './tuneOutput.js';

const share = (flag: string, min: number, max: number) => (v: string) => {
  const x = Number(v);
  if (!(x >= min && x <= max)) throw new UsageError(flag, `must be a number from ${min} to ${max} (got "${v}")`);
  return x;
};

/** A span as `7d19h12m`, to the minute. */
const span = (seconds: number) => formatDuration(Math.round(seconds / 60) * 60_000);

function scalerList(text: string): TunableScaler[] {
  const names = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const n of names) if (!(TUNABLE_SCALERS as readonly string[]).includes(n)) throw new UsageError('--scalers', `must name scalers from: ${TUNABLE_SCALERS.join(', ')} (got "${n}")`);
  if (names.length === 0) throw new UsageError('--scalers', 'name at least one scaler');
  return [...new Set(names)] as TunableScaler[];
}

/** The flags of `prescale tune` (commander's inferred type of this many options is too deep for the checker). */
type TuneFlags = SimulationFlags &
  HistoryFlags & {
    scalers: string;
    sloAttainment: number;
    validation: number;
    budget: number;
    workers?: number;
    config?: string;
    json?: string;
    report?: string;
    emit?: string;
  };

export function tuneCommand() {
  const command = simulationCommand('tune', 'search each scaler’s settings for the fewest GPU-hours that meet the SLO on your traffic; validate on a held-out part; emit the winners', {
    pattern: 'none: give --trace, --prometheus or --pattern',
    warmup: 'auto',
    maxReplicas: 'auto',
  })
    .option('--scalers <list>', 'scalers to tune: kpa, hpa, apa, predictive', 'kpa,hpa,apa,predictive')
    .option('--slo-attainment <share>', 'share of requests that must meet the SLO on the tuning part', share('--slo-attainment', 0, 1), 0.99)
    .option('--validation <share>', 'last share of the simulated span held out for validation', share('--validation', 0.05, 0.9), 0.4)
    .option('--budget <n>', 'full-length simulations of the tuning part per scaler', intFlag('--budget'), 60)
    .addOption(laterDefault(new Option('--workers <n>', 'simulations in parallel').argParser(intFlag('--workers')), 'the number of cores'))
    .option('--config <file>', 'simulator settings as JSON or YAML (flags win)')
    .option('--json <file>', 'write the results as JSON')
    .option('--report <dir>', 'write report.html (table and frontier chart) into this folder')
    .option('--emit <dir>', 'write each winner as a PodAutoscaler manifest and as core config JSON');
  return withHistoryFlags(command as unknown as Command<[]>).action(async (flags) => {
    const options = flags as unknown as TuneFlags;
    const sources = [options.trace, options.prometheus, options.pattern].filter((x) => x !== undefined).length;
    if (sources !== 1) throw new UsageError('--trace', 'give one of --trace FILE, --prometheus URL --query PROMQL --from 28d, or --pattern NAME');
    if (!(options.budget >= 1)) throw new UsageError('--budget', 'must be at least 1');
    const workers = options.workers ?? DEFAULT_WORKERS;
    if (!(workers >= 1)) throw new UsageError('--workers', 'must be at least 1');
    const scalers = scalerList(options.scalers);
    const started = performance.now();
    let temp: string | null = null;
    let trace = options.trace;
    if (options.prometheus !== undefined) {
      // One-minute bins of a query giving requests per minute, written as a count trace the workers read.
      const history = await loadHistoryFromFlags(options, 60_000, Date.now(), ttyProgress());
      temp = mkdtempSync(join(tmpdir(), 'prescale-tune-'));
      trace = join(temp, 'prometheus.csv');
      writeFileSync(trace, formatCountTrace(history.series));
    }
    const controller = new AbortController();
    // Every queued simulation listens for the stop: as many listeners as tasks, no leak.
    setMaxListeners(0, controller.signal);
    let interrupts = 0;
    const onSigint = () => {
      interrupts++;
      if (interrupts > 1) process.exit(130);
      process.stderr.write('\nstopping: measuring the best found so far (Ctrl-C again to quit)\n');
      controller.abort(new Error('stopped'));
    };
    process.on('SIGINT', onSigint);
    try {
      const config = applySimulationFlags(options.config ? readConfigFile(options.config) : {}, { ...options, ...(trace !== undefined ? { trace } : {}) });
      // The predictive blend needs history, and a bound below the peak would hide what
      // the settings cost: tune picks both from the trace unless told otherwise.
      config.workload = { warmupSeconds: 'auto', ...config.workload };
      config.maxReplicas ??= 'auto';
      const prepared = prepareComparison({ ...config, scalers: [...scalers, 'oracle'] });
      const plan = tunePlan(prepared, options.validation);
      const w = prepared.workload;
      console.log(
        `${w.name}: ${span(plan.tuningSeconds)} to tune, ${span(plan.validationSeconds)} to validate (after ${span(w.history === null ? 0 : (w.history.values.length * w.history.binMs) / 1000)} of warm-up), mean ${w.meanRps.toFixed(2)} req/s, ${prepared.gpu.name}, capacity ${prepared.capacityRps.toFixed(3)} req/s per replica, at most ${prepared.config.maxReplicas} replicas; target ${(100 * options.sloAttainment).toFixed(1)} % of requests within the SLO; budget ${options.budget} per scaler on ${workers} worker(s)`,
      );
      const gaps = gapsNote(w.filledBins);
      if (gaps !== null) console.log(gaps);
      for (const warning of prepared.warnings) console.log(`WARNING: ${warning}`);
      // Settings fitted to a few ramps do not carry over: the validation part says so, and so does this.
      if (plan.tuningSeconds < 86_400) {
        console.log(`WARNING: The tuning part is ${span(plan.tuningSeconds)}, less than a day: the settings found fit its few ramps and may not hold on other traffic (compare the validation columns); tune on days of traffic where you can.`);
      }
      const finalCost = plan.spanSeconds / plan.tuningSeconds;
      const progress = tuneProgress(scalers.length * options.budget + (2 * scalers.length + 1) * finalCost);
      const runners = createRunners({
        workers,
        prepared,
        plan,
        config: workerConfig(prepared),
        validation: options.validation,
        signal: controller.signal,
        onDone: (task: TuneTask) => progress.add(taskCost(plan, task), task.scaler),
      });
      let outcome;
      try {
        outcome = await tuneScalers(prepared, plan, {
          scalers,
          budget: options.budget,
          target: options.sloAttainment,
          seed: prepared.config.seed,
          run: runners.search,
          runFinal: runners.final,
          stopped: () => controller.signal.aborted,
        });
      } finally {
        progress.stop();
        await runners.close();
      }
      console.log('');
      console.log(tuneTable(outcome, options.sloAttainment));
      if (outcome.stopped) console.log('\nstopped before the budget was spent: these are the best found so far');
      const json = tuneJson(outcome, {
        workload: { name: w.name, startIso: new Date(w.startMs).toISOString(), durationSeconds: w.durationSeconds, meanRps: w.meanRps, filledBins: w.filledBins },
        split: { tuningSeconds: plan.tuningSeconds, validationSeconds: plan.validationSeconds },
        sloTarget: options.sloAttainment,
        slo: prepared.config.slo,
        gpu: prepared.gpu.name,
        capacityRps: prepared.capacityRps,
        budget: options.budget,
        seed: prepared.config.seed,
      });
      if (options.json) writeFileSync(options.json, `${JSON.stringify(json, null, 2)}\n`);
      if (options.report) {
        const dir = resolve(options.report);
        mkdirSync(dir, { recursive: true });
        const file = join(dir, 'report.html');
        const summary = `${span(plan.tuningSeconds)} tuned and ${span(plan.validationSeconds)} validated, mean ${w.meanRps.toFixed(2)} req/s, ${prepared.gpu.name}, SLO TTFT ≤ ${prepared.config.slo.ttftSeconds} s and TPOT ≤ ${prepared.config.slo.tpotSeconds * 1000} ms for ${(100 * options.sloAttainment).toFixed(1)} % of requests, budget ${options.budget} per scaler, seed ${prepared.config.seed}.`;
        writeFileSync(file, await buildTuneReport({ outcome, title: w.name, summary, target: options.sloAttainment, json }));
        console.log(`\nreport: ${file}`);
      }
      if (options.emit) for (const file of emitTuned(outcome, resolve(options.emit))) console.log(`wrote ${file}`);
      console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      process.off('SIGINT', onSigint);
      if (temp !== null) rmSync(temp, { recursive: true, force: true });
    }
  });
}
