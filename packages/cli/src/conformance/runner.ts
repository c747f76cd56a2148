/**
 * Runs conformance vectors through `@prescale/core`'s public API and reports each
 * failing case with what was expected and what came out.
 */
import type { Mismatch } from './compare.js';
import { runApaCase } from './apaCase.js';
import { runHpaBehaviorCase } from './hpaBehaviorCase.js';
import { runHpaReplicasCase } from './hpaReplicasCase.js';
import { runKpaCase } from './kpaCase.js';
import { runMultiMetricCase } from './multiMetricCase.js';
import { runApaPendingCase } from './pendingCase.js';
import { expandPaths, loadVectorFile, type VectorCase } from './vectors.js';
import { runWindowCase } from './windowCase.js';

/**
 * The runner's epoch: whole seconds divisible by 60 (so by 1, 2, 3, 5 and 10 s buckets),
 * in milliseconds, as FORMAT.md requires.
 */
export const CONFORMANCE_T0 = 1_699_999_980_000;

export interface CaseResult {
  file: string;
  id: string;
  kind: string;
  passed: boolean;
  mismatches: Mismatch[];
  /** Set when the case could not be run at all. */
  error?: string;
}

export interface ConformanceReport {
  passed: number;
  failed: number;
  results: CaseResult[];
}

const RUNNERS: Record<string, (c: VectorCase, t0: number) => Mismatch[]> = {
  kpa: runKpaCase,
  window: runWindowCase,
  'hpa-replicas': runHpaReplicasCase,
  'hpa-behavior': runHpaBehaviorCase,
  apa: runApaCase,
  'multi-metric': runMultiMetricCase,
  'apa-pending': runApaPendingCase,
};

export function runCase(file: string, c: VectorCase, t0 = CONFORMANCE_T0): CaseResult {
  const base = { file, id: c.id, kind: c.kind };
  const run = RUNNERS[c.kind];
  if (run === undefined) {
    return { ...base, passed: false, mismatches: [], error: `unknown kind "${c.kind}" (known: ${Object.keys(RUNNERS).join(', ')})` };
  }
  try {
    const mismatches = run(c, t0);
    return { ...base, passed: mismatches.length === 0, mismatches };
  } catch (error) {
    return { ...base, passed: false, mismatches: [], error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

export async function runConformance(paths: readonly string[]): Promise<ConformanceReport> {
  const results: CaseResult[] = [];
  for (const path of await expandPaths(paths)) {
    const file = await loadVectorFile(path);
    if ('error' in file) {
      results.push({ file: path, id: path, kind: '(file)', passed: false, mismatches: [], error: file.error });
      continue;
    }
    for (const c of file.cases) results.push(runCase(path, c));
  }
  const passed = results.filter((r) => r.passed).length;
  return { passed, failed: results.length - passed, results };
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? 'undefined';
}

/** One line per failing case: id, then each difference or the error. */
export function formatFailure(r: CaseResult): string {
  const detail = r.error ?? r.mismatches.map((m) => `${m.at}: expected ${show(m.expected)}, got ${show(m.actual)}`).join('; ');
  return `FAIL ${r.id} (${r.kind}, ${r.file}): ${detail}`;
}
