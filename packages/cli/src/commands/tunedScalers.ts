/**
 * `prescale simulate --tuned FILE`: the winners of a `prescale tune --json FILE` run as
 * extra scalers, `kpa:tuned` beside `kpa`, each running the core spec tune found as is
 * (its `best.config`), so one table shows what tuning buys over the defaults.
 */
import { readTextFile, type ScalerOverride } from '@prescale/simulator';
import { UsageError } from '../usageError.js';

export interface TunedScalers {
  /** The scaler list with `<scaler>:tuned` after each tuned scaler (or before the oracle). */
  scalers: string[];
  settings: Record<string, ScalerOverride>;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** @throws UsageError when the file is not a `prescale tune --json` document. */
export function tunedScalers(file: string, scalers: readonly string[]): TunedScalers {
  const text = readTextFile(file);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (cause) {
    throw new UsageError(file, `is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  if (!isRecord(doc) || !Array.isArray(doc.scalers)) throw new UsageError(file, 'is not the --json output of prescale tune (no "scalers" list)');
  const out = [...scalers];
  const settings: Record<string, ScalerOverride> = {};
  for (const entry of doc.scalers) {
    if (!isRecord(entry) || typeof entry.scaler !== 'string') throw new UsageError(file, 'every entry of "scalers" needs a "scaler" name');
    if (entry.best === null) continue;
    if (!isRecord(entry.best) || !isRecord(entry.best.config)) throw new UsageError(file, `${entry.scaler}: "best" needs a "config" (a core scaler spec)`);
    const name = `${entry.scaler}:tuned`;
    // createScaler validates the spec when the simulation builds it, naming this scaler.
    settings[name] = { spec: entry.best.config as unknown as NonNullable<ScalerOverride['spec']> };
    const at = out.indexOf(entry.scaler);
    const oracle = out.indexOf('oracle');
    out.splice(at >= 0 ? at + 1 : oracle >= 0 ? oracle : out.length, 0, name);
  }
  if (Object.keys(settings).length === 0) throw new UsageError(file, 'has no tuned configuration (every "best" is null)');
  return { scalers: out, settings };
}
