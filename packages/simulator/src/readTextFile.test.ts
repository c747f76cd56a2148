import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readTextFile } from './readTextFile.js';

describe('readTextFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-read-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const text = 't_start_iso,requests\n2026-01-05T00:00:00Z,3\n';

  it('reads plain text and gzip alike, whatever the file is called', () => {
    writeFileSync(join(dir, 'plain.csv.gz'), text);
    writeFileSync(join(dir, 'packed.csv'), gzipSync(text));
    expect(readTextFile(join(dir, 'plain.csv.gz'))).toBe(text);
    expect(readTextFile(join(dir, 'packed.csv'))).toBe(text);
  });

  it('names the path when the file cannot be read or decompressed', () => {
    const missing = join(dir, 'missing.csv');
    expect(() => readTextFile(missing)).toThrowError(expect.objectContaining({ code: 'InvalidTrace', field: missing, message: `${missing}: no such file or directory` }));
    const broken = join(dir, 'broken.csv.gz');
    writeFileSync(broken, gzipSync(text).subarray(0, 20));
    expect(() => readTextFile(broken)).toThrowError(expect.objectContaining({ field: broken, message: expect.stringMatching(/broken\.csv\.gz: is not a valid gzip file/) }));
  });
});
