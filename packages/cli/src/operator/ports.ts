/**
 * The metric ports `prescale operator` hands to `@prescale/kubernetes`' operator, on
 * `@prescale/prometheus` (the CLI composes the two; the operator knows only the port
 * interfaces): the pods' pages scraped directly (as AIBrix and Knative do; a pod that
 * fails or lacks the metric is missing, never 0; when every pod fails the source
 * fails), one endpoint's page for `domain` sources (the GPU optimizer's), the value of a PromQL query for `prometheus` sources and the request rate, and
 * range queries (split under Prometheus' 11,000-point limit) for the predictive
 * scaler's history. A Prometheus request carries the credentials the controller read
 * from the PodAutoscaler's Secret; failures are thrown as MetricSourceErrors whose
 * messages quote no response body and no credential (metricErrors.ts).
 * @module
 */
import { createHash } from 'node:crypto';
import { domainUrl, type EndpointAuth, type HistoryLoader, MetricSourceError, type PodMetricsReader } from '@prescale/kubernetes';
import {
  createPrometheusClient,
  createScraper,
  loadHistory,
  type PrometheusClient,
  readPods,
  type Scraper,
  createNodeFetch,
} from '@prescale/prometheus';
import { toMetricSourceError } from './metricErrors.js';

export interface OperatorPorts {
  metrics: PodMetricsReader;
  history?: HistoryLoader;
  /** Closes kept-alive connections. */
  close?: () => Promise<void>;
}

export interface PrometheusPortsOptions {
  /** Per-pod scrape timeout; default 3 s. */
  scrapeTimeoutMs?: number;
  /** Timeout of a Prometheus query; default 10 s. */
  queryTimeoutMs?: number;
  /** Scrapes in flight at once per PodAutoscaler; default 32. */
  concurrency?: number;
  /** Largest `/metrics` page read; default `@prescale/prometheus`' (10 MiB). A larger one fails that pod with BodyTooLarge. */
  maxPageBytes?: number;
  /** Largest Prometheus answer read; default `@prescale/prometheus`' (64 MiB). */
  maxAnswerBytes?: number;
}

/** `host` for a URL: IPv6 addresses in brackets. */
function urlHost(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

/** Ports backed by `@prescale/prometheus`. */
export function defaultOperatorPorts(options: PrometheusPortsOptions = {}): Required<OperatorPorts> {
  const podFetch = createNodeFetch();
  const scraper: Scraper = createScraper({
    timeoutMs: options.scrapeTimeoutMs ?? 3000,
    concurrency: options.concurrency ?? 32,
    fetch: podFetch.fetch,
    ...(options.maxPageBytes !== undefined ? { maxBodyBytes: options.maxPageBytes } : {}),
  });
  const clients = new Map<string, PrometheusClient>();
  /** One client per endpoint and credentials (keyed by a hash, so the map holds no secret as a key). */
  const client = (url: string, auth: EndpointAuth | undefined): PrometheusClient => {
    const key = auth ? `${url}\n${createHash('sha256').update(JSON.stringify(auth)).digest('hex')}` : url;
    let c = clients.get(key);
    if (!c) {
      // Rotated credentials leave old clients behind: keep the map bounded.
      if (clients.size >= 64) {
        const [oldest, old] = clients.entries().next().value as [string, PrometheusClient];
        clients.delete(oldest);
        void old.close();
      }
      clients.set(key, (c = createPrometheusClient({
          url,
          timeoutMs: options.queryTimeoutMs ?? 10_000,
          ...(options.maxAnswerBytes !== undefined ? { maxBodyBytes: options.maxAnswerBytes } : {}),
          ...(auth ? { auth } : {}),
        })));
    }
    return c;
  };
  /** A query's value as one number: a scalar, or a vector's series summed. */
  const queryValue = async (endpoint: string, query: string, auth: EndpointAuth | undefined): Promise<number | null> => {
    const r = await client(endpoint, auth)
      .query(query)
      .catch((error: unknown) => {
        throw toMetricSourceError(error);
      });
    if (r.resultType === 'scalar') return Number.isFinite(r.value) ? r.value : null;
    if (r.resultType !== 'vector' || r.samples.length === 0) return null;
    // Several series are summed, as the external metrics API's items are (AIBrix).
    const total = r.samples.reduce((sum, s) => sum + s.value, 0);
    return Number.isFinite(total) ? total : null;
  };
  const metrics: PodMetricsReader = {
    async readPods(pods, source) {
      const out: Record<string, number | null> = {};
      const scheme = source.protocolType ?? 'http';
      const targets = [];
      for (const p of pods) {
        out[p.name] = null;
        if (p.ip) targets.push({ pod: p.name, url: `${scheme}://${urlHost(p.ip)}:${source.port}${source.path ?? '/metrics'}` });
      }
      const scrapes = await scraper.scrape(targets);
      // Every pod failed: the source as a whole is down (a wrong port, auth in front of it).
      const first = scrapes[0];
      if (first && !first.ok && scrapes.every((s) => !s.ok)) {
        const e = toMetricSourceError(first.error);
        throw new MetricSourceError(e.kind, `every pod failed (${scrapes.length}); the first: ${e.message}`, { cause: first.error });
      }
      const read = readPods(undefined, scrapes, { value: { kind: 'gauge', metric: source.targetMetric, match: source.labelMatchers ?? {} } });
      for (const v of read.values.value ?? []) out[v.pod] = v.value;
      return out;
    },
    async readQuery(source, auth) {
      if (!source.endpoint || !source.query) return null;
      return queryValue(source.endpoint, source.query, auth);
    },
    async readDomain(source) {
      // One page, read as a pod's would be (AIBrix v0.4.1's optimizer source: the metric's sample on the page).
      const [scrape] = await scraper.scrape([{ pod: 'endpoint', url: domainUrl(source) }]);
      if (!scrape) return null;
      if (!scrape.ok) throw toMetricSourceError(scrape.error);
      const read = readPods(undefined, [scrape], { value: { kind: 'gauge', metric: source.targetMetric, match: source.labelMatchers ?? {} } });
      return read.values.value?.[0]?.value ?? null;
    },
    readRequestRate: ({ endpoint, query, auth }) => queryValue(endpoint, query, auth),
    async readSeries({ endpoint, query, auth }) {
      const r = await client(endpoint, auth)
        .query(query)
        .catch((error: unknown) => {
          throw toMetricSourceError(error);
        });
      if (r.resultType === 'scalar') return [{ labels: {}, value: r.value }];
      if (r.resultType !== 'vector') return [];
      return r.samples.map((s) => ({ labels: { ...s.labels }, value: s.value }));
    },
  };
  const history: HistoryLoader = {
    async load(r) {
      try {
        const loaded = await loadHistory(client(r.endpoint, r.auth), { query: r.query, fromMs: r.from, toMs: r.to, stepMs: r.stepMs });
        return loaded.series;
      } catch (error) {
        throw toMetricSourceError(error);
      }
    },
  };
  return {
    metrics,
    history,
    async close() {
      podFetch.close();
      await Promise.all([scraper.close(), ...[...clients.values()].map((c) => c.close())]);
    },
  };
}
