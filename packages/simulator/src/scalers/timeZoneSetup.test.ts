import { describe, expect, it } from 'vitest';
import { loadWorkload } from '../workload/workload.js';
import { type ScalerContext, scalerSetup } from './scalerSetups.js';

const ctx: ScalerContext = {
  minReplicas: 1,
  maxReplicas: 10,
  target: 5,
  metric: 'vllm:num_requests_running',
  capacityRps: 2,
  history: null,
  startMs: Date.UTC(2025, 2, 1),
  initialReplicas: 1,
  targetUtilization: 0.8,
  leadTimeSeconds: 480,
  utcOffsetMinutes: 60,
};

describe('a workload in a time zone (--time-zone)', () => {
  it('gives the predictive scaler its weekly pattern in that zone', () => {
    const spec = scalerSetup('predictive', { ...ctx, timeZone: 'Europe/Berlin' }, undefined).spec;
    expect(spec.algorithm === 'blend' && spec.predictive.timeZone).toBe('Europe/Berlin');
    const fixed = scalerSetup('predictive', ctx, undefined).spec;
    expect(fixed.algorithm === 'blend' && fixed.predictive.timeZone).toBeUndefined();
  });

  it('refuses a zone the runtime does not know, naming the flag', () => {
    expect(() => loadWorkload({ pattern: 'diurnal', timeZone: 'Europe/Atlantis', seed: 1 })).toThrowError(/--time-zone.*IANA/);
  });
});
