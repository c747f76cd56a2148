import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseThroughputProfile } from '@prescale/core';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { program } from '../program.js';

const run = (...args: string[]) => program().exitOverride().parseAsync(['node', 'prescale', ...args]);

describe('prescale profile --grid', () => {
  it('prints the grid and writes a throughput profile the optimizer reads, priced at the GPU’s default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prescale-grid-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    try {
      await run('profile', '--gpu', 'L4', '--grid', '--input-ticks', '64,512', '--output-ticks', '32', '--trial-requests', '100', '--percentile', '90', '--slo-e2e', '20s', '--json', join(dir, 'l4.json'));
    } finally {
      log.mockRestore();
    }
    const profile = parseThroughputProfile(JSON.parse(readFileSync(join(dir, 'l4.json'), 'utf8')), 'l4.json');
    expect(profile).toMatchObject({ gpu: 'L4', cost: 0.7, indexes: [[32], [64, 512]], slos: { percentile: 90, ttft: 2, tpot: 0.1, e2e: 20 } });
    expect(typeof profile.created).toBe('number');
    expect(lines.join('\n')).toMatch(/SLO: TTFT < 2 s, TPOT < 100 ms, E2E < 20 s at p90/);
    expect(lines.some((l) => /^\s+32\s+\d/.test(l))).toBe(true);
  }, 120_000);

  it('refuses malformed ticks, percentiles and tolerances, naming the flag', async () => {
    await expect(run('profile', '--grid', '--input-ticks', '64,32')).rejects.toThrow(/--input-ticks: must be ascending positive integers/);
    await expect(run('profile', '--grid', '--percentile', '95')).rejects.toThrow(/--percentile: must be 0 \(the mean\), 50, 90 or 99/);
    await expect(run('profile', '--grid', '--tput-tolerance', '1.5')).rejects.toThrow(/--tput-tolerance/);
    await expect(run('profile', '--grid', '--cost', '-1')).rejects.toThrow(/--cost/);
  });
});
