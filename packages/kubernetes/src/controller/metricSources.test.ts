/**
 * Metric sources that fail, against the stand-in: the failure is counted by kind in the
 * operator's metrics, logged once when it starts or changes (not every loop) and once
 * when it ends, and named in `MetricsAvailable`; endpoints outside the operator's
 * allow-list are never fetched; credentials come from a Secret and appear nowhere in
 * status, Events or logs, and neither does what a failing port said.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { deployment, FakeHistory, kpaSpec, podAutoscaler, TestCluster, waitFor } from '../testing/cluster.js';
import { errorsOfKind } from '../testSupport.js';
import { ControllerMetrics } from './controllerMetrics.js';
import { MetricSourceError } from './metricsPort.js';

const PROMETHEUS = 'http://prometheus.monitoring:9090';
const TOKEN = 's3cr3t-t0ken-value';

let k: TestCluster;
let logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }>;
const log = (level: string, message: string, fields?: Record<string, unknown>) => logs.push({ level, message, ...(fields ? { fields } : {}) });

beforeEach(async () => {
  k = await new TestCluster().start();
  logs = [];
});
afterEach(async () => {
  await k.stop();
});

/** An HPA on a Prometheus source at `endpoint`, with the Secret `secret` for credentials if given. */
function prometheusSpec(endpoint: string, secret?: string): Record<string, unknown> {
  const source = { metricSourceType: 'prometheus', endpoint, query: 'sum(vllm:num_requests_waiting)', targetMetric: 'waiting', targetValue: '5', ...(secret ? { authSecretRef: { name: secret } } : {}) };
  return JSON.parse(JSON.stringify(kpaSpec('llm', { scalingStrategy: 'HPA', observeWindowSeconds: undefined, panicWindowSeconds: undefined, metricsSources: [source] })));
}

/** Everything the operator wrote where people read: status, Events, logs. */
function shown(): string {
  return JSON.stringify([k.status('llm'), k.server.list('events.events.k8s.io'), logs]);
}

describe('a failing metric source is counted, logged once per change and named in a condition', () => {
  test('a 401 from Prometheus, three loops long, then a recovery', async () => {
    k.server.apply(deployment('llm', 2));
    k.server.apply(podAutoscaler('llm', prometheusSpec(PROMETHEUS)));
    const metrics = new ControllerMetrics();
    const c = await k.controller({ allowedEndpoints: [PROMETHEUS], observer: metrics, log });
    await waitFor(() => c.keys().length === 1);
    k.metrics.failQueries = new MetricSourceError('Unauthorized', `HTTP 401 from ${PROMETHEUS}/api/v1/query`);
    for (let i = 0; i < 3; i++) {
      k.t += 15_000;
      const r = await c.reconcile('default/llm');
      expect(r.decision?.reasons[0]).toBe('NoMetrics');
    }
    expect(await errorsOfKind(metrics, 'MetricsUnauthorized')).toBe(3);
    expect(logs.filter((l) => l.message === 'metric source failed')).toEqual([
      { level: 'warn', message: 'metric source failed', fields: { key: 'default/llm', source: 'metricsSources[0]', kind: 'Unauthorized', error: `HTTP 401 from ${PROMETHEUS}/api/v1/query` } },
    ]);
    await waitFor(() => k.condition('llm', 'MetricsAvailable')?.status === 'False', 2000, 'the condition');
    expect(k.condition('llm', 'MetricsAvailable')).toMatchObject({ reason: 'Unauthorized', message: `metricsSources[0]: HTTP 401 from ${PROMETHEUS}/api/v1/query` });
    // A different failure is a change: logged again.
    k.metrics.failQueries = new MetricSourceError('DNS', 'cannot resolve the host of http://prometheus.monitoring:9090/api/v1/query (ENOTFOUND)');
    k.t += 15_000;
    await c.reconcile('default/llm');
    expect(logs.filter((l) => l.message === 'metric source failed').map((l) => l.fields?.kind)).toEqual(['Unauthorized', 'DNS']);
    expect(await errorsOfKind(metrics, 'MetricsDNS')).toBe(1);
    // Recovery: logged once, the condition turns True.
    k.metrics.failQueries = null;
    k.metrics.external.waiting = 10;
    for (let i = 0; i < 2; i++) {
      k.t += 15_000;
      await c.reconcile('default/llm');
    }
    expect(logs.filter((l) => l.message === 'metric source recovered')).toEqual([{ level: 'info', message: 'metric source recovered', fields: { key: 'default/llm', source: 'metricsSources[0]' } }]);
    await waitFor(() => k.condition('llm', 'MetricsAvailable')?.status === 'True', 2000, 'the recovery');
  });

  test('a port that throws something else: Unknown, and its message is not shown', async () => {
    k.server.apply(deployment('llm', 2));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm')));
    const c = await k.controller({ log });
    await waitFor(() => c.keys().length === 1);
    k.metrics.failPods = new Error('HttpStatus: 500 <html>internal page with a Bearer abc123</html>');
    await c.reconcile('default/llm');
    await waitFor(() => k.condition('llm', 'MetricsAvailable')?.reason === 'Unknown', 2000, 'the condition');
    expect(shown()).not.toContain('abc123');
    expect(shown()).not.toContain('<html>');
  });
});

