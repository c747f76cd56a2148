import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatCountTrace } from '@prescale/core';
import { parseYamlDocuments, validateSpec } from '@prescale/kubernetes';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { program } from '../program.js';

const run = (...args: string[]) => program().exitOverride().parseAsync(['node', 'prescale', ...args]);

/** Three days of one-minute counts with a daily peak and a gap: two of warm-up, one to tune and validate. */
function trace(dir: string): string {
  const start = Date.UTC(2026, 0, 5);
  const values = Array.from({ length: 3 * 1440 }, (_, i): number | null => (i >= 2 * 1440 + 300 && i < 2 * 1440 + 310 ? null : Math.round(60 * (1.5 + Math.sin((2 * Math.PI * (i % 1440)) / 1440)))));
  const file = join(dir, 'trace.csv');
  writeFileSync(file, formatCountTrace({ startMs: start, binMs: 60_000, values, utcOffsetMinutes: 0 }));
  return file;
}

async function tune(dir: string, workers: number, extra: string[] = []): Promise<{ json: Record<string, unknown>; out: string }> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    await run('tune', '--trace', trace(dir), '--warmup', '2d', '--cold-start', '2m', '--scalers', 'kpa,hpa', '--budget', '2', '--seed', '5', '--workers', String(workers), '--slo-attainment', '0.95', '--json', join(dir, `out-${workers}.json`), ...extra);
  } finally {
    log.mockRestore();
  }
  return { json: JSON.parse(readFileSync(join(dir, `out-${workers}.json`), 'utf8')) as Record<string, unknown>, out: lines.join('\n') };
}

describe('prescale tune', () => {
  it('writes the documented JSON, a report and emitted manifests, and gives the same answer on one worker or a pool', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prescale-tune-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const one = await tune(dir, 1, ['--report', join(dir, 'report'), '--emit', join(dir, 'emit')]);
    const pool = await tune(dir, 2);
    const M = { gpuHours: expect.any(Number), sloAttainment: expect.any(Number) };
    expect(one.json).toMatchObject({ oracle: { tuning: M, validation: M }, scalers: [{ scaler: 'kpa' }, { scaler: 'hpa' }] });
    for (const s of one.json.scalers as Array<Record<string, unknown>>) {
      expect(s).toMatchObject({ default: { tuning: M, validation: M }, frontier: expect.any(Array) });
      if (s.best !== null) expect(s.best).toMatchObject({ config: { algorithm: s.scaler }, tuning: M, validation: M });
      for (const f of s.frontier as unknown[]) expect(f).toMatchObject({ config: expect.any(Object), tuning: M });
    }
    expect(pool.json).toEqual(one.json);
    expect(one.out).toMatch(/filled 10 empty bin/);
    expect(one.out).toMatch(/oracle .*1\.00×/);
    expect(readFileSync(join(dir, 'report', 'report.html'), 'utf8')).toMatch(/id="chart-frontier"[\s\S]*<svg/);
    for (const file of readdirSync(join(dir, 'emit')).filter((f) => f.endsWith('.yaml'))) {
      const [manifest] = parseYamlDocuments(readFileSync(join(dir, 'emit', file), 'utf8')) as Array<{ spec: unknown }>;
      expect(validateSpec(manifest!.spec)).toMatchObject({ ok: true });
    }

    // simulate --tuned replays the winners beside the defaults: over the same span, a
    // winner costs what tune measured on its two parts together.
    const tuned = (one.json.scalers as Array<{ scaler: string; best: { tuning: { gpuHours: number }; validation: { gpuHours: number } } | null }>).filter((s) => s.best !== null);
    expect(tuned.length).toBeGreaterThan(0);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await run('simulate', '--trace', trace(dir), '--warmup', '2d', '--cold-start', '2m', '--max-replicas', 'auto', '--seed', '5', '--scalers', 'kpa,hpa,oracle', '--tuned', join(dir, 'out-1.json'), '--no-report', '--json', join(dir, 'sim.json'));
    } finally {
      log.mockRestore();
    }
    const sim = JSON.parse(readFileSync(join(dir, 'sim.json'), 'utf8')) as { results: Array<{ scaler: string; gpuHours: number }> };
    expect(sim.results.map((r) => r.scaler)).toEqual(['kpa', ...(tuned.some((t) => t.scaler === 'kpa') ? ['kpa:tuned'] : []), 'hpa', ...(tuned.some((t) => t.scaler === 'hpa') ? ['hpa:tuned'] : []), 'oracle']);
    for (const t of tuned) {
      const row = sim.results.find((r) => r.scaler === `${t.scaler}:tuned`)!;
      expect(row.gpuHours).toBeCloseTo(t.best!.tuning.gpuHours + t.best!.validation.gpuHours, 6);
    }
  }, 300_000);

  it('refuses a run without a trace or Prometheus source, and unknown scalers', async () => {
    await expect(run('tune', '--budget', '1')).rejects.toThrow(/one of --trace FILE, --prometheus URL .*, or --pattern NAME/);
    await expect(run('tune', '--trace', 'x.csv', '--pattern', 'diurnal')).rejects.toThrow(/one of --trace FILE/);
    await expect(run('tune', '--trace', 'x.csv', '--scalers', 'kpa,vpa')).rejects.toThrow(/--scalers: must name scalers from: kpa, hpa, apa, predictive/);
  });
});
