/**
 * One AIBrix `metricsSources[]` entry to prescale's, one function per AIBrix source kind
 * (reference/aibrix.md 1.3): `pod` (the metric's short name mapped to vLLM's, as
 * AIBrix's central registry does), `resource` (cpu or memory, AIBrix's units kept),
 * `external` without an endpoint (the external.metrics API), `external` with an endpoint
 * and its deprecated alias `domain` (an HTTP endpoint such as the GPU optimizer's).
 * `custom` (custom.metrics.k8s.io) has no prescale source.
 * @module
 */
import type { MetricSource } from '../crd/spec.js';

/** AIBrix's short metric names and the vLLM metric each one reads (`pkg/metrics/metrics.go`). */
export const AIBRIX_METRIC_NAMES: Record<string, string> = {
  gpu_cache_usage_perc: 'vllm:gpu_cache_usage_perc',
  kv_cache_usage_perc: 'vllm:kv_cache_usage_perc',
  num_requests_waiting: 'vllm:num_requests_waiting',
  num_requests_running: 'vllm:num_requests_running',
  num_requests_swapped: 'vllm:num_requests_swapped',
};

type Obj = Record<string, unknown>;

export interface SourceConversion {
  source: MetricSource | null;
  /** Meaning that changed, one sentence each. */
  notes: string[];
  /** What was not carried over, one sentence each. */
  lost: string[];
}

const protocol = (m: Obj): 'http' | 'https' => (m.protocolType === 'https' ? 'https' : 'http');
const value = (m: Obj): string => String(m.targetValue ?? '').trim();

function podSource(m: Obj, at: string): SourceConversion {
  const notes: string[] = [];
  const name = String(m.targetMetric ?? '');
  const metric = AIBRIX_METRIC_NAMES[name] ?? name;
  if (metric !== name) notes.push(`${at}.targetMetric: AIBrix's ${name} is vLLM's ${metric}; prescale scrapes the full name`);
  const path = m.path === undefined ? '/metrics' : `/${String(m.path).replace(/^\/+/, '')}`;
  if (m.path !== undefined && path !== '/metrics') notes.push(`${at}.path: AIBrix ignored path and scraped /metrics; prescale scrapes ${path}`);
  const source: MetricSource = { metricSourceType: 'pod', protocolType: protocol(m), port: Number(m.port), path, targetMetric: metric, targetValue: value(m) };
  return { source, notes, lost: [] };
}

function resourceSource(m: Obj, at: string): SourceConversion {
  const metric = String(m.targetMetric ?? '').toLowerCase();
  if (metric !== 'cpu' && metric !== 'memory') return { source: null, notes: [], lost: [`${at}: a resource source reads cpu or memory, not ${String(m.targetMetric)}; dropped`] };
  return { source: { metricSourceType: 'resource', targetMetric: metric, targetValue: value(m) }, notes: [], lost: [] };
}

function externalApiSource(m: Obj): SourceConversion {
  return { source: { metricSourceType: 'external', targetMetric: String(m.targetMetric ?? ''), targetValue: value(m) }, notes: [], lost: [] };
}

function endpointSource(m: Obj, at: string, type: string): SourceConversion {
  const notes = type === 'domain' ? [] : [`${at}.metricSourceType: AIBrix's external source with an endpoint is prescale's domain source (an HTTP endpoint)`];
  const source: MetricSource = {
    metricSourceType: 'domain',
    protocolType: protocol(m),
    endpoint: String(m.endpoint),
    path: m.path === undefined ? '/metrics' : `/${String(m.path).replace(/^\/+/, '')}`,
    targetMetric: String(m.targetMetric ?? ''),
    targetValue: value(m),
  };
  // AIBrix HEAD routes this source through its central metric registry, where the
  // optimizer's metric is missing, so it read 0 (reference/aibrix.md 2.3); prescale reads the page, as v0.4.1 did.
  notes.push(`${at}: read from ${String(m.endpoint)} as a metrics page (the sample whose name is ${source.targetMetric}), as AIBrix v0.4.1 did`);
  return { source, notes, lost: [] };
}

/** Converts the `i`-th source. */
export function convertSource(raw: unknown, i: number): SourceConversion {
  const m: Obj = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Obj) : {};
  const at = `spec.metricsSources[${i}]`;
  const type = String(m.metricSourceType ?? '');
  switch (type) {
    case 'pod':
      return podSource(m, at);
    case 'resource':
      return resourceSource(m, at);
    case 'external':
      return m.endpoint ? endpointSource(m, at, type) : externalApiSource(m);
    case 'domain':
      return m.endpoint ? endpointSource(m, at, type) : externalApiSource(m);
    default:
      return {
        source: null,
        notes: [],
        lost: [`${at} (${type || 'no type'} ${String(m.targetMetric)}): ${type === 'custom' ? 'custom.metrics sources have no prescale source; use metricSourceType prometheus with a query' : 'unknown source type'}; dropped`],
      };
  }
}
