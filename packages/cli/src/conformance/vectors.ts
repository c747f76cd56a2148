/**
 * The conformance vector format (shared/conformance/FORMAT.md) and its loader. Files
 * are read as they are; anything the runner cannot use becomes a failed case that
 * says why, never a crash.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface VectorCase {
  id: string;
  source?: string;
  kind: string;
  [key: string]: unknown;
}

export interface VectorFile {
  path: string;
  suite: string;
  cases: VectorCase[];
}

/** A file that could not be read as vectors: it counts as one failure. */
export interface BrokenFile {
  path: string;
  error: string;
}

/** Expands directories (recursively) into their `.json` files, in sorted order. */
export async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path);
    if (info.isDirectory()) {
      const entries = (await readdir(path)).sort();
      const nested = await expandPaths(entries.map((e) => join(path, e)));
      files.push(...nested.filter((f) => f.endsWith('.json')));
    } else {
      files.push(path);
    }
  }
  return files;
}

export async function loadVectorFile(path: string): Promise<VectorFile | BrokenFile> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    return { path, error: `cannot read JSON: ${(error as Error).message}` };
  }
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { cases?: unknown }).cases)) {
    return { path, error: 'not a vector file: expected { "suite": string, "cases": [...] }' };
  }
  const { suite, cases } = data as { suite?: unknown; cases: unknown[] };
  const valid: VectorCase[] = [];
  for (const [i, c] of cases.entries()) {
    const ok = typeof c === 'object' && c !== null && typeof (c as VectorCase).kind === 'string';
    const id = ok && typeof (c as VectorCase).id === 'string' ? (c as VectorCase).id : `${path}#${i}`;
    valid.push(ok ? { ...(c as VectorCase), id } : { id, kind: '(missing kind)' });
  }
  return { path, suite: typeof suite === 'string' ? suite : path, cases: valid };
}
