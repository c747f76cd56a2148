/**
 * The docs' commands run as written (issue 17, item 12). Every fenced block marked
 * runnable (```sh runnable) in the README, docs/ and the packages' READMEs runs in a
 * fresh shell (`bash -euo pipefail`: an unset variable such as $PRESCALE_SHARED fails
 * too) from a fresh working directory laid out as the README assumes: the repository's
 * files (linked, so files the commands write stay out of the checkout) with the shared
 * folder beside it at ../shared, and no PRESCALE_SHARED. The commands run the built CLI
 * (`pnpm build` first, as `pnpm test` does). Only cheap commands are marked (seconds
 * each); the multi-minute simulations are not.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run } from './command.js';

/** The Markdown files users read. */
function markdownFiles(): string[] {
  const inDir = (dir: string) => (existsSync(join(ROOT, dir)) ? readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.md')).map((f) => join(ROOT, dir, f)) : []);
  return [
    join(ROOT, 'README.md'),
    ...inDir('docs'),
    ...readdirSync(join(ROOT, 'packages')).map((p) => join(ROOT, 'packages', p, 'README.md')),
    ...readdirSync(join(ROOT, 'examples')).map((e) => join(ROOT, 'examples', e, 'README.md')),
  ].filter((f) => existsSync(f));
}

interface Block {
  where: string;
  script: string;
}

/** The fenced blocks whose info string is `sh runnable` (or `bash runnable`), with their file and line. */
function runnableBlocks(file: string, text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(sh|bash)\s+runnable\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !lines[end]!.startsWith('```')) end++;
    blocks.push({ where: `${relative(ROOT, file)}:${start}`, script: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

const blocks = markdownFiles().flatMap((file) => runnableBlocks(file, readFileSync(file, 'utf8')));
const place = mkdtempSync(join(tmpdir(), 'prescale-docs-'));
const checkout = join(place, 'prescale');

beforeAll(() => {
  mkdirSync(checkout);
  for (const entry of readdirSync(ROOT)) if (entry !== '.git') symlinkSync(join(ROOT, entry), join(checkout, entry));
  symlinkSync(process.env.PRESCALE_SHARED!, join(place, 'shared'));
});
afterAll(() => rmSync(place, { recursive: true, force: true }));

describe('the docs’ runnable commands', () => {
  it('are marked in the README and the docs', () => {
    expect(blocks.map((b) => b.where.split(':')[0])).toEqual(expect.arrayContaining(['README.md', 'docs/forecasting.md', 'docs/operator.md', 'docs/simulations.md']));
  });

  it.each(blocks.map((b) => [b.where, b] as const))('%s runs as written', (_, block) => {
    expect(existsSync(join(ROOT, 'packages/cli/dist/main.js')), 'the CLI is not built: run pnpm build first').toBe(true);
    const env = { ...process.env };
    delete env.PRESCALE_SHARED;
    const ran = run('bash', ['-euo', 'pipefail', '-c', block.script], { cwd: checkout, env, timeoutMs: 300_000 });
    expect(ran.status, `${block.script}\n${ran.stderr}`).toBe(0);
  }, 300_000);
});
