/**
 * The operator image, built as far as a machine without a Docker engine allows: the
 * build context is what .dockerignore lets through (Docker's rules: patterns matched
 * against each path and its parents, the last match wins, `!` lets back in), copied to
 * a folder of its own, and examples/operator/Dockerfile's build steps run there (a
 * frozen install, the build, `pnpm deploy --prod`); what the image would run,
 * `node bin/prescale.js operator`, then answers `--help` and prints the CRD.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { REPO } from './support/testEnv.js';

const run = promisify(execFile);

interface Rule {
  negate: boolean;
  pattern: RegExp;
}

function compile(line: string): Rule {
  const negate = line.startsWith('!');
  const glob = (negate ? line.slice(1) : line).replace(/^\/+|\/+$/g, '');
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
      if (glob[i] === '/') re += '/?';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return { negate, pattern: new RegExp(`^${re}$`) };
}

function rules(): Rule[] {
  return readFileSync(join(REPO, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map(compile);
}

/** Docker's decision for one path: excluded when the last rule matching it or a parent excludes it. */
function excluded(path: string, list: readonly Rule[]): boolean {
  const parts = path.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let out = false;
  for (const r of list) if (prefixes.some((p) => r.pattern.test(p))) out = !r.negate;
  return out;
}

/** The files of the build context and their total size. */
function context(): { files: string[]; bytes: number } {
  const list = rules();
  // node_modules and .git are large: skipped whole once excluded, which is sound while
  // no `!` rule names anything inside them.
  expect(list.filter((r) => r.negate && /node_modules|\\\.git/.test(r.pattern.source))).toEqual([]);
  const files: string[] = [];
  let bytes = 0;
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(REPO, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if ((entry.name === '.git' || entry.name === 'node_modules') && excluded(path, list)) continue;
        walk(path);
      } else if (!excluded(path, list)) {
        files.push(path);
        bytes += statSync(join(REPO, path)).size;
      }
    }
  };
  walk('');
  return { files, bytes };
}

const work = mkdtempSync(join(tmpdir(), 'prescale-image-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the operator image', () => {
  test('the build context is the workspace\u2019s sources and manifests only: no node_modules, no .git, under 5 MB', () => {
    const { files, bytes } = context();
    expect(files).toEqual(expect.arrayContaining(['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'packages/cli/bin/prescale.js', 'packages/kubernetes/src/index.ts']));
    expect(files.filter((f) => /(^|\/)(node_modules|\.git|dist)\//.test(f) || f.endsWith('.test.ts'))).toEqual([]);
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
    console.log(`build context: ${files.length} files, ${(bytes / 1024).toFixed(0)} KiB`);
  });

  test('the Dockerfile\u2019s steps on that context give a `pnpm deploy` folder whose prescale runs `operator --help`', async () => {
    const dockerfile = readFileSync(join(REPO, 'examples/operator/Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/pnpm install --frozen-lockfile/);
    expect(dockerfile).toMatch(/pnpm --filter @prescale\/cli deploy --legacy --prod \/out/);
    const src = join(work, 'src');
    for (const f of context().files) {
      mkdirSync(dirname(join(src, f)), { recursive: true });
      cpSync(join(REPO, f), join(src, f));
    }
    const pnpm = (args: string[]) => run('pnpm', args, { cwd: src, env: { ...process.env, CI: 'true' }, maxBuffer: 64 << 20 });
    // The same steps as the Dockerfile's build stage (the store this machine already has
    // stands in for the registry).
    await pnpm(['install', '--frozen-lockfile', '--prefer-offline']);
    await pnpm(['build']);
    const out = join(work, 'out');
    await pnpm(['--filter', '@prescale/cli', 'deploy', '--legacy', '--prod', out]);
    const help = await run(process.execPath, [join(out, 'bin/prescale.js'), 'operator', '--help'], { cwd: work });
    expect(help.stdout).toMatch(/--leader-elect/);
    expect(help.stdout).toMatch(/--print-crd/);
    const crd = await run(process.execPath, [join(out, 'bin/prescale.js'), 'operator', '--print-crd'], { cwd: work });
    expect(crd.stdout).toBe(readFileSync(join(REPO, 'examples/operator/crd.yaml'), 'utf8'));
    // --prod: no development dependency in the image.
    expect(readdirSync(join(out, 'node_modules'))).not.toContain('vitest');
  }, 900_000);
});
