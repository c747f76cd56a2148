/**
 * Every PodAutoscaler in AIBrix's own samples at HEAD e3e10f9 (the fixtures, with their
 * paths, commit and licence in fixtures/aibrix-e3e10f9/NOTICE.md) converts complete and
 * valid: nothing lost, and the result passes prescale's validation. 20 files, 21 objects.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { validateSpec } from '../crd/validateSpec.js';
import { parseYamlDocuments } from '../yaml.js';
import { convertAibrix, isComplete } from './aibrix.js';

const ROOT = fileURLToPath(new URL('./fixtures/aibrix-e3e10f9/', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? yamlFiles(path) : name.endsWith('.yaml') ? [path] : [];
  });
}

const files = yamlFiles(ROOT).map((f) => relative(ROOT, f)).sort();
const objects = files.flatMap((file) =>
  parseYamlDocuments(readFileSync(join(ROOT, file), 'utf8'))
    .filter((d) => (d as { kind?: string })?.kind === 'PodAutoscaler')
    .map((d) => [`${file} ${String((d as { metadata?: { name?: string } }).metadata?.name)}`, d] as const),
);

describe('AIBrix HEAD samples', () => {
  test('are the 20 files and 21 PodAutoscalers the target names', () => {
    expect(files).toHaveLength(20);
    expect(objects).toHaveLength(21);
  });

  test.each(objects)('%s converts complete and valid', (_name, doc) => {
    const c = convertAibrix(doc);
    expect(c.lost).toEqual([]);
    expect(c.valid).toBe(true);
    expect(isComplete(c)).toBe(true);
    const checked = validateSpec((c.manifest as { spec: unknown }).spec);
    expect(checked.ok ? null : checked.error).toBeNull();
  });
});
