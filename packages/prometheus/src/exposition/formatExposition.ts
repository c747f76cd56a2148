/**
 * Writes metric families in the Prometheus text format 0.0.4
 * (prometheus.io/docs/instrumenting/exposition_formats): HELP with `\\` and `\n`
 * escaped, label values with `\\`, `\"` and `\n` escaped, Go's spellings of NaN and
 * ±Inf, timestamps in milliseconds. OpenMetrics-only types are written as `untyped`.
 * @module
 */
import type { Labels, MetricFamily, MetricType } from './types.js';

const TEXT_TYPES: ReadonlySet<MetricType> = new Set(['counter', 'gauge', 'histogram', 'summary']);

/** A sample value as Go's FormatFloat would let ParseFloat read it back. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function formatSeries(name: string, labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return name;
  return `${name}{${keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(',')}}`;
}

export function formatExposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    if (f.help !== undefined) lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    lines.push(`# TYPE ${f.name} ${TEXT_TYPES.has(f.type) ? f.type : 'untyped'}`);
    for (const s of f.samples) {
      lines.push(`${formatSeries(s.name, s.labels)} ${formatValue(s.value)}${s.timestampMs !== undefined ? ` ${s.timestampMs}` : ''}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
