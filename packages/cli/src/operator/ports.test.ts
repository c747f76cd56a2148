/**
 * The operator's ports on @prescale/prometheus: pod pages scraped with missing pods as
 * null, a PromQL value for prometheus sources, and history ranges as the blend's series.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { defaultOperatorPorts } from './ports.js';

let server: Server;
let base: string;
let port: number;
const queries: URLSearchParams[] = [];
const authorizations: string[] = [];

beforeEach(async () => {
  queries.length = 0;
  authorizations.length = 0;
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/metrics') {
      // Two pods share this server: 127.0.0.1 serves the metric, 127.0.0.2 lacks it.
      const text = req.socket.localAddress === '127.0.0.1' ? 'vllm:num_requests_waiting{model_name="a"} 3\nvllm:num_requests_waiting{model_name="b"} 4\n' : 'other 1\n';
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(text);
      return;
    }
    queries.push(url.searchParams);
    authorizations.push(req.headers.authorization ?? '');
    if (url.searchParams.get('query') === 'denied') {
      res.writeHead(401, { 'content-type': 'text/html' }).end('<html>SECRET-BODY-TEXT token=abc</html>');
      return;
    }
    if (url.searchParams.get('query') === 'broken') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('panic: SECRET-BODY-TEXT');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    if (url.pathname === '/api/v1/query') {
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { pod: 'a' }, value: [1700000000, '2.5'] }, { metric: { pod: 'b' }, value: [1700000000, '1.5'] }] } }));
    } else {
      const start = Number(url.searchParams.get('start'));
      const end = Number(url.searchParams.get('end'));
      const step = Number(url.searchParams.get('step'));
      const values: Array<[number, string]> = [];
      for (let t = start; t <= end; t += step) values.push([t, String(t % 1200 === 0 ? 2 : 4)]);
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values }] } }));
    }
  });
  server.listen(0, '0.0.0.0');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('operator ports', () => {
  test('pods: summed samples that match; a pod without the metric, an IP or an answer is missing', async () => {
    const ports = defaultOperatorPorts({ scrapeTimeoutMs: 500 });
    const source = { metricSourceType: 'pod' as const, port, targetMetric: 'vllm:num_requests_waiting', targetValue: '5' };
    const pods = [
      { name: 'a', ip: '127.0.0.1' },
      { name: 'b', ip: '127.0.0.2' },
      { name: 'c', ip: null },
      { name: 'd', ip: '127.0.0.3' },
    ];
    const closed = createServer().listen(0); // a port nothing answers on for pod d
    await once(closed, 'listening');
    const dead = (closed.address() as AddressInfo).port;
    closed.close();
    const values = await ports.metrics.readPods(pods.slice(0, 3), source);
    expect(values).toEqual({ a: 7, b: null, c: null });
    expect(await ports.metrics.readPods([pods[0]!], { ...source, labelMatchers: { model_name: 'b' } })).toEqual({ a: 4 });
    // Every pod failing is the source failing: a MetricSourceError of its kind.
    await expect(ports.metrics.readPods([pods[3]!], { ...source, port: dead })).rejects.toMatchObject({ name: 'MetricSourceError', kind: 'Unreachable', message: expect.stringMatching(/^every pod failed \(1\); the first: cannot reach http:\/\/127\.0\.0\.3:\d+\/metrics \(ECONNREFUSED\)$/) });
    await ports.close();
  });

  test('failures are MetricSourceErrors of their kind that quote neither the body nor the credentials', async () => {
    const ports = defaultOperatorPorts({ queryTimeoutMs: 2000 });
    const source = { metricSourceType: 'prometheus' as const, endpoint: `http://reader:pw-123@127.0.0.1:${port}`, query: 'denied', targetMetric: 'x', targetValue: '1' };
    const denied = await ports.metrics.readQuery(source).catch((e: unknown) => e);
    expect(denied).toMatchObject({ name: 'MetricSourceError', kind: 'Unauthorized', message: `HTTP 401 from ${base}/api/v1/query` });
    const broken = await ports.history.load({ endpoint: base, query: 'broken', from: 0, to: 3_600_000, stepMs: 600_000 }).catch((e: unknown) => e);
    expect(broken).toMatchObject({ name: 'MetricSourceError', kind: 'ServerError' });
    const dns = await ports.metrics.readRequestRate({ endpoint: 'http://prometheus.invalid:9090', query: 'up' }).catch((e: unknown) => e);
    expect(dns).toMatchObject({ name: 'MetricSourceError', kind: 'DNS' });
    for (const e of [denied, broken, dns]) {
      expect(String((e as Error).message)).not.toMatch(/SECRET-BODY-TEXT|pw-123|abc/);
    }
    await ports.close();
  });

  test('a page over the size cap on every pod: the source fails with TooLarge', async () => {
    const ports = defaultOperatorPorts({ maxPageBytes: 16 });
    const source = { metricSourceType: 'pod' as const, port, targetMetric: 'vllm:num_requests_waiting', targetValue: '5' };
    await expect(ports.metrics.readPods([{ name: 'a', ip: '127.0.0.1' }], source)).rejects.toMatchObject({ name: 'MetricSourceError', kind: 'TooLarge', message: `every pod failed (1); the first: the answer from http://127.0.0.1:${port}/metrics is over the size limit` });
    await ports.close();
  });

  test('credentials from the Secret go in the Authorization header', async () => {
    const ports = defaultOperatorPorts();
    await ports.metrics.readRequestRate({ endpoint: base, query: 'sum(x)', auth: { type: 'bearer', token: 'tok-1' } });
    await ports.metrics.readQuery({ metricSourceType: 'prometheus', endpoint: base, query: 'sum(x)', targetMetric: 'x', targetValue: '1' }, { type: 'basic', username: 'u', password: 'p' });
    await ports.metrics.readRequestRate({ endpoint: base, query: 'sum(x)' });
    expect(authorizations).toEqual(['Bearer tok-1', `Basic ${Buffer.from('u:p').toString('base64')}`, '']);
    await ports.close();
  });

  test('a prometheus source is the sum of its query\u2019s series', async () => {
    const ports = defaultOperatorPorts();
    expect(await ports.metrics.readQuery({ metricSourceType: 'prometheus', endpoint: base, query: 'sum(x)', targetMetric: 'x', targetValue: '1' })).toBe(4);
    expect(queries[0]?.get('query')).toBe('sum(x)');
    expect(await ports.metrics.readRequestRate({ endpoint: base, query: 'sum(x)' })).toBe(4);
    await ports.close();
  });

  test('history: a range query as a regular series of the step, aligned to the epoch', async () => {
    const ports = defaultOperatorPorts();
    const from = Date.UTC(2026, 0, 1);
    const series = await ports.history.load({ endpoint: base, query: 'sum(rate(r[5m]))', from, to: from + 3_600_000, stepMs: 600_000 });
    expect(series.binMs).toBe(600_000);
    expect(series.startMs % 600_000).toBe(0);
    expect(series.values).toHaveLength(6);
    expect(series.values.every((v) => v === 2 || v === 4)).toBe(true);
    await ports.close();
  });
});

describe('domain sources: one HTTP endpoint read as a metrics page (the GPU optimizer)', () => {
  test('the metric’s samples that match are read; a page without it is null; a dead endpoint fails with its kind', async () => {
    const ports = defaultOperatorPorts({ scrapeTimeoutMs: 2000 });
    try {
      const source = { metricSourceType: 'domain' as const, protocolType: 'http' as const, endpoint: `127.0.0.1:${port}`, path: '/metrics', targetMetric: 'vllm:num_requests_waiting', targetValue: '100' };
      expect(await ports.metrics.readDomain({ ...source, labelMatchers: { model_name: 'b' } })).toBe(4);
      expect(await ports.metrics.readDomain({ ...source, targetMetric: 'vllm:deployment_replicas' })).toBeNull();
      const dead = createServer();
      dead.listen(0, '127.0.0.1');
      await once(dead, 'listening');
      const deadPort = (dead.address() as AddressInfo).port;
      await new Promise<void>((r) => dead.close(() => r()));
      await expect(ports.metrics.readDomain({ ...source, endpoint: `127.0.0.1:${deadPort}` })).rejects.toMatchObject({ name: 'MetricSourceError', kind: 'Unreachable' });
    } finally {
      await ports.close();
    }
  });
});
