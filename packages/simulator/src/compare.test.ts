import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { comparisonJson, runComparison } from './compare.js';
import { gpuProfile } from './gpu/gpuProfile.js';
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
});
