/**
 * `prescale simulate --models N`: the flags the issue fixes and the `--json` shape a
 * check outside the repository reads (`{"models": {"count": N, "policies": [{"policy",
 * "gpuHours", "sloAttainment", "coldWaitShare"}]}}`), on a two-day slice of a public trace.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { program } from '../program.js';

const run = (...args: string[]) => program().exitOverride().parseAsync(['node', 'prescale', ...args]);
const NASA = join(process.env.PRESCALE_SHARED!, 'data/nasa_http_1995/arrivals_1min.csv');

describe('prescale simulate --models', () => {
  it('writes the documented --json shape and the report with exactly the issue’s flags', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prescale-models-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    // Two days of NASA's traffic (a real slice, tiled by the recipe to warm-up + a week).
    const slice = join(dir, 'nasa-2d.csv');
    writeFileSync(slice, `${readFileSync(NASA, 'utf8').split('\n').slice(0, 1 + 2 * 1440).join('\n')}\n`);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    let printed = '';
    try {
      await run('simulate', '--models', '2', '--models-from', slice, '--warmup', '1d', '--cold-start', '6m', '--seed', '4', '--json', join(dir, 'out.json'), '--report', dir);
      printed = log.mock.calls.map((c) => String(c[0])).join('\n');
    } finally {
      log.mockRestore();
    }
    const json = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    expect(json.models.count).toBe(2);
    expect(json.models.policies.map((p: { policy: string }) => p.policy)).toEqual(['min1', 'zero', 'zero+pool', 'zero-predictive', 'zero-predictive+pool']);
    for (const p of json.models.policies) {
      for (const field of ['gpuHours', 'sloAttainment', 'coldWaitShare']) expect(typeof p[field], `${p.policy}.${field}`).toBe('number');
      expect(p.sloAttainment).toBeLessThanOrEqual(1);
      expect(p.coldWaitShare).toBeGreaterThanOrEqual(0);
    }
    expect(json.models.warmupSeconds).toBe(86_400);
    expect(json.models.coldStart.nominalSeconds).toBeCloseTo(360, 6);
    expect(printed).toMatch(/^policy +GPU-hours +vs min1/m);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<table id="summary">');
  }, 300_000);

  it('refuses the simulate flags that do not apply, and --models-from without --models', async () => {
    await expect(run('simulate', '--models', '3', '--scalers', 'kpa', '--no-report')).rejects.toThrow(/--scalers: does not apply with --models/);
    await expect(run('simulate', '--models', '0', '--no-report')).rejects.toThrow(/--models: must be a whole number of models ≥ 1/);
    await expect(run('simulate', '--models-from', 'a.csv', '--no-report')).rejects.toThrow(/--models-from: applies only with --models/);
  });
});
