import { createScaler } from '@prescale/core';
import { describe, expect, test } from 'vitest';
import { VALID_SPEC } from '../testing/invalidSpecs.js';
import { toScalerSpec } from './scalerSpec.js';
import type { PodAutoscalerSpec } from './spec.js';
import { validateSpec } from './validateSpec.js';

const bounds = { minReplicas: 1, maxReplicas: 8 };
const kv = { metricSourceType: 'pod', port: 8000, targetMetric: 'vllm:kv_cache_usage_perc', targetValue: '0.5' } as const;
const waiting = { metricSourceType: 'pod', port: 8000, targetMetric: 'vllm:num_requests_waiting', targetValue: '5' } as const;
const cpu = { metricSourceType: 'resource', targetMetric: 'cpu', targetValue: '50' } as const;
const memory = { metricSourceType: 'resource', targetMetric: 'memory', targetValue: '2048' } as const;
const queue = { metricSourceType: 'external', targetMetric: 'aibrix_queue_depth', targetValue: '40', labelMatchers: { model: 'llama' } } as const;
const optimizer = { metricSourceType: 'domain', protocolType: 'http', endpoint: 'gpu-optimizer.aibrix-system:8080', path: '/metrics/default/llama', targetMetric: 'vllm:deployment_replicas', targetValue: '100' } as const;

function valid(change: Partial<PodAutoscalerSpec>): PodAutoscalerSpec {
  const r = validateSpec({ ...VALID_SPEC, ...change });
  if (!r.ok) throw new Error(`${r.error.field}: ${r.error.message}`);
  if (r.spec.scalingStrategy === 'Optimizer') throw new Error('expected a single-target spec');
  return r.spec;
}

describe('every kind of metric source, several at once, for every strategy', () => {
  test.each(['KPA', 'APA'] as const)('%s on several sources runs one scaler per source (core multi), each with its own target', (strategy) => {
    const spec = valid({ scalingStrategy: strategy, metricsSources: [kv, waiting, cpu, queue, optimizer] });
    const core = toScalerSpec(spec, bounds, 10);
    expect(core.algorithm).toBe('multi');
    if (core.algorithm !== 'multi') return;
    expect(core.sources.map((s) => [s.algorithm, s.metric, s.config.targetValue])).toEqual([
      [strategy.toLowerCase(), 'vllm:kv_cache_usage_perc', 0.5],
      [strategy.toLowerCase(), 'vllm:num_requests_waiting', 5],
      [strategy.toLowerCase(), 'cpu', 50],
      [strategy.toLowerCase(), 'aibrix_queue_depth', 40],
      [strategy.toLowerCase(), 'vllm:deployment_replicas', 100],
    ]);
    expect(() => createScaler(core)).not.toThrow();
  });

  test('one source stays the plain scaler, so a saved state still fits', () => {
    expect(toScalerSpec(valid({}), bounds, 10).algorithm).toBe('kpa');
  });

  test('HPA maps each kind as AIBrix’s HPA wrapper does: cpu a utilisation, memory MiB per pod, one-value sources External', () => {
    const spec = valid({ scalingStrategy: 'HPA', metricsSources: [waiting, cpu, memory, queue, optimizer] });
    const core = toScalerSpec(spec, bounds, 15);
    if (core.algorithm !== 'hpa') throw new Error(core.algorithm);
    expect(core.config.metrics?.map((m) => [m.type, m.name, m.target])).toEqual([
      ['Pods', 'vllm:num_requests_waiting', { type: 'AverageValue', averageValueMilli: 5000 }],
      ['Resource', 'cpu', { type: 'Utilization', averageUtilization: 50 }],
      ['Resource', 'memory', { type: 'AverageValue', averageValueMilli: 2048 * 1024 * 1024 * 1000 }],
      ['External', 'aibrix_queue_depth', { type: 'AverageValue', averageValueMilli: 40_000 }],
      ['External', 'vllm:deployment_replicas', { type: 'AverageValue', averageValueMilli: 100_000 }],
    ]);
  });

  test('any scale target kind and API version, and a StormService role under KPA or APA', () => {
    const ref = { apiVersion: 'orchestration.aibrix.ai/v1alpha1', kind: 'StormService', name: 'ss' };
    expect(valid({ scaleTargetRef: ref, subTargetSelector: { roleName: 'prefill' }, scalingStrategy: 'APA' }).subTargetSelector).toEqual({ roleName: 'prefill' });
    expect(valid({ scaleTargetRef: { apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', name: 'lws' } }).scaleTargetRef.kind).toBe('LeaderWorkerSet');
  });
});
