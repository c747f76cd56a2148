import { createScaler } from '@prescale/core';
import { describe, expect, it } from 'vitest';
import { GPU_PROFILES } from '../gpu/gpuProfile.js';
import { fixedRunOptions } from './fixedRun.js';
import { PoissonArrivals } from '../workload/arrivals.js';
import { builtInLengths } from '../workload/lengths.js';
import type { RunOptions } from './runOptions.js';
import { runSimulation } from './simulation.js';

const gpu = GPU_PROFILES['A100-80GB']!;

function fixedRun(replicas: number, rps: number, seconds: number, seed = 1, extra: Partial<RunOptions> = {}) {
  const arrivals = new PoissonArrivals(rps, seconds, builtInLengths(), gpu.maxModelLen, seed);
  return runSimulation({ ...fixedRunOptions({ gpu, arrivals, seconds, replicas, seed }), ...extra });
}

describe('simulation', () => {
  it.each([1, 3, 7])('a fixed run of %i replicas costs exactly N × duration', (n) => {
    const out = fixedRun(n, 2, 1800);
    expect(out.gpuSeconds).toBe(n * 1800);
    expect(out.scaleActions).toBe(0);
  });

  it("Little's law holds under steady load: requests in the system = rate × time in the system", () => {
    const rps = 8;
    const seconds = 4 * 3600;
    const out = fixedRun(2, rps, seconds);
    expect(out.completed).toBe(out.arrived);
    const inSystem = 2 * (out.meanRunning + out.meanWaiting);
    const little = (out.arrived / seconds) * (out.e2e.sum / out.e2e.count);
    expect(Math.abs(inSystem - little) / little).toBeLessThan(0.03);
  });

  it('is deterministic: the same seed gives byte-identical results, another seed does not', () => {
    const a = JSON.stringify(fixedRun(2, 5, 1200, 7));
    expect(JSON.stringify(fixedRun(2, 5, 1200, 7))).toBe(a);
    expect(JSON.stringify(fixedRun(2, 5, 1200, 8))).not.toBe(a);
  });

  it('conserves requests: every arrival completes or is dropped, and round-robin serves them too', () => {
    const out = fixedRun(3, 6, 900, 3, { router: 'round-robin' });
    expect(out.completed + out.aborted).toBe(out.arrived);
    expect(out.sloMet).toBeLessThanOrEqual(out.completed);
  });

  it('scrapes see vLLM metric names with the KV gauge named by version', () => {
    const seen: Array<Record<string, number | null>> = [];
    const inner = createScaler({ algorithm: 'fixed', replicas: 1 });
    const scaler = { ...inner, step: (s: Parameters<typeof inner.step>[0], o: Parameters<typeof inner.step>[1]) => (seen.push(o.pods[0]!.metrics), inner.step(s, o)) };
    fixedRun(1, 2, 120, 1, { controller: { kind: 'scaler', scaler }, vllmVersion: '0.9' });
    const last = seen[seen.length - 1]!;
    expect(last['vllm:kv_cache_usage_perc']).toBe(last['vllm:gpu_cache_usage_perc']);
    expect(last['vllm:kv_cache_usage_perc']).toBeGreaterThanOrEqual(0);
    expect(last['vllm:kv_cache_usage_perc']).toBeLessThanOrEqual(1);
    expect(last['vllm:request_success_total']).toBeGreaterThan(0);
  });
});