describe('the endpoint allow-list', () => {
  test('a Prometheus source outside the list is not fetched, and the condition says so', async () => {
    k.server.apply(deployment('llm', 2));
    k.server.apply(podAutoscaler('llm', prometheusSpec('http://169.254.169.254/latest/meta-data')));
    const metrics = new ControllerMetrics();
    const c = await k.controller({ allowedEndpoints: [PROMETHEUS], observer: metrics, log });
    await waitFor(() => c.keys().length === 1);
    const r = await c.reconcile('default/llm');
    expect(k.metrics.queries).toEqual([]);
    expect(r.decision?.reasons[0]).toBe('NoMetrics');
    await waitFor(() => k.condition('llm', 'MetricsAvailable')?.status === 'False', 2000, 'the condition');
    expect(k.condition('llm', 'MetricsAvailable')).toMatchObject({ reason: 'EndpointNotAllowed', message: expect.stringMatching(/^metricsSources\[0\]: http:\/\/169\.254\.169\.254\/latest\/meta-data is not an endpoint this operator may query/) });
    expect(await errorsOfKind(metrics, 'MetricsEndpointNotAllowed')).toBe(1);
  });

  test('without an allow-list nothing is fetched; a URL below an allowed one is', async () => {
    k.server.apply(deployment('llm', 2));
    k.server.apply(podAutoscaler('llm', prometheusSpec(`${PROMETHEUS}/prometheus`)));
    const closed = await k.controller();
    await waitFor(() => closed.keys().length === 1);
    await closed.reconcile('default/llm');
    expect(k.metrics.queries).toEqual([]);
    await closed.stop();
    const open = await k.controller({ allowedEndpoints: [`${PROMETHEUS}/`] });
    await waitFor(() => open.keys().length === 1);
    await open.reconcile('default/llm');
    expect(k.metrics.queries.map((q) => q.endpoint)).toEqual([`${PROMETHEUS}/prometheus`]);
  });

  test('predictive history elsewhere: neither the history nor the request rate is fetched', async () => {
    const history = new FakeHistory();
    k.server.apply(deployment('llm', 1));
    const predictive = { mode: 'preview', history: { endpoint: 'http://attacker.example:9090', query: 'up' }, capacityPerReplica: 2 };
    k.server.apply(podAutoscaler('llm', kpaSpec('llm', { predictive })));
    const c = await k.controller({ history, allowedEndpoints: [PROMETHEUS] });
    await waitFor(() => c.keys().length === 1);
    k.spreadLoad('llm', 3);
    const r = await c.reconcile('default/llm');
    expect(r.decision?.desiredReplicas).toBe(1);
    expect(history.requests).toEqual([]);
    expect(k.metrics.queries).toEqual([]);
    await waitFor(() => k.condition('llm', 'MetricsAvailable')?.status === 'False', 2000, 'the condition');
    const message = k.condition('llm', 'MetricsAvailable')?.message ?? '';
    expect(message).toContain('predictive.history.query: http://attacker.example:9090 is not an endpoint');
    expect(message).toContain('predictive.history: http://attacker.example:9090 is not an endpoint');
  });
});

