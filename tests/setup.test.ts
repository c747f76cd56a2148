/**
 * Setup speaks, `pnpm prescale` does not: pnpm shows installs, builds and their errors
 * (issue 17, item 1), while `pnpm prescale …` prints exactly what the command prints,
 * so tools can read the last line of `pnpm prescale conformance`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, run } from './command.js';

const dir = mkdtempSync(join(tmpdir(), 'prescale-setup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One passing APA vector of the shared set, and the same vector expecting a wrong answer. */
function vectors(): { passing: string; failing: string } {
  const suite = JSON.parse(readFileSync(join(process.env.PRESCALE_SHARED!, 'conformance/aibrix-apa.json'), 'utf8')) as { cases: Array<{ expect: { desiredReplicas: number } }> };
  const one = suite.cases[0]!;
  const passing = join(dir, 'passing.json');
  const failing = join(dir, 'failing.json');
  writeFileSync(passing, JSON.stringify({ ...suite, cases: [one] }));
  writeFileSync(failing, JSON.stringify({ ...suite, cases: [{ ...one, expect: { desiredReplicas: one.expect.desiredReplicas + 1 } }] }));
  return { passing, failing };
}

describe('setup', () => {
  it('pnpm reports its errors in this repository (no configuration silences it)', () => {
    const ran = run('pnpm', ['run', 'no-such-script']);
    expect(ran.status).not.toBe(0);
    expect(ran.stdout + ran.stderr).toContain('Missing script: no-such-script');
  });

  it('`pnpm prescale` prints exactly what the command prints, and exits with its code', () => {
    const { passing, failing } = vectors();
    for (const [args, status] of [
      [['conformance', passing], 0],
      [['conformance', failing], 1],
      [['conformance', join(dir, 'missing.json')], 2],
    ] as const) {
      const direct = run('node', [join(ROOT, 'packages/cli/bin/prescale.js'), ...args]);
      const viaPnpm = run('pnpm', ['prescale', ...args]);
      expect(viaPnpm).toEqual(direct);
      // The CLI built: the exit code is the command's; not built: the bin says so (2).
      if (!direct.stderr.includes('not built')) expect(direct.status).toBe(status);
    }
  }, 120_000);
});
