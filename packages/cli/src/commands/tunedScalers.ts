/**
 * `prescale simulate --tuned FILE`: the winners of a `prescale tune --json FILE` run as
 * extra scalers, `kpa:tuned` beside `kpa`, each running the core spec tune found as is
 * (its `best.config`), so one table shows what tuning buys over the defaults.
 */
import { readFileSync } from 'node:fs';
import { type ScalerOverride, SimulatorError } from '@prescale/simulator';

export interface TunedScalers {
  /** The scaler list with `<scaler>:tuned` after each tuned scaler (or before the oracle). */
  scalers: string[];
  settings: Record<string, ScalerOverride>;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** @throws SimulatorError when the file is not a `prescale tune --json` document. */
export function tunedScalers(file: string, scalers: readonly string[]): TunedScalers {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new SimulatorError('InvalidConfig', '--tuned', file, `cannot read a tune result: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
  if (!isRecord(doc) || !Array.isArray(doc.scalers)) throw new SimulatorError('InvalidConfig', '--tuned', file, 'is not the --json output of prescale tune (no "scalers" list)');
  const out = [...scalers];
  const settings: Record<string, ScalerOverride> = {};
  for (const entry of doc.scalers) {
    if (!isRecord(entry) || typeof entry.scaler !== 'string') throw new SimulatorError('InvalidConfig', '--tuned', file, 'every entry of "scalers" needs a "scaler" name');
    if (entry.best === null) continue;
    if (!isRecord(entry.best) || !isRecord(entry.best.config)) throw new SimulatorError('InvalidConfig', '--tuned', file, `${entry.scaler}: "best" needs a "config" (a core scaler spec)`);
    const name = `${entry.scaler}:tuned`;
    // createScaler validates the spec when the simulation builds it, naming this scaler.
    settings[name] = { spec: entry.best.config as unknown as NonNullable<ScalerOverride['spec']> };
    const at = out.indexOf(entry.scaler);
    const oracle = out.indexOf('oracle');
    out.splice(at >= 0 ? at + 1 : oracle >= 0 ? oracle : out.length, 0, name);
  }
  if (Object.keys(settings).length === 0) throw new SimulatorError('InvalidConfig', '--tuned', file, 'has no tuned configuration (every "best" is null)');
  return { scalers: out, settings };
}
