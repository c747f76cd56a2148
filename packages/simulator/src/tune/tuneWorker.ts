/**
 * What a worker of `prescale tune`'s pool runs: one task on the prepared comparison its
 * configuration describes, prepared once per worker and kept (the configuration carries
 * the capacity, target and initial replicas, so no worker measures the profile again).
 * @module
 */
import { type PreparedComparison, prepareComparison, type SimulateConfig } from '../compare.js';
import { evaluateTask, type TaskResult, type TunePlan, type TuneTask, tunePlan } from './tuneTask.js';

export interface TuneWorkerInput {
  config: Partial<SimulateConfig>;
  validation: number;
  task: TuneTask;
}

let kept: { key: string; prepared: PreparedComparison; plan: TunePlan } | null = null;

export function runTuneTask(input: TuneWorkerInput): TaskResult {
  const key = JSON.stringify([input.config, input.validation]);
  if (kept === null || kept.key !== key) {
    const prepared = prepareComparison(input.config);
    kept = { key, prepared, plan: tunePlan(prepared, input.validation) };
  }
  return evaluateTask(kept.prepared, kept.plan, input.task);
}
