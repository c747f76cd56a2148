/**
 * The install artefacts that do not need a cluster to check: the Helm chart's CRD is
 * the generated one, and the Grafana dashboard charts only metrics the operator exports
 * (and charts each thing a platform team watches). The chart and the kustomize base are
 * rendered and applied to a real API server by the e2e suite (e2e/install.e2e.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ControllerMetrics } from './controller/controllerMetrics.js';
import { podAutoscalerCrd } from './crd/crd.js';
import { toYaml } from './yaml.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const read = (path: string): string => readFileSync(`${ROOT}${path}`, 'utf8');

interface Panel {
  title: string;
  targets: Array<{ expr: string }>;
}

describe('install artefacts', () => {
  test('the Helm chart installs the CRD the TypeScript types generate', () => {
    expect(read('charts/prescale-operator/crds/podautoscalers.yaml')).toBe(toYaml(podAutoscalerCrd()));
  });

  test('the Grafana dashboard queries only metrics the operator exports, and charts what the issue asks for', async () => {
    const dashboard = JSON.parse(read('examples/operator/grafana-dashboard.json')) as { panels: Panel[] };
    const exported = new Set((await new ControllerMetrics().registry.getMetricsAsJSON()).map((m) => m.name));
    const used = new Set<string>();
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const t of panel.targets) for (const m of t.expr.matchAll(/\bprescale_[a-z_]+/g)) used.add(m[0].replace(/_(bucket|sum|count)$/, ''));
    }
    for (const name of used) expect(exported, `${name} is not exported`).toContain(name);
    const titles = dashboard.panels.map((p) => p.title);
    for (const wanted of ['Decisions by reason', 'Predicted against reactive replicas', 'Forecast error', 'Loop latency', 'Errors by kind']) expect(titles).toContain(wanted);
    // Each exported metric is on the dashboard.
    expect([...exported].filter((n) => !used.has(n))).toEqual([]);
  });
});
