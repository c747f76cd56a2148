/**
 * `prescale simulate --models N [--models-from A.csv,B.csv,…] [--warmup 14d]
 * [--cold-start 6m] [--seed N] [--json FILE] [--report DIR]`: a fleet of N models derived
 * from count traces (default: the public NASA and ServeGen M-small traces of the shared
 * folder) under each scale-to-zero policy (docs/simulations.md, "Many models"). Only
 * these flags apply; any other simulate flag is refused with --models.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MANY_MODELS_DEFAULTS, modelsJson, modelsReportHtml, modelsTableText, runManyModels } from '@prescale/simulator';
import { sharedDir } from '../sharedData.js';
import { UsageError } from '../usageError.js';
import { progressBar } from './progress.js';
import { seconds } from './simulationFlags.js';

/** The count traces models are derived from by default (in the shared folder). */
export const DEFAULT_MODEL_SOURCES = ['data/nasa_http_1995/arrivals_1min.csv', 'data/servegen_m_small/arrivals_10min.csv'];

export interface ModelsFlags {
  models: number;
  modelsFrom?: string;
  warmup?: string;
  coldStart?: string;
  seed?: number;
  json?: string;
  report?: string | false;
}

/** Simulate flags that --models does not take (their option keys and flags). */
const NOT_WITH_MODELS: Record<string, string> = {
  trace: '--trace', pattern: '--pattern', scaleRps: '--scale-rps', gaps: '--gaps', gpu: '--gpu', sloTtft: '--slo-ttft', sloTpot: '--slo-tpot',
  maxReplicas: '--max-replicas', duration: '--duration', lengths: '--lengths', minReplicas: '--min-replicas', scalers: '--scalers',
  config: '--config', router: '--router', scrapeLag: '--scrape-lag', tuned: '--tuned',
};

/** Refuses the simulate flags that do not apply to a many-models run. @throws UsageError naming the first. */
export function checkModelsFlags(options: Record<string, unknown>): void {
  for (const [key, flag] of Object.entries(NOT_WITH_MODELS)) {
    if (options[key] !== undefined) throw new UsageError(flag, 'does not apply with --models (it takes --models-from, --warmup, --cold-start, --seed, --json and --report)');
  }
}

export async function simulateModels(options: ModelsFlags): Promise<void> {
  if (!Number.isInteger(options.models) || options.models < 1) throw new UsageError('--models', `must be a whole number of models ≥ 1 (got ${options.models})`);
  const sources = options.modelsFrom !== undefined ? options.modelsFrom.split(',').map((s) => s.trim()).filter((s) => s !== '') : DEFAULT_MODEL_SOURCES.map((f) => join(sharedDir(), f));
  if (sources.length === 0) throw new UsageError('--models-from', 'name at least one count trace');
  const bar = progressBar();
  const started = performance.now();
  let result;
  try {
    result = runManyModels(
      {
        ...MANY_MODELS_DEFAULTS,
        count: options.models,
        sources,
        ...(options.warmup !== undefined ? { warmupSeconds: seconds(options.warmup, '--warmup') } : {}),
        ...(options.coldStart !== undefined ? { coldStartSeconds: seconds(options.coldStart, '--cold-start') } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
      },
      (label, fraction) => bar.update(label, fraction),
    );
  } finally {
    bar.stop();
  }
  console.log(modelsTableText(result));
  if (options.json) writeFileSync(options.json, `${JSON.stringify(modelsJson(result), null, 2)}\n`);
  if (options.report !== false && options.report !== undefined) {
    const dir = resolve(options.report);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'report.html');
    writeFileSync(file, modelsReportHtml(result));
    console.log(`\nreport: ${file}`);
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
