/**
 * Serves `/metrics` on a free loopback port for tests: any text, or a prom-client
 * registry dressed as a vLLM pod (metric names and buckets of vLLM v1,
 * shared/reference/simulator.md §3).
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import client from 'prom-client';

export interface MetricsServer {
  /** `http://127.0.0.1:PORT/metrics` */
  url: string;
  /** `127.0.0.1:PORT`, as a Prometheus scrape target. */
  target: string;
  close(): Promise<void>;
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

export async function serveOnLoopback(handler: Handler): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    Promise.resolve(handler(request, response)).catch((error: unknown) => {
      response.statusCode = 500;
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    target: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Serves a fake vLLM pod in the format the Accept header prefers, as client libraries
 * do. prom-client renames counters for OpenMetrics in place (15.1.3: after an
 * OpenMetrics rendering a registry's text rendering loses `_total`), so each format
 * gets its own registry holding the same values.
 */
export function serveVllm(text: FakeVllm, openMetrics: FakeVllm = fakeVllm(text.model)): Promise<MetricsServer> {
  openMetrics.registry.setContentType(client.openMetricsContentType);
  return serveOnLoopback(async (request, response) => {
    const { registry } = /application\/openmetrics-text/.test(request.headers.accept ?? '') ? openMetrics : text;
    const body = await registry.metrics();
    response.setHeader('content-type', registry.contentType);
    response.end(body);
  });
}

const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560];
const E2E_BUCKETS = [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680];

export interface FakeVllm {
  model: string;
  registry: client.Registry<client.RegistryContentType>;
  running: client.Gauge;
  waiting: client.Gauge;
  kvCache: client.Gauge;
  success: client.Counter;
  promptTokens: client.Counter;
  ttft: client.Histogram;
  e2e: client.Histogram;
}

/** A registry with vLLM's metrics for one model, holding fixed values. */
export function fakeVllm(model = 'meta-llama/Llama-3.1-8B-Instruct'): FakeVllm {
  const registry = new client.Registry<client.RegistryContentType>();
  const labels = { model_name: model, engine: '0' };
  const names = ['model_name', 'engine'] as const;
  const running = new client.Gauge({ name: 'vllm:num_requests_running', help: 'Number of requests in model execution batches.', labelNames: names, registers: [registry] });
  const waiting = new client.Gauge({ name: 'vllm:num_requests_waiting', help: 'Number of requests waiting to be processed.', labelNames: names, registers: [registry] });
  const kvCache = new client.Gauge({ name: 'vllm:kv_cache_usage_perc', help: 'KV-cache usage. 1 means 100 percent usage.', labelNames: names, registers: [registry] });
  const success = new client.Counter({ name: 'vllm:request_success_total', help: 'Count of successfully processed requests.', labelNames: [...names, 'finished_reason'], registers: [registry] });
  const promptTokens = new client.Counter({ name: 'vllm:prompt_tokens_total', help: 'Number of prefill tokens processed.', labelNames: names, registers: [registry] });
  const ttft = new client.Histogram({ name: 'vllm:time_to_first_token_seconds', help: 'Histogram of time to first token in seconds.', labelNames: names, buckets: TTFT_BUCKETS, registers: [registry] });
  const e2e = new client.Histogram({ name: 'vllm:e2e_request_latency_seconds', help: 'Histogram of e2e request latency in seconds.', labelNames: names, buckets: E2E_BUCKETS, registers: [registry] });
  running.set(labels, 3);
  waiting.set(labels, 7);
  kvCache.set(labels, 0.42);
  success.inc({ ...labels, finished_reason: 'stop' }, 120);
  success.inc({ ...labels, finished_reason: 'length' }, 8);
  promptTokens.inc(labels, 51_234);
  for (const [v, n] of [[0.03, 40], [0.07, 25], [0.2, 10], [0.9, 4], [3, 1]] as const) for (let i = 0; i < n; i++) ttft.observe(labels, v);
  for (const [v, n] of [[0.6, 30], [1.2, 50], [4, 40], [12, 8]] as const) for (let i = 0; i < n; i++) e2e.observe(labels, v);
  return { model, registry, running, waiting, kvCache, success, promptTokens, ttft, e2e };
}
