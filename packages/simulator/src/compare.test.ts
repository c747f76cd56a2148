import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { comparisonJson, runComparison, servingReplicas } from './compare.js';
import { gpuProfile } from './gpu/gpuProfile.js';
import { reportHtml } from './report/html.js';
import { loadWorkload } from './workload/workload.js';

const dir = mkdtempSync(join(tmpdir(), 'prescale-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const quick = { capacityRps: 1, target: 7, workload: { pattern: 'severe_fluctuation', durationSeconds: 600, scaleRps: 3 } };

describe('bad input', () => {
  it('a malformed count-trace row names the file and line', () => {
    const path = file('bad.csv', 't_start_iso,requests\n2026-01-05T00:00:00Z,3\n2026-01-05T00:01:00Z,lots\n');
    expect(() => loadWorkload({ trace: path, seed: 1 })).toThrowError(/bad\.csv line 3/);
  });
  it('a malformed request-trace row names the file and line', () => {
    const path = file('req.csv', 't_offset_s,input_tokens,output_tokens\n0.5,10,20\n1.0,ten,20\n');
    expect(() => loadWorkload({ trace: path, seed: 1 })).toThrowError(/req\.csv line 3.*positive integers/);
    const unsorted = file('unsorted.csv', 't_offset_s,input_tokens,output_tokens\n2,10,20\n1,10,20\n');
    expect(() => loadWorkload({ trace: unsorted, seed: 1 })).toThrowError(/unsorted\.csv line 3.*time order/);
  });
  it('unknown names list the valid ones', () => {
    expect(() => runComparison({ ...quick, scalers: ['kpa', 'magic'] })).toThrowError(/valid: hpa, kpa, apa, predictive, oracle, fixed:N/);
    expect(() => loadWorkload({ pattern: 'zigzag', seed: 1 })).toThrowError(/valid: quick_rising, slow_rising, slight_fluctuation, severe_fluctuation, diurnal/);
    expect(() => gpuProfile('TPU')).toThrowError(/valid: V100, A10G, L4, A100-80GB, H100/);
  });
  it('a configuration that can never meet the SLO says so plainly, and the run still ends', () => {
    const c = runComparison({ ...quick, maxReplicas: 1, scalers: ['kpa', 'oracle'] });
    expect(c.warnings.join(' ')).toMatch(/needs up to \d+ replicas but --max-replicas is 1/);
    expect(c.results).toHaveLength(2);
    expect(c.results[0]!.requests.completed + c.results[0]!.requests.dropped).toBe(c.results[0]!.requests.arrived);
  });
});

describe('comparison', () => {
  it('writes the documented JSON shape, every scaler on the same requests', () => {
    const c = runComparison({ ...quick, scalers: ['hpa', 'kpa', 'apa', 'predictive', 'oracle', 'fixed:5'] });
    const json = comparisonJson(c) as { config: unknown; results: Array<Record<string, unknown>> };
    expect(json.config).toBeTypeOf('object');
    expect(json.results.map((r) => r.scaler)).toEqual(['hpa', 'kpa', 'apa', 'predictive', 'oracle', 'fixed:5']);
    for (const r of json.results) {
      expect(r).toHaveProperty('gpuHours');
      expect(r).toHaveProperty('gpuHoursVsOracle');
      expect(r).toHaveProperty('sloAttainment');
      expect(r).toHaveProperty('ttftSeconds.p50');
      expect(r).toHaveProperty('ttftSeconds.p90');
      expect(r).toHaveProperty('ttftSeconds.p99');
      expect(r).toHaveProperty('underProvisionedReplicaMinutes');
      expect(r).toHaveProperty('scaleActions');
    }
    const arrived = new Set(c.results.map((r) => r.requests.arrived));
    expect(arrived.size).toBe(1);
    expect(c.results.find((r) => r.scaler === 'oracle')!.gpuHoursVsOracle).toBe(1);
    expect(c.results.find((r) => r.scaler === 'fixed:5')!.gpuHours).toBeCloseTo((5 * 600) / 3600, 12);
  });

  it('reads a request trace and rescales it to a target rate', () => {
    const rows = Array.from({ length: 600 }, (_, i) => `${i},${100 + (i % 50)},${20 + (i % 30)}`).join('\n');
    const path = file('trace.csv', `t_offset_s,input_tokens,output_tokens\n${rows}\n`);
    const w = loadWorkload({ trace: path, scaleRps: 2.5, seed: 1 });
    expect(w.meanRps).toBeGreaterThan(2.3);
    expect(w.meanRps).toBeLessThan(2.7);
    const c = runComparison({ capacityRps: 1, target: 5, workload: { trace: path }, scalers: ['fixed:2'] });
    expect(c.results[0]!.requests.arrived).toBe(600);
  });

  it('hands the warm-up to the scalers as history and simulates only the rest', () => {
    const w = loadWorkload({ pattern: 'diurnal', warmupSeconds: 86_400, durationSeconds: 3600, seed: 1 });
    expect(w.history!.values).toHaveLength(1440);
    expect(w.durationSeconds).toBe(3600);
    expect(w.startMs).toBe(w.history!.startMs + 86_400_000);
  });

  it('an auto warm-up is 14 days of a long trace and half of a short one, in whole minutes', () => {
    const counts = (days: number) => {
      const rows = Array.from({ length: days * 1440 }, (_, i) => `${new Date(Date.UTC(2026, 0, 5) + i * 60_000).toISOString()},${1 + (i % 7)}`);
      return file(`counts-${days}d.csv`, `t_start_iso,requests\n${rows.join('\n')}\n`);
    };
    const long = loadWorkload({ trace: counts(30), warmupSeconds: 'auto', seed: 1 });
    expect(long.history!.values).toHaveLength(14 * 1440);
    expect(long.durationSeconds).toBe(16 * 86_400);
    const short = loadWorkload({ trace: counts(3), warmupSeconds: 'auto', seed: 1 });
    expect(short.history!.values).toHaveLength(2160);
    expect(short.durationSeconds).toBe(1.5 * 86_400);
    const rows = Array.from({ length: 3001 }, (_, i) => `${i * 1.2},100,20`).join('\n');
    const requests = loadWorkload({ trace: file('requests-1h.csv', `t_offset_s,input_tokens,output_tokens\n${rows}\n`), warmupSeconds: 'auto', seed: 1 });
    expect(requests.history!.values).toHaveLength(30);
    // The last request at 3600 s makes the trace 3601 s long (its last second included).
    expect(requests.durationSeconds).toBe(3601 - 1800);
  });
});

describe('the start of a run and the SLO', () => {
  // One quiet minute, then 7 requests per second for 40 minutes: at 0.8 requests/s per
  // replica the load needs 2 replicas in the first minute and 9 after it.
  const rows = Array.from({ length: 41 }, (_, i) => `${new Date(Date.UTC(2026, 0, 5, 9, i)).toISOString()},${i === 0 ? 60 : 420}`);
  const ramp = () => file('ramp.csv', `t_start_iso,requests\n${rows.join('\n')}\n`);
  const settings = { capacityRps: 0.8, target: 7, scalers: ['kpa', 'oracle'] };

  it('starts at the replicas the load needs before a pod ordered at the start could be ready, so the oracle meets the SLO', () => {
    const c = runComparison({ ...settings, workload: { trace: ramp() } });
    expect(c.initialReplicas).toBe(servingReplicas(c.arrivalsPerWindow, 60, 0.8, c.oracle.leadWindows));
    expect(c.initialReplicas).toBeGreaterThan(Math.ceil(c.arrivalsPerWindow[0]! / 48));
    const oracle = c.results.find((r) => r.scaler === 'oracle')!;
    expect(oracle.sloAttainment).toBeGreaterThanOrEqual(c.config.attainment);
    expect(c.warnings.join(' ')).not.toMatch(/even the oracle/);
  });

  it('says plainly, in the warnings and the JSON, when even the oracle misses the SLO', () => {
    const c = runComparison({ ...settings, initialReplicas: 1, workload: { trace: ramp() } });
    const oracle = c.results.find((r) => r.scaler === 'oracle')!;
    expect(oracle.sloAttainment).toBeLessThan(c.config.attainment);
    const warning = c.warnings.find((w) => /even the oracle/.test(w));
    expect(warning).toMatch(/SLO cannot be met/);
    expect(warning).toContain(`${(100 * oracle.sloAttainment).toFixed(2).replace(/\.?0+$/, '')} %`);
    expect((comparisonJson(c) as { warnings: string[] }).warnings).toContain(warning);
    expect(reportHtml(c, [])).toContain(`<p class="warning">${warning!.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')}</p>`);
  });

  it('servingReplicas is the largest need over the first lead windows', () => {
    const arrivals = Float64Array.from([60, 120, 600, 60, 6000]);
    expect(servingReplicas(arrivals, 60, 1, 1)).toBe(1);
    expect(servingReplicas(arrivals, 60, 1, 3)).toBe(10);
    expect(servingReplicas(arrivals, 60, 1, 4)).toBe(10);
    expect(servingReplicas(arrivals, 60, 1, 99)).toBe(100);
  });
});
