/**
 * AIBrix's optimizer-based autoscaling (its GPU optimizer service read by a KPA per
 * deployment) converts to prescale's Optimizer strategy: `samples/autoscaling/optimizer-kpa.yaml`
 * as a one-type fleet, `samples/heterogeneous/*` (converted together) as one fleet of two
 * types; a PodAutoscaler that mixes the optimizer's source with another stays a KPA.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { validateSpec } from '../crd/validateSpec.js';
import { parseYamlDocuments } from '../yaml.js';
import { convertAibrix, isComplete, mergeOptimizerFleets } from './aibrix.js';
import { commonName } from './aibrixOptimizer.js';

const fixture = (path: string): unknown => parseYamlDocuments(readFileSync(fileURLToPath(new URL(`./fixtures/aibrix-e3e10f9/samples/${path}`, import.meta.url)), 'utf8'))[0];
const HETEROGENEOUS = ['heterogeneous/deepseek-coder-7b-l20-podautoscaler.yaml', 'heterogeneous/deepseek-coder-7b-v100-podautoscaler.yaml'];

describe('AIBrix optimizer manifests to the Optimizer strategy', () => {
  test('optimizer-kpa.yaml: one GPU type named after its deployment, its bounds, complete and valid', () => {
    const c = convertAibrix(fixture('autoscaling/optimizer-kpa.yaml'));
    expect(isComplete(c)).toBe(true);
    const spec = (c.manifest as { spec: { scalingStrategy: string; optimizer: { targets: unknown[]; profiles: unknown } } }).spec;
    expect(spec.scalingStrategy).toBe('Optimizer');
    expect(spec.optimizer.targets).toEqual([{ gpu: 'deepseek-r1-distill-llama-8b', scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'deepseek-r1-distill-llama-8b' }, minReplicas: 1, maxReplicas: 8 }]);
    expect(spec.optimizer.profiles).toEqual({ configMapRef: { name: 'deepseek-r1-distill-llama-8b-profiles' } });
    // What AIBrix keeps outside the manifest, and the KPA layer's annotation, are said.
    expect(c.notes.join('\n')).toMatch(/ConfigMap deepseek-r1-distill-llama-8b-profiles/);
    expect(c.notes.join('\n')).toMatch(/spec\.optimizer\.demand/);
    expect(c.notes.join('\n')).toMatch(/annotation kpa\.autoscaling\.aibrix\.ai\/scale-down-delay/);
  });

  test('heterogeneous/*, converted together: one PodAutoscaler, one decision for both GPU types', () => {
    const merged = mergeOptimizerFleets(HETEROGENEOUS.map((f) => convertAibrix(fixture(f))));
    expect(merged).toHaveLength(1);
    const c = merged[0]!;
    expect(isComplete(c)).toBe(true);
    const m = c.manifest as { metadata: { name: string; namespace: string }; spec: { optimizer: { targets: Array<{ gpu: string; minReplicas: number; maxReplicas: number }>; demand: { rateQuery: string } } } };
    expect(m.metadata).toMatchObject({ name: 'podautoscaler-deepseek-coder-7b', namespace: 'default' });
    expect(m.spec.optimizer.targets.map((t) => [t.gpu, t.minReplicas, t.maxReplicas])).toEqual([
      ['deepseek-coder-7b-l20', 0, 10],
      ['deepseek-coder-7b-v100', 0, 10],
    ]);
    expect(m.spec.optimizer.demand.rateQuery).toContain('model_name="deepseek-coder-7b"');
    expect(validateSpec(m.spec).ok).toBe(true);
  });

  test('a PodAutoscaler mixing the optimizer\u2019s source with a pod source stays a KPA, the optimizer read as a domain source', () => {
    const doc = fixture('autoscaling/optimizer-kpa.yaml') as { spec: { metricsSources: unknown[] } };
    doc.spec.metricsSources.push({ metricSourceType: 'pod', protocolType: 'http', port: '8000', path: 'metrics', targetMetric: 'num_requests_running', targetValue: '20' });
    const c = convertAibrix(doc);
    expect((c.manifest as { spec: { scalingStrategy: string } }).spec.scalingStrategy).toBe('KPA');
    expect(isComplete(c)).toBe(true);
  });

  test('the model is what the deployment names share', () => {
    expect(commonName(['deepseek-coder-7b-l20', 'deepseek-coder-7b-v100'])).toBe('deepseek-coder-7b');
    expect(commonName(['llama'])).toBe('llama');
    expect(commonName(['a-x', 'b-x'])).toBe('a-x');
  });
});
