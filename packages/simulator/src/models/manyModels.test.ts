/**
 * A short many-models run on slices of the public traces (issue 21, items 4 and 5):
 * every policy on the same fleet and the same requests, the documented result shape,
 * and what each policy is for: min1 never waits, the zero policies spend time at zero
 * and hold requests in the activator, a pool starts pods warm and is billed.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANY_MODELS_DEFAULTS, runManyModels } from './manyModels.js';
import { MODEL_POLICIES } from './modelPolicies.js';

const DATA = join(process.env.PRESCALE_SHARED!, 'data');

describe('runManyModels', () => {
  const result = runManyModels({
    ...MANY_MODELS_DEFAULTS,
    count: 4,
    sources: [join(DATA, 'nasa_http_1995/arrivals_1min.csv'), join(DATA, 'servegen_m_small/arrivals_10min.csv')],
    warmupSeconds: 3 * 86_400,
    durationSeconds: 86_400,
    seed: 5,
  });
  const by = Object.fromEntries(result.policies.map((p) => [p.policy, p]));

  it('runs every policy on the same requests and reports the documented fields', () => {
    expect(result.policies.map((p) => p.policy)).toEqual([...MODEL_POLICIES]);
    const arrived = result.policies[0]!.requests.arrived;
    expect(arrived).toBeGreaterThan(0);
    for (const p of result.policies) {
      expect(p.requests.arrived).toBe(arrived);
      expect(p.gpuHours).toBeGreaterThan(0);
      expect(p.sloAttainment).toBeGreaterThanOrEqual(0);
      expect(p.sloAttainment).toBeLessThanOrEqual(1);
      expect(p.coldWaitShare).toBeCloseTo(p.requests.waited / arrived, 12);
      expect(p.gpuHours).toBeCloseTo(p.podGpuHours + p.poolGpuHours, 9);
    }
    expect(result.models).toHaveLength(4);
  });

  it('never holds a request with one replica per model, and goes to zero and holds requests without', () => {
    expect(by.min1!.requests.waited).toBe(0);
    expect(by.min1!.zeroShare).toBe(0);
    expect(by.min1!.gpuHours).toBeGreaterThanOrEqual(4 * 24 - 1e-9);
    expect(by.zero!.zeroShare).toBeGreaterThan(0);
    expect(by.zero!.requests.waited).toBeGreaterThan(0);
    expect(by.zero!.wakeUps.reactive).toBeGreaterThan(0);
    expect(by.zero!.wakeUps.predicted).toBe(0);
  });

  it('bills the warm pool and starts pods on it', () => {
    expect(by['zero+pool']!.warmStarts).toBeGreaterThan(0);
    // One node per ten models, rounded up: one node all day.
    expect(by['zero+pool']!.poolGpuHours).toBeCloseTo(24, 6);
    expect(by['zero-predictive+pool']!.poolGpuHours).toBeGreaterThanOrEqual(24 - 1e-9);
    expect(result.pool.costPerHour).toBe(result.pool.gpuCostPerHour);
  });
});
