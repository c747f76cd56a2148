/**
 * The wake-up rule's settings on a PodAutoscaler (`spec.predictive.wakeUpHoldSeconds`,
 * `wakeUpWaitsPerGpuHour`; core's blend/wakeUpHold.ts): they reach core's blend, a tuned
 * core spec writes them back, and bad values are refused naming the field.
 */
import { describe, expect, it } from 'vitest';
import { VALID_SPEC } from '../testing/invalidSpecs.js';
import { podAutoscalerFor } from './fromScalerSpec.js';
import { toOperatorScalerSpec } from './scalerSpec.js';
import { validateSpec } from './validateSpec.js';

// VALID_SPEC at minReplicas 0, with the wake-up source it then needs.
const base = { ...VALID_SPEC, minReplicas: 0, wakeUp: { metricSourceType: 'prometheus', endpoint: 'http://prometheus:9090', query: 'sum(gateway_pending_requests{route="llm"})' } };
const history = { endpoint: 'http://prometheus:9090', query: 'sum(rate(vllm:request_success_total[5m]))' };
const predictive = { mode: 'auto', history, capacityPerReplica: 2, wakeUpHoldSeconds: 300, wakeUpWaitsPerGpuHour: 25 };

describe('spec.predictive wake-up settings', () => {
  it('reach core’s blend, and a core spec writes them back', () => {
    const checked = validateSpec({ ...base, predictive });
    expect(checked.ok).toBe(true);
    if (!checked.ok || checked.spec.scalingStrategy === 'Optimizer') throw new Error('expected a valid single-target spec');
    const scaler = toOperatorScalerSpec(checked.spec, { minReplicas: 0, maxReplicas: 10 }, 10);
    expect(scaler.algorithm === 'blend' && scaler.predictive).toMatchObject({ wakeUpHoldSeconds: 300, wakeUpWaitsPerGpuHour: 25 });
    const manifest = podAutoscalerFor(scaler, { name: 'llm', scaleTargetRef: base.scaleTargetRef, metrics: { port: 8000 }, history });
    expect(manifest.spec.predictive).toMatchObject({ wakeUpHoldSeconds: 300, wakeUpWaitsPerGpuHour: 25 });
  });

  it('are refused when negative, naming the field', () => {
    for (const field of ['wakeUpHoldSeconds', 'wakeUpWaitsPerGpuHour']) {
      const r = validateSpec({ ...base, predictive: { ...predictive, [field]: -1 } });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.field).toBe(`spec.predictive.${field}`);
    }
  });
});
