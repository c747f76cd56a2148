import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { program } from '../program.js';

const run = (...args: string[]) => program().exitOverride().parseAsync(['node', 'prescale', ...args]);

describe('prescale simulate and profile', () => {
  it('runs a short comparison and writes the documented JSON and the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prescale-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await run('simulate', '--pattern', 'slight_fluctuation', '--warmup', '1m30s', '--duration', '10m', '--scale-rps', '2', '--cold-start', '2m', '--slo-tpot', '0.1s', '--scalers', 'kpa,oracle', '--json', join(dir, 'out.json'), '--report', dir);
    } finally {
      log.mockRestore();
    }
    const json = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    expect(json.results.map((r: { scaler: string }) => r.scaler)).toEqual(['kpa', 'oracle']);
    expect(json.config.coldStart.nominalSeconds).toBeCloseTo(120, 6);
    expect(json.config.workload).toMatchObject({ warmupSeconds: 90, durationSeconds: 600 });
    expect(json.config.slo.tpotSeconds).toBe(0.1);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<svg');
  }, 30_000);

  it('rejects an unknown scaler, pattern or GPU with the list of valid names', async () => {
    await expect(run('simulate', '--scalers', 'kpa,magic', '--no-report')).rejects.toThrow(/valid: hpa, kpa, apa, predictive, oracle, fixed:N/);
    await expect(run('simulate', '--pattern', 'zigzag', '--no-report')).rejects.toThrow(/valid: quick_rising/);
    await expect(run('simulate', '--gpu', 'TPU', '--no-report')).rejects.toThrow(/valid: V100, A10G, L4, A100-80GB, H100/);
    await expect(run('profile', '--gpu', 'TPU')).rejects.toThrow(/valid: V100, A10G, L4, A100-80GB, H100/);
  });

  it('reads every duration flag in the one grammar and names the flag it refuses', async () => {
    await expect(run('simulate', '--warmup', '90', '--no-report')).rejects.toThrow(/--warmup must be a duration such as 250ms, 90s, 5m, 1h30m, 14d or 2w \(got "90"\)/);
    await expect(run('simulate', '--scrape-lag', '5 s', '--no-report')).rejects.toThrow(/--scrape-lag must be a duration/);
    await expect(run('profile', '--slo-ttft', '2sec')).rejects.toThrow(/--slo-ttft must be a duration/);
  });
});