describe('credentials', () => {
  test('a Secret\u2019s bearer token reaches the query, and nothing the operator writes', async () => {
    k.server.apply(deployment('llm', 2));
    k.server.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'prometheus-reader', namespace: 'default' }, data: { token: Buffer.from(`${TOKEN}\n`).toString('base64') } });
    k.server.apply(podAutoscaler('llm', prometheusSpec(PROMETHEUS, 'prometheus-reader')));
    const c = await k.controller({ allowedEndpoints: [PROMETHEUS], log });
    await waitFor(() => c.keys().length === 1);
    k.metrics.external.waiting = 20;
    const r = await c.reconcile('default/llm');
    expect(r.decision?.desiredReplicas).toBe(4);
    expect(k.metrics.queries[0]?.auth).toEqual({ type: 'bearer', token: TOKEN });
    // A failure after it: still nothing shown.
    k.metrics.failQueries = new MetricSourceError('Forbidden', `HTTP 403 from ${PROMETHEUS}/api/v1/query`);
    k.t += 15_000;
    await c.reconcile('default/llm');
    await waitFor(() => k.condition('llm', 'MetricsAvailable')?.reason === 'Forbidden', 2000, 'the condition');
    expect(shown()).not.toContain(TOKEN);
    // The Secret is read with one GET, not listed or watched.
    const secretCalls = k.server.requests.filter((q) => q.path.includes('/secrets'));
    expect(secretCalls.map((q) => `${q.method} ${q.path}`)).toContain('GET /api/v1/namespaces/default/secrets/prometheus-reader');
    expect(secretCalls.every((q) => q.method === 'GET' && q.path.endsWith('/prometheus-reader'))).toBe(true);
  });

  test('basic auth; a missing Secret or one without the keys: CredentialsUnavailable, and no query', async () => {
    k.server.apply(deployment('llm', 2));
    k.server.apply(podAutoscaler('llm', prometheusSpec(PROMETHEUS, 'missing')));
    const c = await k.controller({ allowedEndpoints: [PROMETHEUS], log });
    await waitFor(() => c.keys().length === 1);
    await c.reconcile('default/llm');
    expect(k.metrics.queries).toEqual([]);
    await waitFor(() => k.condition('llm', 'MetricsAvailable')?.reason === 'CredentialsUnavailable', 2000, 'the condition');
    expect(k.condition('llm', 'MetricsAvailable')?.message).toBe('metricsSources[0]: cannot read Secret default/missing (HTTP 404 NotFound)');
    const encode = (s: string) => Buffer.from(s).toString('base64');
    k.server.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'missing', namespace: 'default' }, data: { user: encode('reader') } });
    k.t += 15_000;
    await c.reconcile('default/llm');
    await waitFor(() => /has neither a "token" key/.test(k.condition('llm', 'MetricsAvailable')?.message ?? ''), 2000, 'the keys');
    k.server.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'missing', namespace: 'default' }, data: { username: encode('reader'), password: encode('pa55w0rd-value') } });
    k.t += 15_000;
    await c.reconcile('default/llm');
    expect(k.metrics.queries.at(-1)?.auth).toEqual({ type: 'basic', username: 'reader', password: 'pa55w0rd-value' });
    expect(shown()).not.toContain('pa55w0rd-value');
  });
});

describe('what a history load says', () => {
  test('credentials in the endpoint URL are not repeated, and a failure does not quote the error it got', async () => {
    const history = new FakeHistory();
    history.fail = new Error('HttpStatus: server error (HTTP 500, http://prometheus.monitoring:9090/api/v1/query_range): <html><body>stack trace: password=hunter2</body></html>');
    k.server.apply(deployment('llm', 1));
    const predictive = { mode: 'preview', history: { endpoint: 'http://reader:hunter2@prometheus.monitoring:9090', query: 'up', lookbackDays: 7 }, capacityPerReplica: 2 };
    k.server.apply(podAutoscaler('llm', kpaSpec('llm', { predictive })));
    const c = await k.controller({ history, allowedEndpoints: [PROMETHEUS], log });
    await waitFor(() => c.keys().length === 1);
    k.spreadLoad('llm', 3);
    await c.reconcile('default/llm');
    await waitFor(() => k.status('llm')?.prediction?.message !== undefined, 2000, 'the prediction');
    expect(k.status('llm')?.prediction?.message).toContain('history load failed, retrying in 5 min: the read failed');
    expect(shown()).not.toContain('hunter2');
    expect(shown()).not.toContain('<html>');
    // Five minutes later the retry succeeds; the note names the endpoint without its credentials.
    history.fail = null;
    k.t += 5 * 60_000;
    await c.reconcile('default/llm');
    await waitFor(() => /loaded \d+ bins/.test(k.status('llm')?.prediction?.message ?? ''), 2000, 'the load');
    expect(k.status('llm')?.prediction?.message).toContain('from http://prometheus.monitoring:9090/');
    expect(shown()).not.toContain('hunter2');
  });
});
