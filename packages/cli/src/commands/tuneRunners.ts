/**
 * Where `prescale tune`'s simulations run: a pool of worker threads (piscina, one
 * simulation per task, as many workers as `--workers`) or, with one worker, in this
 * process between event-loop turns so Ctrl-C is still heard. Both report each finished
 * task for the progress bar and stop on the signal; results come back in task order, so
 * the search is the same whichever runs it.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { evaluateTask, type PreparedComparison, type SimulateConfig, type TaskResult, type TaskRunner, type TunePlan, type TuneTask } from '@prescale/simulator';

export interface Runners {
  /** Runs the search's tasks; rejects once `signal` aborts. */
  search: TaskRunner;
  /** Runs the final measurements (not stopped by the first Ctrl-C). */
  final: TaskRunner;
  close(): Promise<void>;
}

export interface RunnerOptions {
  workers: number;
  prepared: PreparedComparison;
  plan: TunePlan;
  /** What workers rebuild the prepared comparison from. */
  config: Partial<SimulateConfig>;
  validation: number;
  signal: AbortSignal;
  onDone(task: TuneTask): void;
}

export const DEFAULT_WORKERS = Math.max(1, availableParallelism());

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The worker script, `worker/tune.mjs` of this package, found from the sources or the build alike. */
function workerFile(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'worker', 'tune.mjs');
    if (existsSync(file)) return file;
  }
  throw new Error('cannot find worker/tune.mjs of @prescale/cli');
}

/**
 * The parent's Node flags without export conditions: the worker always loads the built
 * packages (the test runner starts Node with `--conditions @prescale/source`, which a
 * plain-JavaScript worker cannot follow into TypeScript sources).
 */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--conditions' || argv[i] === '-C') i++;
    else if (!argv[i]!.startsWith('--conditions=')) out.push(argv[i]!);
  }
  return out;
}

export function createRunners(o: RunnerOptions): Runners {
  if (o.workers <= 1) {
    const inProcess = (signal: AbortSignal | null): TaskRunner => async (tasks) => {
      const out: TaskResult[] = [];
      for (const task of tasks) {
        await turn();
        if (signal?.aborted) throw signal.reason;
        out.push(evaluateTask(o.prepared, o.plan, task));
        o.onDone(task);
      }
      return out;
    };
    return { search: inProcess(o.signal), final: inProcess(null), close: async () => {} };
  }
  const pool = new Piscina({ filename: workerFile(), execArgv: workerExecArgv(), minThreads: o.workers, maxThreads: o.workers, idleTimeout: 60_000 });
  const run = (signal: AbortSignal | null): TaskRunner => (tasks) =>
    Promise.all(
      tasks.map(async (task) => {
        const result = (await pool.run({ config: o.config, validation: o.validation, task }, signal ? { signal } : {})) as TaskResult;
        o.onDone(task);
        return result;
      }),
    );
  return { search: run(o.signal), final: run(null), close: () => pool.destroy() };
}
