import { describe, expect, it } from 'vitest';
import { resolveBounds } from './schedules.js';
import { toOperatorScalerSpec } from './scalerSpec.js';
import { validateSpec } from './validateSpec.js';

const base = {
  scaleTargetRef: { kind: 'Deployment', name: 'llm' },
  minReplicas: 1,
  maxReplicas: 10,
  scalingStrategy: 'KPA',
  metricsSources: [{ metricSourceType: 'pod', port: 8000, targetMetric: 'vllm:num_requests_running', targetValue: '5' }],
};
const predictive = { mode: 'auto', history: { endpoint: 'http://prometheus:9090', query: 'sum(rate(vllm:request_success_total[5m]))' }, capacityPerReplica: 2 };

describe('spec.timeZone', () => {
  it('gives the forecaster its weekly pattern in the zone', () => {
    const checked = validateSpec({ ...base, timeZone: 'Europe/Berlin', predictive });
    expect(checked.ok).toBe(true);
    if (!checked.ok || checked.spec.scalingStrategy === 'Optimizer') throw new Error('expected a valid single-target spec');
    const scaler = toOperatorScalerSpec(checked.spec, { minReplicas: 1, maxReplicas: 10 }, 10);
    expect(scaler.algorithm === 'blend' && scaler.predictive.timeZone).toBe('Europe/Berlin');
  });

  it('is also the schedules\u2019 zone, daylight saving included: Monday 08:00 Berlin is 07:00 UTC in winter and 06:00 UTC in summer', () => {
    const spec = { minReplicas: 1, maxReplicas: 10, timeZone: 'Europe/Berlin', schedules: [{ name: 'work', daysOfWeek: ['mon'], startTime: '08:00', endTime: '09:00', minReplicas: 4 }] };
    expect(resolveBounds(spec, Date.parse('2026-01-05T07:00:00Z')).activeSchedule).toBe('work');
    expect(resolveBounds(spec, Date.parse('2026-07-06T06:00:00Z')).activeSchedule).toBe('work');
    expect(resolveBounds(spec, Date.parse('2026-07-06T07:00:00Z')).activeSchedule).toBeUndefined();
  });

  it('takes the schedules\u2019 AIBrix timezone for the forecaster when spec.timeZone is absent', () => {
    const checked = validateSpec({ ...base, predictive, schedules: [{ name: 'work', timezone: 'America/New_York', startTime: '08:00', endTime: '18:00', minReplicas: 2 }] });
    expect(checked.ok).toBe(true);
    if (!checked.ok || checked.spec.scalingStrategy === 'Optimizer') throw new Error('expected a valid single-target spec');
    const scaler = toOperatorScalerSpec(checked.spec, { minReplicas: 1, maxReplicas: 10 }, 10);
    expect(scaler.algorithm === 'blend' && scaler.predictive.timeZone).toBe('America/New_York');
  });

  it('refuses an unknown zone, and a schedule timezone that contradicts it, naming the field', () => {
    expect(validateSpec({ ...base, timeZone: 'Europe/Atlantis' })).toEqual({ ok: false, error: { field: 'spec.timeZone', message: 'unknown IANA time zone "Europe/Atlantis"' } });
    const mixed = validateSpec({ ...base, timeZone: 'Europe/Berlin', schedules: [{ name: 'w', timezone: 'UTC', startTime: '08:00', endTime: '09:00', minReplicas: 2 }] });
    expect(mixed.ok === false && mixed.error.field).toBe('spec.schedules[0].timezone');
  });
});
