/**
 * What `prescale tune` writes: the terminal table (each scaler's defaults and tuned
 * configuration on the tuning and validation parts, the oracle for scale) and, with
 * `--emit DIR`, each winner as a PodAutoscaler manifest the operator accepts unchanged
 * and as the core scaler spec (`createScaler`'s input) in JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScalerSpec } from '@prescale/core';
import { type ManifestTarget, podAutoscalerFor, toYaml } from '@prescale/kubernetes';
import type { PartMetrics, TuneOutcome } from '@prescale/simulator';

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

export function tuneTable(outcome: TuneOutcome, target: number): string {
  const oracle = outcome.oracle;
  const vs = (m: PartMetrics) => `${(m.validation.gpuHours / oracle.validation.gpuHours).toFixed(2)}×`;
  const rows: string[][] = [['scaler', 'configuration', 'GPU-h tuning', 'SLO tuning', 'GPU-h validation', 'SLO validation', 'vs oracle (validation)']];
  const line = (name: string, kind: string, m: PartMetrics | null) =>
    rows.push(
      m === null
        ? [name, kind, '–', `none met ${pct(target)}`, '–', '–', '–']
        : [name, kind, m.tuning.gpuHours.toFixed(1), pct(m.tuning.sloAttainment), m.validation.gpuHours.toFixed(1), pct(m.validation.sloAttainment), vs(m)],
    );
  line('oracle', '', oracle);
  for (const s of outcome.scalers) {
    line(s.scaler, 'default', s.default);
    line('', 'tuned', s.best);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

/** Where an emitted manifest points: placeholders the user replaces (documented in docs/simulations.md). */
export const EMIT_TARGET: Omit<ManifestTarget, 'name'> = {
  namespace: 'default',
  scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'my-model' },
  metrics: { port: 8000, path: '/metrics' },
  history: { endpoint: 'http://prometheus.monitoring.svc:9090', query: 'sum(rate(vllm:request_success_total{model_name="my-model"}[1m]))', lookbackDays: 28 },
};

/** Writes `<scaler>.podautoscaler.yaml` and `<scaler>.core.json` per tuned scaler; returns the files. */
export function emitTuned(outcome: TuneOutcome, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    files.push(file);
  };
  for (const s of outcome.scalers) {
    if (s.best === null) continue;
    const spec: ScalerSpec = s.best.spec;
    write(`${s.scaler}.core.json`, `${JSON.stringify(spec, null, 2)}\n`);
    const manifest = podAutoscalerFor(spec, { ...EMIT_TARGET, name: `my-model-${s.scaler}` });
    const header = `# prescale tune: the ${s.scaler} configuration with the fewest GPU-hours that met the SLO target on the tuning part.\n# Replace the placeholders: the Deployment (my-model), its metrics port, and the Prometheus series of its request rate.\n`;
    write(`${s.scaler}.podautoscaler.yaml`, header + toYaml(manifest));
  }
  return files;
}
