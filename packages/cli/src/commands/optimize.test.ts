/**
 * `prescale optimize` end to end: profiles and a trace written to files, solved with
 * HiGHS through the command. The instance is reference optimizer.md §3's worked example
 * (3 GPU types × 4 buckets at Mélange's prices), laid out as a request trace whose
 * window gives exactly its demand, so the expected figures are the reference's.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { program } from '../program.js';

const run = (...args: string[]) => program().exitOverride().parseAsync(['node', 'prescale', ...args]);

/** reference optimizer.md §3: buckets (in ≤256 | ≤2048) × (out ≤64 | ≤512), tputs per type, demand req/s. */
const INDEXES = [[64, 512], [256, 2048]];
const TYPES = [
  { gpu: 'L4', cost: 0.7, tputs: [[3.0, 0.8], [0.6, 0.15]] },
  { gpu: 'A10G', cost: 1.01, tputs: [[4.5, 1.4], [1.0, 0.3]] },
  { gpu: 'A100', cost: 3.67, tputs: [[12, 5.0], [3.6, 1.6]] },
];
/** (input, output, requests in 10 s): 2.0, 1.0, 0.5 and 1.5 req/s. */
const CELLS: Array<[number, number, number]> = [[256, 64, 20], [2048, 64, 10], [256, 512, 5], [2048, 512, 15]];

function files(): { dir: string; profiles: string; trace: string } {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-optimize-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const paths = TYPES.map((t) => {
    const path = join(dir, `${t.gpu}.json`);
    writeFileSync(path, JSON.stringify({ ...t, indexes: INDEXES }));
    return path;
  });
  const rows = CELLS.flatMap(([input, output, n]) => Array.from({ length: n }, () => [input, output] as const));
  // Spread over [0, 10) s in a fixed interleaving; the load shape ignores the order within the window.
  const lines = rows.map(([input, output], k) => `${((k * 10) / rows.length).toFixed(3)},${input},${output}`);
  const trace = join(dir, 'trace.csv');
  writeFileSync(trace, `t_offset_s,input_tokens,output_tokens\n${lines.join('\n')}\n`);
  return { dir, profiles: paths.join(','), trace };
}

async function quietly(args: string[]): Promise<string> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  try {
    await run(...args);
  } finally {
    log.mockRestore();
  }
  return lines.join('\n');
}

describe('prescale optimize', () => {
  it("finds the reference's optimum, 1 L4 + 1 A10G + 1 A100 = $5.38/h, and sets it beside each single type", async () => {
    const f = files();
    const json = join(f.dir, 'out.json');
    const text = await quietly(['optimize', '--profiles', f.profiles, '--trace', f.trace, '--window', '10s', '--json', json]);
    expect(text).toMatch(/50 requests in \[0 s, 10 s\) = 5\.000 req\/s over 4 buckets/);
    expect(text).toMatch(/1 L4 \+ 1 A10G \+ 1 A100 = \$5\.38\/h for 5\.00 req\/s \(Optimal\)/);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.decision.replicas).toEqual({ L4: 1, A10G: 1, A100: 1 });
    // The reference's single-type fleets: L4 13 ($9.10), A10G 7 ($7.07), A100 2 ($7.34).
    const single = Object.fromEntries(out.singleTypes.map((s: { gpu: string; replicas: number; costPerHour: number }) => [s.gpu, [s.replicas, s.costPerHour]]));
    expect(single.L4[0]).toBe(13);
    expect(single.A10G[0]).toBe(7);
    expect(single.A100[0]).toBe(2);
    expect(single.L4[1]).toBeCloseTo(9.1, 9);
    expect(text).toMatch(/the mix costs 0\.761 × the cheapest single type that covers the demand \(7 A10G, \$7\.07\/h\)/);
  }, 120_000);

  it("with Mélange's slices (S = 2) and a price override, the options reach the program", async () => {
    const f = files();
    // reference §3: with S = 1 or 2 the optimum is 2 A10G + 1 A100.
    expect(await quietly(['optimize', '--profiles', f.profiles, '--trace', f.trace, '--window', '10s', '--slices', '2'])).toMatch(/2 A10G \+ 1 A100 = \$5\.69\/h/);
    // The price override reaches the program (case-insensitive name); the maximum keeps A100 out of the mix.
    const json = join(f.dir, 'dear.json');
    await quietly(['optimize', '--profiles', f.profiles, '--trace', f.trace, '--window', '10s', '--gpu-cost', 'a100=10', '--max-replicas', 'A100=0', '--json', json]);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.decision.types.find((t: { name: string }) => t.name === 'A100')).toMatchObject({ costPerHour: 10, replicas: 0, maxReplicas: 0 });
    expect(out.singleTypes.find((s: { gpu: string }) => s.gpu === 'A100')).toMatchObject({ replicas: 0, status: 'PartiallyCovered' });
    expect(out.decision.uncoveredRps).toBe(0);
  }, 120_000);

  it('half the window at twice the scale is the same demand', async () => {
    const f = files();
    const whole = await quietly(['optimize', '--profiles', f.profiles, '--trace', f.trace, '--window', '10s']);
    const line = (t: string) => t.split('\n').find((l) => l.includes('$/h') === false && /= \$/.test(l));
    const scaled = await quietly(['optimize', '--profiles', f.profiles, '--trace', f.trace, '--window', '20s', '--scale', '2']);
    expect(line(scaled)).toBe(line(whole));
  }, 120_000);

  it('refuses an unknown type, a bad list, an empty window and a bad scale, naming the flag', async () => {
    const f = files();
    const base = ['optimize', '--profiles', f.profiles, '--trace', f.trace];
    await expect(run(...base, '--gpu-cost', 'H100=2')).rejects.toThrow(/--gpu-cost: "H100" is not a GPU type of the profiles \(L4, A10G, A100\)/);
    await expect(run(...base, '--max-replicas', 'L4')).rejects.toThrow(/--max-replicas: must be NAME=NUMBER/);
    await expect(run(...base, '--max-replicas', 'L4=x')).rejects.toThrow(/--max-replicas L4: must be a number/);
    await expect(run(...base, '--from', '1h')).rejects.toThrow(/trace\.csv: no request falls in/);
    await expect(run(...base, '--scale', '0')).rejects.toThrow(/--scale: must be a positive number/);
    await expect(run(...base, '--min-replicas', 'L4=3', '--max-replicas', 'L4=2')).rejects.toThrow(/bounds\.L4\.min/);
  }, 120_000);
});
