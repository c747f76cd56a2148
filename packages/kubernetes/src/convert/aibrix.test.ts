import { describe, expect, test } from 'vitest';
import { validateSpec } from '../crd/validateSpec.js';
import { convertAibrix } from './aibrix.js';
import { parseGoDuration } from './goDuration.js';

function aibrix(spec: Record<string, unknown>, annotations: Record<string, string> = {}) {
  return {
    apiVersion: 'autoscaling.aibrix.ai/v1alpha1',
    kind: 'PodAutoscaler',
    metadata: { name: 'pa', namespace: 'ml', labels: { team: 'a' }, annotations: { 'owner.example.com/team': 'ml', ...annotations } },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'llm' },
      minReplicas: 1,
      maxReplicas: 8,
      metricsSources: [{ metricSourceType: 'pod', protocolType: 'http', port: '8000', path: 'metrics', targetMetric: 'num_requests_waiting', targetValue: '5' }],
      ...spec,
    },
  };
}

const specOf = (r: ReturnType<typeof convertAibrix>) => (r.manifest as { spec: Record<string, any> }).spec;

describe('convertAibrix', () => {
  test('carries the spec over and keeps foreign annotations and labels', () => {
    const r = convertAibrix(aibrix({ scalingStrategy: 'KPA', observeWindowSeconds: 120, panicWindowSeconds: 30 }));
    expect(r.manifest).toMatchObject({
      apiVersion: 'autoscaling.prescale.dev/v1alpha1',
      kind: 'PodAutoscaler',
      metadata: { name: 'pa', namespace: 'ml', labels: { team: 'a' }, annotations: { 'owner.example.com/team': 'ml' } },
    });
    expect(specOf(r)).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'llm' },
      minReplicas: 1,
      maxReplicas: 8,
      scalingStrategy: 'KPA',
      metricsSources: [{ metricSourceType: 'pod', protocolType: 'http', port: 8000, path: '/metrics', targetMetric: 'vllm:num_requests_waiting', targetValue: '5' }],
      observeWindowSeconds: 120,
      panicWindowSeconds: 30,
    });
    expect(validateSpec(specOf(r)).ok).toBe(true);
  });

  test('HEAD annotations become typed fields per strategy', () => {
    const ann = {
      'autoscaling.aibrix.ai/max-scale-up-rate': '3',
      'autoscaling.aibrix.ai/max-scale-down-rate': '4',
      'autoscaling.aibrix.ai/scale-up-tolerance': '0.05',
      'autoscaling.aibrix.ai/scale-down-tolerance': '0.2',
      'autoscaling.aibrix.ai/scale-up-cooldown-window': '30s',
      'autoscaling.aibrix.ai/scale-down-cooldown-window': '5m',
    };
    const apa = convertAibrix(aibrix({ scalingStrategy: 'APA' }, ann));
    expect(specOf(apa)).toMatchObject({
      maxScaleUpRate: 3,
      maxScaleDownRate: 4,
      behavior: { scaleUp: { tolerance: 0.05, stabilizationWindowSeconds: 30 }, scaleDown: { tolerance: 0.2, stabilizationWindowSeconds: 300 } },
    });
    expect((apa.manifest as any).metadata.annotations).toEqual({ 'owner.example.com/team': 'ml' });
    // HPA: rates become Percent policies as AIBrix's HPA wrapper builds them.
    const hpa = convertAibrix(aibrix({ scalingStrategy: 'HPA' }, ann));
    expect(specOf(hpa).behavior).toEqual({
      scaleUp: { policies: [{ type: 'Percent', value: 200, periodSeconds: 60 }], tolerance: 0.05, stabilizationWindowSeconds: 30 },
      scaleDown: { policies: [{ type: 'Percent', value: 75, periodSeconds: 60 }], tolerance: 0.2, stabilizationWindowSeconds: 300 },
    });
    expect(validateSpec(specOf(hpa)).ok).toBe(true);
    // KPA: no tolerance band, no scale-up cooldown; both are reported.
    const kpa = convertAibrix(aibrix({ scalingStrategy: 'KPA' }, ann));
    expect(specOf(kpa).behavior).toEqual({ scaleDown: { stabilizationWindowSeconds: 300 } });
    expect(kpa.lost.join('\n')).toMatch(/no tolerance band/);
    expect(kpa.lost.join('\n')).toMatch(/scale-up-cooldown-window: prescale\u2019s KPA scales up at once/);
  });

  test('legacy v0.4.1 keys: KPA windows and delay, APA window and tolerances', () => {
    const kpa = convertAibrix(
      aibrix(
        { scalingStrategy: 'KPA' },
        {
          'kpa.autoscaling.aibrix.ai/stable-window': '60s',
          'kpa.autoscaling.aibrix.ai/panic-window': '10s',
          'kpa.autoscaling.aibrix.ai/scale-down-delay': '30m',
          'kpa.autoscaling.aibrix.ai/panic-threshold': '3',
          'kpa.autoscaling.aibrix.ai/target-burst-capacity': '2',
        },
      ),
    );
    expect(specOf(kpa)).toMatchObject({ observeWindowSeconds: 60, panicWindowSeconds: 10, panicThreshold: 3, behavior: { scaleDown: { stabilizationWindowSeconds: 1800 } } });
    expect(kpa.lost.some((n) => n.includes('target-burst-capacity'))).toBe(true);
    expect(validateSpec(specOf(kpa)).ok).toBe(true);
    const apa = convertAibrix(
      aibrix({ scalingStrategy: 'APA' }, { 'apa.autoscaling.aibrix.ai/window': '90s', 'apa.autoscaling.aibrix.ai/up-fluctuation-tolerance': '0.15' }),
    );
    expect(specOf(apa)).toMatchObject({ observeWindowSeconds: 90, behavior: { scaleUp: { tolerance: 0.15 } } });
  });

  test('carries every source kind, several per KPA, a StormService role with its mode', () => {
    const r = convertAibrix(
      aibrix(
        {
          scalingStrategy: 'KPA',
          subTargetSelector: { roleName: 'prefill' },
          scaleTargetRef: { apiVersion: 'orchestration.aibrix.ai/v1alpha1', kind: 'StormService', name: 's' },
          metricsSources: [
            { metricSourceType: 'resource', targetMetric: 'cpu', targetValue: '500' },
            { metricSourceType: 'external', targetMetric: 'queue', targetValue: '10' },
            { metricSourceType: 'domain', endpoint: 'opt:8080', protocolType: 'http', path: '/metrics/default/s', targetMetric: 'vllm:deployment_replicas', targetValue: '100' },
          ],
        },
        { 'autoscaling.aibrix.ai/storm-service-mode': 'replica' },
      ),
    );
    expect(r.lost).toEqual([]);
    expect(r.valid).toBe(true);
    expect(specOf(r).subTargetSelector).toEqual({ roleName: 'prefill', mode: 'replica' });
    expect(specOf(r).metricsSources.map((s: { metricSourceType: string }) => s.metricSourceType)).toEqual(['resource', 'external', 'domain']);
  });

  test('says what it could not carry over: the conversion is then partial', () => {
    const r = convertAibrix(
      aibrix(
        {
          scalingStrategy: 'KPA',
          circuitBreaker: { enabled: true },
          metricsSources: [{ metricSourceType: 'custom', targetMetric: 'q', targetValue: '10' }],
        },
        { 'autoscaling.aibrix.ai/scale-to-zero': 'true', 'autoscaling.aibrix.ai/made-up': 'x', 'autoscaling.aibrix.ai/panic-threshold': 'high', 'kpa.autoscaling.aibrix.ai/activation-scale': '2' },
      ),
    );
    const lost = r.lost.join('\n');
    for (const expected of [/spec.circuitBreaker/, /metricsSources\[0\] \(custom q\): custom.metrics/, /made-up: unknown AIBrix key/, /panic-threshold: "high" is not a number/, /activation-scale/]) {
      expect(lost).toMatch(expected);
    }
    expect(r.notes.join('\n')).toMatch(/scale-to-zero: AIBrix never read it/);
    expect(r.notes.join('\n')).toMatch(/the result is not valid yet: spec.metricsSources/);
    expect(r.valid).toBe(false);
  });

  test('skips what is not an AIBrix PodAutoscaler', () => {
    expect(convertAibrix({ apiVersion: 'apps/v1', kind: 'Deployment' })).toEqual({ manifest: null, notes: ['skipped: not an autoscaling.aibrix.ai/v1alpha1 PodAutoscaler (apps/v1 Deployment)'], lost: [], valid: null });
  });

  test('Go durations', () => {
    expect(parseGoDuration('3m')).toBe(180);
    expect(parseGoDuration('1h30m')).toBe(5400);
    expect(parseGoDuration('500ms')).toBe(0.5);
    expect(parseGoDuration('0')).toBe(0);
    expect(parseGoDuration('3 minutes')).toBeNull();
    expect(parseGoDuration('')).toBeNull();
  });
});
