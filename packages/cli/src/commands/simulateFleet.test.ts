/**
 * `prescale simulate --fleet … --gpu-cost … --scalers optimizer` end to end, with HiGHS
 * and the five bench profiles (measured by `prescale profile --grid` at the default
 * SLO), and `--gpu-cost` on a single-type run: the flags an outside acceptance check uses.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { program } from '../program.js';

const run = (...args: string[]) => program().exitOverride().parseAsync(['node', 'prescale', ...args]);
const PROFILES = fileURLToPath(new URL('../../../optimizer/bench/profiles/', import.meta.url));
const profiles = readdirSync(PROFILES).filter((f) => f.endsWith('.json')).map((f) => join(PROFILES, f)).join(',');

async function quietly(...args: string[]): Promise<string> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    await run(...args);
  } finally {
    log.mockRestore();
  }
  return lines.join('\n');
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-fleet-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Result { scaler: string; gpuHours: number; costUsd: number; fleet?: { byType: Array<{ name: string; costPerHour: number; gpuSeconds: number }> } }

describe('prescale simulate --fleet', () => {
  it('runs the optimizer over five GPU types, with costUsd in every result and --gpu-cost applied', async () => {
    const dir = tempDir();
    const out = join(dir, 'fleet.json');
    const text = await quietly('simulate', '--pattern', 'slight_fluctuation', '--duration', '20m', '--scale-rps', '4', '--fleet', 'V100,A10G,L4,A100-80GB,H100', '--gpu-cost', 'H100=4.29,L4=0.8', '--scalers', 'optimizer', '--profiles', profiles, '--json', out, '--no-report');
    const json = JSON.parse(readFileSync(out, 'utf8')) as { results: Result[]; config: { types: Array<{ name: string; costPerHour: number }> } };
    expect(json.results.map((r) => r.scaler)).toEqual(['optimizer']);
    const prices = Object.fromEntries(json.config.types.map((t) => [t.name, t.costPerHour]));
    expect(prices).toEqual({ V100: 3.06, A10G: 1.01, L4: 0.8, 'A100-80GB': 3.67, H100: 4.29 });
    for (const r of json.results) {
      expect(r.costUsd).toBeGreaterThan(0);
      expect(r.costUsd).toBeCloseTo(r.fleet!.byType.reduce((s, t) => s + (t.gpuSeconds / 3600) * prices[t.name]!, 0), 9);
    }
    expect(text).toMatch(/vs oracle \(\$\)/);
  }, 120_000);

  it('--gpu-cost prices a single-type run too: costUsd = GPU-hours × the price', async () => {
    const dir = tempDir();
    const out = join(dir, 'single.json');
    await quietly('simulate', '--pattern', 'slight_fluctuation', '--duration', '10m', '--scale-rps', '2', '--gpu', 'L4', '--gpu-cost', 'L4=0.9', '--scalers', 'fixed:2,oracle', '--json', out, '--no-report');
    const json = JSON.parse(readFileSync(out, 'utf8')) as { results: Result[] };
    for (const r of json.results) expect(r.costUsd).toBeCloseTo(r.gpuHours * 0.9, 9);
  }, 120_000);

  it('refuses what does not apply: --profiles without --fleet, single-type scalers with it, an unknown type', async () => {
    await expect(run('simulate', '--profiles', profiles, '--no-report')).rejects.toThrow(/--profiles: applies only with --fleet/);
    await expect(run('simulate', '--fleet', 'L4,H100', '--profiles', profiles, '--scalers', 'kpa', '--no-report')).rejects.toThrow(/with --fleet, the scalers are optimizer, optimizer-predictive and oracle/);
    await expect(run('simulate', '--fleet', 'L4,TPU', '--no-report')).rejects.toThrow(/valid: V100, A10G, L4, A100-80GB, H100/);
    await expect(run('simulate', '--gpu-cost', 'L4=free', '--no-report')).rejects.toThrow(/--gpu-cost L4/);
  });
});
