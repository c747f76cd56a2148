/**
 * Which fields each kind of metric source takes, one rule per kind, after AIBrix's
 * `validateSpec` for its kinds (reference/aibrix.md 1.3: `pod` needs a port; `resource`
 * reads only cpu or memory and forbids the HTTP fields; `external` without an endpoint is
 * the external.metrics API; an HTTP endpoint source, AIBrix's `domain`, needs the
 * endpoint and its path) and for prescale's `prometheus` (an endpoint URL and a query).
 * Which strategy takes which kind: APA reads a per-pod value, so not a `prometheus`
 * total. The CRD carries the same rules as CEL (celRules.ts).
 * @module
 */
import type { MetricSource, MetricSourceType } from './spec.js';
import { RESOURCE_METRICS } from './spec.js';

export interface SourceRuleError {
  /** Relative to the source: `.port`, `.metricSourceType`. */
  field: string;
  message: string;
}

type OptionalField = 'protocolType' | 'port' | 'path' | 'labelMatchers' | 'endpoint' | 'query' | 'authSecretRef';

/** The optional fields each kind takes; the others are refused. */
export const SOURCE_FIELDS: Record<MetricSourceType, readonly OptionalField[]> = {
  pod: ['protocolType', 'port', 'path', 'labelMatchers'],
  prometheus: ['endpoint', 'query', 'authSecretRef'],
  resource: [],
  external: ['labelMatchers'],
  domain: ['protocolType', 'endpoint', 'path', 'labelMatchers'],
};

/** The optional fields each kind needs. */
export const REQUIRED_SOURCE_FIELDS: Record<MetricSourceType, readonly OptionalField[]> = {
  pod: ['port'],
  prometheus: ['endpoint', 'query'],
  resource: [],
  external: [],
  domain: ['endpoint', 'path'],
};

const ALL_FIELDS: readonly OptionalField[] = ['protocolType', 'port', 'path', 'labelMatchers', 'endpoint', 'query', 'authSecretRef'];

/** The kinds that take `field`, for messages. */
export function kindsTaking(field: OptionalField): MetricSourceType[] {
  return (Object.keys(SOURCE_FIELDS) as MetricSourceType[]).filter((k) => SOURCE_FIELDS[k].includes(field));
}

function fieldsError(s: MetricSource): SourceRuleError | null {
  const kind = s.metricSourceType;
  for (const f of REQUIRED_SOURCE_FIELDS[kind]) if (s[f] === undefined) return { field: `.${f}`, message: `is required for metricSourceType ${kind}` };
  for (const f of ALL_FIELDS) {
    if (s[f] !== undefined && !SOURCE_FIELDS[kind].includes(f)) return { field: `.${f}`, message: `is used only with metricSourceType ${kindsTaking(f).join(' or ')}` };
  }
  return null;
}

function resourceError(s: MetricSource): SourceRuleError | null {
  if (!(RESOURCE_METRICS as readonly string[]).includes(s.targetMetric)) return { field: '.targetMetric', message: `must be ${RESOURCE_METRICS.join(' or ')} for metricSourceType resource` };
  return null;
}

function prometheusError(s: MetricSource, strategy: string): SourceRuleError | null {
  if (strategy === 'APA') return { field: '.metricSourceType', message: 'APA needs a per-pod value: a prometheus query is a total; use pod, resource, external or domain' };
  if (s.endpoint !== undefined && !/^https?:\/\//.test(s.endpoint)) return { field: '.endpoint', message: 'must be an http:// or https:// URL' };
  return null;
}

function domainError(s: MetricSource): SourceRuleError | null {
  if (s.endpoint !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(s.endpoint) && !/^https?:\/\//.test(s.endpoint)) return { field: '.endpoint', message: 'must be host[:port] or an http:// or https:// URL' };
  return null;
}

/** The URL a `domain` source reads: `protocolType://endpoint/path` (an endpoint that is a URL keeps its scheme). */
export function domainUrl(s: Pick<MetricSource, 'protocolType' | 'endpoint' | 'path'>): string {
  const base = /^https?:\/\//.test(s.endpoint ?? '') ? (s.endpoint ?? '') : `${s.protocolType ?? 'http'}://${s.endpoint ?? ''}`;
  return `${base.replace(/\/+$/, '')}/${(s.path ?? '').replace(/^\/+/, '')}`;
}

/** The first rule `source` breaks under `strategy`, or null. */
export function metricSourceError(s: MetricSource, strategy: string): SourceRuleError | null {
  if (!(Number(s.targetValue) > 0)) return { field: '.targetValue', message: 'must be greater than 0' };
  const fields = fieldsError(s);
  if (fields) return fields;
  switch (s.metricSourceType) {
    case 'resource':
      return resourceError(s);
    case 'prometheus':
      return prometheusError(s, strategy);
    case 'domain':
      return domainError(s);
    case 'pod':
    case 'external':
      return null;
  }
}
