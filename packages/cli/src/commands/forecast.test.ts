import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { program } from '../program.js';
import { runCli } from '../run.js';

const servegen = join(process.env.PRESCALE_SHARED!, 'data/servegen_m_small/arrivals_10min.csv');

async function run(args: string[]): Promise<string> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    await program().exitOverride().parseAsync(['node', 'prescale', ...args]);
  } finally {
    spy.mockRestore();
  }
  return lines.join('\n');
}

describe('prescale forecast and backtest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-forecast-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('forecast prints one row per bin up to the horizon, with the history state', async () => {
    const out = await run(['forecast', '--input', servegen, '--horizon', '30m', '--json', join(dir, 'f.json')]);
    expect(out).toMatch(/history WeeklyPattern\(have=14\.0d\)/);
    const rows = out.split('\n').filter((l) => /^1970-01-15T00:[0-2]0:00\+08:00,/.test(l));
    expect(rows).toHaveLength(3);
    expect(JSON.parse(readFileSync(join(dir, 'f.json'), 'utf8')).points).toHaveLength(3);
  });

  it('backtest writes one CSV row per forecast and a table with every model', async () => {
    const out = await run(['backtest', '--input', servegen, '--horizon', '10m', '--warmup', '12d', '--models', 'auto,persistence', '--out', join(dir, 'b.csv')]);
    expect(out).toMatch(/\| auto \| \d+ \|/);
    expect(out).toMatch(/\| persistence \| \d+ \| [\d.]+ \| 1\.000 \|/);
    const csv = readFileSync(join(dir, 'b.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('issued_iso,target_iso,model,actual,p50,p90');
    expect(csv[1]).toMatch(/^1970-01-13T00:00:00\+08:00,1970-01-13T00:00:00\+08:00,(auto|persistence),\d+,[\d.]+,[\d.]+$/);
    expect(csv.length - 1).toBeGreaterThan(500);
  });

  it('backtest on a trace shorter than its warm-up says why about the file and exits 2 (an input error), with no table of zeros', async () => {
    const deepseek = join(process.env.PRESCALE_SHARED!, 'data/servegen_deepseek_r1/arrivals_10min.csv');
    /** The exit code, stdout and stderr of `prescale args…`. */
    async function cli(args: string[]) {
      const out: string[] = [];
      const err: string[] = [];
      const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
      try {
        const code = await runCli(['node', 'prescale', ...args], (text) => void err.push(text));
        return { code, out: out.join('\n'), err: err.join('') };
      } finally {
        spy.mockRestore();
        process.exitCode = undefined;
      }
    }
    for (const [warmup, why] of [
      ['14d', /nothing to backtest: the trace is 1d long \(144 bins of 10m\), shorter than the --warmup of 14d plus the 10m horizon/],
      ['12h', /no forecast could be scored: the trace is 1d long .* with a --warmup of 12h/],
    ] as const) {
      const ran = await cli(['backtest', '--input', deepseek, '--horizon', '10m', '--warmup', warmup]);
      expect(ran.code).toBe(2);
      expect(ran.out).toBe('');
      expect(ran.err.startsWith(`prescale: ${deepseek}: `)).toBe(true);
      expect(ran.err).toMatch(why);
    }
    const ran = await cli(['backtest', '--input', servegen, '--horizon', '10m', '--warmup', '14d', '--models', 'persistence']);
    expect(ran.code).toBe(2);
    expect(ran.err).toMatch(/the trace is 2w long .* Give a --warmup of at most 1w6d23h50m\./);
  });

  it('--time-zone reads the weekly pattern on the zone\u2019s wall clock across a DST change; an unknown zone is a usage error', async () => {
    // Hourly counts that follow Berlin's wall clock (a Monday 09:00 peak), over the EU spring change of 2025-03-30.
    const start = Date.UTC(2025, 1, 24);
    const berlin = (u: number) => new Date(u + (u >= Date.UTC(2025, 2, 30, 1) ? 2 : 1) * 3_600_000);
    const rows = Array.from({ length: 6 * 168 }, (_, i) => {
      const wall = berlin(start + i * 3_600_000);
      return `${new Date(start + i * 3_600_000).toISOString()},${wall.getUTCDay() === 1 && wall.getUTCHours() === 9 ? 900 : 100 + (i % 7)}`;
    });
    const trace = join(dir, 'berlin.csv');
    writeFileSync(trace, `t_start_iso,requests\n${rows.join('\n')}\n`);
    const peak = async (zone: string[]) => {
      const out = await run(['forecast', '--input', trace, '--bin', '1h', '--model', 'seasonal-naive-weekly', '--at', '2025-03-31T05:00:00Z', '--horizon', '5h', ...zone]);
      const points = out.split('\n').filter((l) => /^2025-03-31T/.test(l)).map((l) => l.split(','));
      return points.reduce((a, p) => (Number(p[4]) > Number(a[4]) ? p : a))[0];
    };
    expect(await peak(['--time-zone', 'Europe/Berlin'])).toBe('2025-03-31T07:00:00+00:00');
    expect(await peak([])).toBe('2025-03-31T08:00:00+00:00');
    await expect(run(['forecast', '--input', trace, '--bin', '1h', '--time-zone', 'Europe/Atlantis'])).rejects.toThrowError(/--time-zone.*not an IANA time zone/);
  });

  it('a count that is not plausible demand is a gap, with a warning naming the file and the first row', async () => {
    const odd = join(dir, 'odd.csv');
    const rows = Array.from({ length: 3 * 144 }, (_, i) => `${new Date(Date.UTC(2020, 0, 1) + i * 600_000).toISOString()},${i === 200 ? -4 : i === 300 ? 1e300 : 100 + (i % 144)}`);
    writeFileSync(odd, `t_start_iso,requests\n${rows.join('\n')}\n`);
    const warnings: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void warnings.push(a.join(' ')));
    try {
      await run(['forecast', '--input', odd, '--model', 'persistence']);
    } finally {
      spy.mockRestore();
    }
    expect(warnings).toContainEqual(expect.stringMatching(/odd\.csv: 2 count\(s\) are not plausible demand .* read as gaps; the first on line 202/));
  });

  it('bad input: one clear error naming the file and row', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 't_start_iso,requests\n2020-01-01T00:00:00Z,1\n2020-01-01T00:10:00Z,lots\n');
    await expect(run(['backtest', '--input', bad, '--horizon', '10m'])).rejects.toThrowError(/bad\.csv line 3 .*number/);
    await expect(run(['backtest', '--input', servegen, '--horizon', '15m'])).rejects.toThrowError(/horizonMs/);
    await expect(run(['forecast', '--input', servegen, '--bin', '5m'])).rejects.toThrowError(/not a whole multiple/);
    await expect(run(['forecast', '--input', servegen, '--horizon', '30min'])).rejects.toThrowError(/--horizon must be a duration such as .* \(got "30min"\)/);
    await expect(run(['backtest', '--input', servegen, '--horizon', '10m', '--models', 'prophet'])).rejects.toThrowError(/"prophet"/);
  });
});
