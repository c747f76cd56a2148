/**
 * What a user installs (issue 17, items 2 and 3): each package's tarball, packed as
 * publishing packs it, holds only what users run (dist/, the CLI's bin/ and worker/, README,
 * LICENSE, NOTICE, package.json) with the repository's LICENSE and NOTICE, and its
 * manifest exports ESM with a `default` condition (so `require()` works from Node
 * 20.19) and nothing of the workspace's source condition. Type resolution of the built
 * tarballs is `pnpm lint:packages` (scripts/check-packages.mjs), after the build.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run } from './command.js';

const packages = readdirSync(join(ROOT, 'packages'));
const dir = mkdtempSync(join(tmpdir(), 'prescale-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Packed {
  filename: string;
  files: Array<{ path: string }>;
}

/** `pnpm pack --json` in the package's folder; the JSON follows the prepack script's banner. */
function pack(name: string): Packed {
  const ran = run('pnpm', ['pack', '--pack-destination', dir, '--json'], { cwd: join(ROOT, 'packages', name) });
  expect(ran.status, ran.stderr).toBe(0);
  return JSON.parse(ran.stdout.slice(ran.stdout.indexOf('\n{') + 1)) as Packed;
}

/** One file of a tarball, as text. */
function packedFile(tarball: string, path: string): string {
  const ran = run('tar', ['-xzOf', tarball, `package/${path}`]);
  expect(ran.status, ran.stderr).toBe(0);
  return ran.stdout;
}

type Exports = Record<string, string | Record<string, string>>;

describe.each(packages)('the @prescale/%s tarball', (name) => {
  let packed: Packed;
  let paths: string[];
  beforeAll(() => {
    packed = pack(name);
    paths = packed.files.map((f) => f.path);
  });

  it('holds dist/, README, LICENSE, NOTICE and package.json, and no tests, snapshots, test support or sources', () => {
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'NOTICE']));
    // The CLI also ships bin/, the worker script of `prescale tune`'s thread pool and its own conformance vectors.
    const allowed = name === 'cli' ? /^(dist|bin|worker|conformance)\// : /^dist\//;
    expect(paths.filter((p) => !allowed.test(p) && !['package.json', 'README.md', 'LICENSE', 'NOTICE'].includes(p))).toEqual([]);
    expect(paths.filter((p) => /\.test\.|\.bench\.|__snapshots__|\.snap$|testSupport|(^|\/)src\//.test(p))).toEqual([]);
  });

  it('carries the repository’s LICENSE (Apache-2.0) and NOTICE', () => {
    expect(packedFile(packed.filename, 'LICENSE')).toBe(readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
    expect(packedFile(packed.filename, 'NOTICE')).toBe(readFileSync(join(ROOT, 'NOTICE'), 'utf8'));
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toContain('Apache License\n                           Version 2.0, January 2004');
  });

  it('exports its entry points from dist/ with types and a default condition, and no source condition', () => {
    const manifest = JSON.parse(packedFile(packed.filename, 'package.json')) as { license: string; type: string; exports: Exports };
    expect(manifest.license).toBe('Apache-2.0');
    expect(manifest.type).toBe('module');
    for (const [key, target] of Object.entries(manifest.exports)) {
      if (key === './package.json') continue;
      expect(target, key).toEqual({ types: expect.stringMatching(/^\.\/dist\/.+\.d\.ts$/), default: expect.stringMatching(/^\.\/dist\/.+\.js$/) });
    }
  });
});
