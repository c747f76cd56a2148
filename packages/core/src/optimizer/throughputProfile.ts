/**
 * A GPU type's throughput profile (reference aibrix.md §5.1, optimizer.md §5): for each
 * (output, input) token bucket, the highest request rate one replica sustains under the
 * SLO (Mélange's `MaxTput(G, s, SLO)`), in the JSON layout AIBrix's `aibrix_gen_profile`
 * writes, so a profile from either tool reads in both:
 *
 * ```
 * { gpu, cost, tputs[output][input], indexes: [[output ticks], [input ticks]], created?, e2e?, ttft?, slos? }
 * ```
 *
 * Rows are output lengths, columns input lengths (AIBrix's `types.py` docstring has them
 * swapped; its code and the Go reader agree on this order). A tput of 0 means the GPU
 * cannot serve the bucket under the SLO. Unknown keys are ignored, as AIBrix's reader
 * does; prescale's own provenance goes under `prescale`.
 * @module
 */
import { PrescaleError } from '../errors.js';

/** How `prescale profile --grid` measured a profile (absent from AIBrix's profiles). */
export interface ProfileProvenance {
  /** The model and replica profile simulated. */
  model: string;
  /** AIBrix's `TPUT_TOLERANCE`: the rate kept is the highest whose throughput is at least this share of it. */
  tputTolerance: number;
  /** Requests per trial of the fine search. */
  trialRequests: number;
  seed: number;
  /** Token lengths actually simulated per cell when a tick pair exceeds the context ([output][input]: [input, output]). */
  simulatedLengths?: Array<Array<[number, number]>>;
  /** Simulations run to build the grid. */
  trials?: number;
}

export interface ThroughputProfile {
  /** The GPU type (AIBrix: the deployment name). */
  gpu: string;
  /** US dollars per replica-hour (AIBrix's default is 1.0). */
  cost: number;
  /** Max requests per second one replica sustains under the SLO, `[output tick][input tick]`; 0 = cannot serve. */
  tputs: number[][];
  /** `[output ticks, input ticks]`, tokens, strictly ascending. */
  indexes: [number[], number[]];
  /** Unix seconds. */
  created?: number;
  /** Mean end-to-end latency at the chosen rate, seconds, `[output][input]`. */
  e2e?: number[][];
  /** Time to first token at the chosen rate, seconds, `[output][input]`. */
  ttft?: number[][];
  /** The SLO: `{ percentile, e2e?, ttft?, tpot?, … }` (percentile 0 = mean). */
  slos?: Record<string, number>;
  prescale?: ProfileProvenance;
}

/** The token grid a profile (and a demand mix) is defined on. */
export interface TokenGrid {
  /** Input-token ticks, ascending (the columns). */
  inputTicks: readonly number[];
  /** Output-token ticks, ascending (the rows). */
  outputTicks: readonly number[];
}

function fail(field: string, value: unknown, message: string): never {
  throw new PrescaleError('InvalidConfig', field, value, message);
}

function ticks(field: string, value: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0) fail(field, value, 'must be a non-empty array of token counts');
  value.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(`${field}[${i}]`, v, 'must be a positive number of tokens');
    if (i > 0 && v <= (value[i - 1] as number)) fail(`${field}[${i}]`, v, 'ticks must be strictly ascending');
  });
  return value as number[];
}

function matrix(field: string, value: unknown, rows: number, cols: number): number[][] {
  if (!Array.isArray(value) || value.length !== rows) fail(field, value, `must be an array of ${rows} rows (one per output tick)`);
  return value.map((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== cols) fail(`${field}[${i}]`, row, `must be an array of ${cols} values (one per input tick)`);
    return row.map((v: unknown, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`${field}[${i}][${j}]`, v, 'must be a finite, non-negative number');
      return v;
    });
  });
}

/**
 * Reads a profile from parsed JSON (prescale's or AIBrix's). Throws a `PrescaleError`
 * (`InvalidConfig`) naming the field for anything malformed: tputs whose shape does not
 * match the ticks, a negative or non-finite number, ticks not ascending. `source` names
 * the file in the error.
 */
export function parseThroughputProfile(json: unknown, source = 'profile'): ThroughputProfile {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(source, json, 'must be a JSON object');
  const o = json as Record<string, unknown>;
  if (typeof o.gpu !== 'string' || o.gpu.trim() === '') fail(`${source}.gpu`, o.gpu, 'must be a non-empty string (the GPU type)');
  const cost = o.cost === undefined ? 1.0 : o.cost;
  if (typeof cost !== 'number' || !Number.isFinite(cost) || cost <= 0) fail(`${source}.cost`, cost, 'must be a positive number (US dollars per replica-hour)');
  if (!Array.isArray(o.indexes) || o.indexes.length !== 2) fail(`${source}.indexes`, o.indexes, 'must be [[output ticks], [input ticks]]');
  const outputTicks = ticks(`${source}.indexes[0]`, o.indexes[0]);
  const inputTicks = ticks(`${source}.indexes[1]`, o.indexes[1]);
  const profile: ThroughputProfile = {
    gpu: o.gpu,
    cost,
    tputs: matrix(`${source}.tputs`, o.tputs, outputTicks.length, inputTicks.length),
    indexes: [[...outputTicks], [...inputTicks]],
  };
  if (o.created !== undefined) {
    if (typeof o.created !== 'number' || !Number.isFinite(o.created)) fail(`${source}.created`, o.created, 'must be a number of Unix seconds');
    profile.created = o.created;
  }
  if (o.e2e !== undefined) profile.e2e = matrix(`${source}.e2e`, o.e2e, outputTicks.length, inputTicks.length);
  if (o.ttft !== undefined) profile.ttft = matrix(`${source}.ttft`, o.ttft, outputTicks.length, inputTicks.length);
  if (o.slos !== undefined) {
    if (typeof o.slos !== 'object' || o.slos === null || Array.isArray(o.slos)) fail(`${source}.slos`, o.slos, 'must be an object');
    const slos: Record<string, number> = {};
    for (const [k, v] of Object.entries(o.slos)) {
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${source}.slos.${k}`, v, 'must be a number');
      slos[k] = v;
    }
    profile.slos = slos;
  }
  if (isProvenance(o.prescale)) profile.prescale = o.prescale;
  return profile;
}

/** prescale's provenance block, if well formed (it is informative only: a malformed one is dropped). */
function isProvenance(v: unknown): v is ProfileProvenance {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  return (
    typeof p.model === 'string' &&
    typeof p.tputTolerance === 'number' &&
    typeof p.trialRequests === 'number' &&
    typeof p.seed === 'number' &&
    (p.simulatedLengths === undefined || Array.isArray(p.simulatedLengths)) &&
    (p.trials === undefined || typeof p.trials === 'number')
  );
}

/** The grid of a profile. */
export function profileGrid(p: ThroughputProfile): TokenGrid {
  return { inputTicks: p.indexes[1], outputTicks: p.indexes[0] };
}

/** True when two grids have the same ticks. */
export function sameGrid(a: TokenGrid, b: TokenGrid): boolean {
  const eq = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return eq(a.inputTicks, b.inputTicks) && eq(a.outputTicks, b.outputTicks);
}
