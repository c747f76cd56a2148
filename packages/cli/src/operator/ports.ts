/**
 * The metric ports `prescale operator` hands to `@prescale/kubernetes`' operator, on
 * `@prescale/prometheus` (the CLI composes the two; the operator knows only the port
 * interfaces): the pods' pages scraped directly (as AIBrix and Knative do; a pod that
 * fails or lacks the metric is missing, never 0), the value of a PromQL query for
 * `prometheus` sources and the request rate, and range queries (split under
 * Prometheus' 11,000-point limit) for the predictive scaler's history.
 * @module
 */
import type { HistoryLoader, PodMetricsReader } from '@prescale/kubernetes';
import {
  createPrometheusClient,
  createScraper,
  loadHistory,
  type PrometheusClient,
  readPods,
  type Scraper,
  createNodeFetch,
} from '@prescale/prometheus';

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
}

/** `host` for a URL: IPv6 addresses in brackets. */
function urlHost(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

/** Ports backed by `@prescale/prometheus`. */
export function defaultOperatorPorts(options: PrometheusPortsOptions = {}): Required<OperatorPorts> {
  const podFetch = createNodeFetch();
  const scraper: Scraper = createScraper({ timeoutMs: options.scrapeTimeoutMs ?? 3000, concurrency: options.concurrency ?? 32, fetch: podFetch.fetch });
  const clients = new Map<string, PrometheusClient>();
  const client = (url: string): PrometheusClient => {
    let c = clients.get(url);
    if (!c) clients.set(url, (c = createPrometheusClient({ url, timeoutMs: options.queryTimeoutMs ?? 10_000 })));
    return c;
  };
  /** A query's value as one number: a scalar, or a vector's series summed. */
  const queryValue = async (endpoint: string, query: string): Promise<number | null> => {
    const r = await client(endpoint).query(query);
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
      const read = readPods(undefined, scrapes, { value: { kind: 'gauge', metric: source.targetMetric, match: source.labelMatchers ?? {} } });
      for (const v of read.values.value ?? []) out[v.pod] = v.value;
      return out;
    },
    async readQuery(source) {
      if (!source.endpoint || !source.query) return null;
      return queryValue(source.endpoint, source.query);
    },
    readRequestRate: ({ endpoint, query }) => queryValue(endpoint, query),
  };
  const history: HistoryLoader = {
    async load(r) {
      const loaded = await loadHistory(client(r.endpoint), { query: r.query, fromMs: r.from, toMs: r.to, stepMs: r.stepMs });
      return loaded.series;
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
