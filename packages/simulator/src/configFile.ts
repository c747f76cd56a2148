/**
 * `--config FILE`: the full settings of `prescale simulate` as JSON or YAML. Keys are
 * those of {@link SimulateConfig} without the unit (`coldStart` for `coldStartSeconds`);
 * durations are strings in core's one grammar, as on the command line (`250ms`, `90s`,
 * `4m`, `1h30m`, `14d`, `2w`; `0`). A bare number is refused there: it has no unit.
 * Fields whose name says the unit (`scalerSettings`' `loopSeconds` and core config
 * fields such as `stableWindowSeconds`) are plain numbers of seconds. Flags given on the
 * command line win over the file.
 *
 * ```yaml
 * gpu: A100-80GB
 * coldStart: 4m
 * slo: { ttft: 1s, tpot: 80ms }
 * maxReplicas: 32
 * scalers: [hpa, kpa, oracle]
 * scalerSettings:
 *   kpa: { loopSeconds: 10, config: { stableWindowSeconds: 120 } }
 * workload: { pattern: severe_fluctuation, duration: 1h }
 * minReplicas: 0
 * activator: { capacity: 1000, timeout: 10m }   # where requests wait while no replica is ready
 * ```
 * @module
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from '@prescale/core';
import type { SimulateConfig } from './compare.js';
import { ACTIVATOR_DEFAULTS, checkActivator } from './engine/activator.js';
import { SimulatorError } from './errors.js';
import { readProblem } from './readTextFile.js';

const KNOWN = new Set([
  'workload', 'seed', 'gpu', 'coldStart', 'slo', 'minReplicas', 'maxReplicas', 'initialReplicas', 'scalers', 'scalerSettings', 'metric',
  'target', 'capacityRps', 'targetUtilization', 'attainment', 'scrapeLag', 'router', 'drainGrace', 'vllmVersion', 'window', 'activator',
]);

/**
 * A duration setting in seconds.
 * @throws SimulatorError for a bare number other than 0; PrescaleError (core's parser) for a string outside the grammar.
 */
function durationSeconds(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (value === 0) return 0;
  if (typeof value === 'number') throw new SimulatorError('InvalidConfig', field, value, `must be a duration with a unit such as "${value}s" (a bare number has none)`);
  return parseDuration(value as string, field) / 1000;
}

/**
 * Reads and checks a config file.
 * @throws SimulatorError naming the file and key; PrescaleError naming them for a malformed duration.
 */
export function readConfigFile(path: string): Partial<SimulateConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new SimulatorError('InvalidConfig', path, path, readProblem(cause), { cause });
  }
  const yaml = /\.ya?ml$/i.test(path);
  let raw: unknown;
  try {
    raw = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (cause) {
    throw new SimulatorError('InvalidConfig', path, path, `is not valid ${yaml ? 'YAML' : 'JSON'}: ${(cause as Error).message}`, { cause });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new SimulatorError('InvalidConfig', path, raw, 'must hold an object of settings');
  const c = raw as Record<string, unknown>;
  for (const key of Object.keys(c)) if (!KNOWN.has(key)) throw new SimulatorError('InvalidConfig', `${path} ${key}`, c[key], `is not a setting; settings: ${[...KNOWN].join(', ')}`);
  const out: Partial<SimulateConfig> = {};
  const num = (key: string): number | undefined => {
    const v = c[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new SimulatorError('InvalidConfig', `${path} ${key}`, v, 'must be a number');
    return v;
  };
  const dur = (v: unknown, key: string): number | undefined => durationSeconds(v, `${path} ${key}`);
  const set = <K extends keyof SimulateConfig>(k: K, v: SimulateConfig[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('seed', num('seed'));
  set('minReplicas', num('minReplicas'));
  set('maxReplicas', c.maxReplicas === 'auto' ? 'auto' : num('maxReplicas'));
  set('initialReplicas', num('initialReplicas'));
  set('target', num('target'));
  set('capacityRps', num('capacityRps'));
  set('targetUtilization', num('targetUtilization'));
  set('attainment', num('attainment'));
  set('coldStartSeconds', dur(c.coldStart, 'coldStart'));
  set('scrapeLagSeconds', dur(c.scrapeLag, 'scrapeLag'));
  set('drainGraceSeconds', dur(c.drainGrace, 'drainGrace'));
  set('windowSeconds', dur(c.window, 'window'));
  if (c.gpu !== undefined) set('gpu', c.gpu as SimulateConfig['gpu']);
  if (typeof c.metric === 'string') set('metric', c.metric);
  if (typeof c.router === 'string') set('router', c.router as SimulateConfig['router']);
  if (typeof c.vllmVersion === 'string') set('vllmVersion', c.vllmVersion);
  if (c.scalers !== undefined) {
    if (!Array.isArray(c.scalers)) throw new SimulatorError('InvalidConfig', `${path} scalers`, c.scalers, 'must be a list of names');
    set('scalers', c.scalers.map(String));
  }
  if (c.scalerSettings !== undefined) set('scalerSettings', c.scalerSettings as SimulateConfig['scalerSettings']);
  if (c.activator !== undefined) {
    const a = (c.activator ?? {}) as Record<string, unknown>;
    const capacity = a.capacity ?? ACTIVATOR_DEFAULTS.capacity;
    if (typeof capacity !== 'number') throw new SimulatorError('InvalidConfig', `${path} activator.capacity`, capacity, 'must be a number of requests');
    set('activator', checkActivator({ capacity, timeoutSeconds: dur(a.timeout, 'activator.timeout') ?? ACTIVATOR_DEFAULTS.timeoutSeconds }));
  }
  if (c.slo !== undefined) {
    const s = c.slo as Record<string, unknown>;
    set('slo', { ttftSeconds: dur(s.ttft, 'slo.ttft') ?? 2, tpotSeconds: dur(s.tpot, 'slo.tpot') ?? 0.1 });
  }
  if (c.workload !== undefined) {
    const w = c.workload as Record<string, unknown>;
    const workload: SimulateConfig['workload'] = {};
    if (typeof w.trace === 'string') workload.trace = w.trace;
    if (typeof w.pattern === 'string') workload.pattern = w.pattern;
    if (typeof w.lengths === 'string') workload.lengths = w.lengths;
    if (typeof w.scaleRps === 'number') workload.scaleRps = w.scaleRps;
    const warmup = w.warmup === 'auto' ? 'auto' : dur(w.warmup, 'workload.warmup');
    if (warmup !== undefined) workload.warmupSeconds = warmup;
    const duration = dur(w.duration, 'workload.duration');
    if (duration !== undefined) workload.durationSeconds = duration;
    set('workload', workload);
  }
  return out;
}
