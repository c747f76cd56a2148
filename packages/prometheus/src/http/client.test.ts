import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { PrometheusError } from '../errors.js';
import { type Call, fakeFetch, type FakeSeries, json, rangeAnswer } from '../testSupport/fakeFetch.js';
import { freePort } from '../testSupport/realPrometheus.js';
import { LONG_TEST_TIMEOUT_MS, RUNS } from '../testSupport/runs.js';
import { createPrometheusClient, type PrometheusClientOptions } from './client.js';
import { planRange } from './rangePlan.js';

const URL_ = 'http://prometheus.test:9090';
const noWait = { sleep: async () => undefined, random: () => 0 };

function client(handler: (call: Call) => Response | Promise<Response>, options: Partial<PrometheusClientOptions> = {}) {
  const fetch = fakeFetch(handler);
  return { fetch, client: createPrometheusClient({ url: URL_, fetch, ...noWait, ...options }) };
}

const vector = (result: unknown[]) => json({ status: 'success', data: { resultType: 'vector', result } });

describe('instant queries', () => {
  it('sends the query, time and timeout, and returns typed samples', async () => {
    const { fetch, client: c } = client(() =>
      vector([
        { metric: { __name__: 'up', job: 'vllm' }, value: [1_700_000_000.5, '1'] },
        { metric: { __name__: 'up', job: 'x' }, value: [1_700_000_000.5, 'NaN'] },
      ]),
    );
    const r = await c.query('up', { timeMs: 1_700_000_000_500 });
    expect(r).toMatchObject({ resultType: 'vector', warnings: [] });
    expect(r.resultType === 'vector' && r.samples).toEqual([
      { labels: { __name__: 'up', job: 'vllm' }, timestampMs: 1_700_000_000_500, value: 1 },
      { labels: { __name__: 'up', job: 'x' }, timestampMs: 1_700_000_000_500, value: Number.NaN },
    ]);
    const call = fetch.calls[0]!;
    expect(call.url.pathname).toBe('/api/v1/query');
    expect(Object.fromEntries(call.params)).toEqual({ query: 'up', time: '1700000000.5', timeout: '30s' });
    expect(call.init.method).toBe('GET');
  });

  it('reads scalars and strings, and surfaces warnings and infos', async () => {
    const { client: c } = client((call) =>
      call.params.get('query') === 'scalar'
        ? json({ status: 'success', data: { resultType: 'scalar', result: [10, '2.5'] }, warnings: ['w1'], infos: ['i1'] })
        : json({ status: 'success', data: { resultType: 'string', result: [10, 'hi'] } }),
    );
    expect(await c.query('scalar')).toEqual({ resultType: 'scalar', timestampMs: 10_000, value: 2.5, warnings: ['w1'], infos: ['i1'] });
    expect(await c.query('string')).toEqual({ resultType: 'string', timestampMs: 10_000, value: 'hi', warnings: [], infos: [] });
  });

  it('reads a range selector evaluated at an instant as raw samples', async () => {
    const { client: c } = client(() => json({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { job: 'a' }, values: [[100.25, '1'], [115.25, '+Inf']] }] } }));
    expect(await c.query('up[30s]')).toEqual({ resultType: 'matrix', series: [{ labels: { job: 'a' }, timestampsMs: [100_250, 115_250], values: [1, Infinity] }], warnings: [], infos: [] });
  });

  it('keeps a path prefix and sends auth and extra headers; URL credentials become basic auth and never show', async () => {
    const bearer = client(() => vector([]), { url: 'https://thanos.test/prefix', auth: { type: 'bearer', token: 't0k' }, headers: { 'X-Scope-OrgID': 'team-a' } });
    await bearer.client.query('up');
    expect(bearer.fetch.calls[0]!.url.toString()).toMatch(/^https:\/\/thanos\.test\/prefix\/api\/v1\/query\?/);
    expect(bearer.fetch.calls[0]!.init.headers).toMatchObject({ authorization: 'Bearer t0k', 'X-Scope-OrgID': 'team-a' });

    const basic = client(() => json({ status: 'error', errorType: 'bad_data', error: 'nope' }, 400), { url: 'http://ann:s%3Acret@prom.test' });
    const error = await basic.client.query('up').catch((e: unknown) => e);
    expect(basic.fetch.calls[0]!.init.headers.authorization).toBe(`Basic ${Buffer.from('ann:s:cret').toString('base64')}`);
    expect(basic.fetch.calls[0]!.url.username).toBe('');
    expect(String((error as Error).message)).not.toMatch(/cret/);
  });

  it('sends a long query as a form POST and still names it in errors', async () => {
    const long = `sum(rate(x{pod=~"${'a|'.repeat(3000)}b"}[5m]))`;
    const { fetch, client: c } = client(() => json({ status: 'error', errorType: 'execution', error: 'too many samples' }, 422));
    const error = await c.query(long).catch((e: unknown) => e);
    expect(fetch.calls[0]!.init.method).toBe('POST');
    expect(fetch.calls[0]!.init.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(fetch.calls[0]!.params.get('query')).toBe(long);
    expect(error).toMatchObject({ code: 'QueryFailed', status: 422, errorType: 'execution', url: expect.stringContaining('/api/v1/query?query=sum') });
  });
});

describe('bad answers are typed errors with the URL and cause', () => {
  const cases: Array<[string, () => Response | Promise<Response>, object]> = [
    ['a Prometheus error', () => json({ status: 'error', errorType: 'bad_data', error: 'parse error at char 4' }, 400), { code: 'QueryFailed', status: 400, errorType: 'bad_data' }],
    ['a 5xx with an HTML page', () => new Response('<html><body>502 Bad Gateway</body></html>', { status: 502, headers: { 'content-type': 'text/html' } }), { code: 'HttpStatus', status: 502, attempts: 3 }],
    ['an HTML login page with 200', () => new Response('<!DOCTYPE html><title>Sign in</title>', { status: 200, headers: { 'content-type': 'text/html' } }), { code: 'InvalidResponse', message: expect.stringMatching(/HTML page/) }],
    ['malformed JSON', () => new Response('{"status":"success",', { status: 200 }), { code: 'InvalidResponse', message: expect.stringMatching(/malformed or truncated JSON/) }],
    ['an empty body', () => new Response('', { status: 200 }), { code: 'InvalidResponse', message: expect.stringMatching(/empty body/) }],
    ['JSON of another shape', () => json({ hello: 'world' }), { code: 'InvalidResponse', message: expect.stringMatching(/not a Prometheus API answer/) }],
    ['an unknown result type', () => json({ status: 'success', data: { resultType: 'table', result: [] } }), { code: 'InvalidResponse' }],
    ['a value that is not a number', () => vector([{ metric: { job: 'a' }, value: [1, 'lots'] }]), { code: 'InvalidSample', message: expect.stringMatching(/"lots" is not a number \(series \{job="a"\} at 1\)/) }],
    ['a value that is a JSON number', () => vector([{ metric: {}, value: [1, 3] }]), { code: 'InvalidResponse' }],
    ['the same series twice', () => vector([{ metric: { job: 'a' }, value: [1, '1'] }, { metric: { job: 'a' }, value: [1, '2'] }]), { code: 'DuplicateSeries' }],
    ['a 503 timeout from Prometheus', () => json({ status: 'error', errorType: 'timeout', error: 'query timed out' }, 503), { code: 'QueryFailed', status: 503, errorType: 'timeout', attempts: 3 }],
    ['a network failure', () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) })), { code: 'Unreachable', message: expect.stringMatching(/ECONNREFUSED/), attempts: 3 }],
  ];
  it.each(cases)('%s', async (_, answer, expected) => {
    const { client: c } = client(answer);
    const error = await c.query('up').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusError);
    expect(error).toMatchObject({ url: expect.stringContaining(`${URL_}/api/v1/query?query=up`), ...expected });
  });

  it('a body that breaks off is InvalidResponse (truncated), and is retried', async () => {
    let calls = 0;
    const { client: c } = client(() => {
      calls++;
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,'));
          controller.error(new Error('socket hang up'));
        },
      });
      return new Response(stream, { status: 200 });
    });
    const error = await c.query('up').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InvalidResponse', attempts: 3, message: expect.stringMatching(/broke off .*truncated.*socket hang up/) });
    expect(calls).toBe(3);
  });

  it('a real server that closes mid-body (Content-Length not reached) is a truncated body', async () => {
    const server = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"status":"success","data":{"resultType":"vec');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const c = createPrometheusClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, retries: 0 });
      await expect(c.query('up')).rejects.toMatchObject({ code: 'InvalidResponse', message: expect.stringMatching(/truncated/) });
    } finally {
      server.close();
    }
  });

  it('an answer larger than maxBodyBytes is BodyTooLarge, read no further and not retried', async () => {
    let pulled = 0;
    const { fetch, client: c } = client(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            pull(controller) {
              pulled++;
              controller.enqueue(new TextEncoder().encode(`{"status":"success","data":{"resultType":"vector","result":[${'{"metric":{},"value":[1,"1"]},'.repeat(40)}`));
            },
          }),
          { status: 200 },
        ),
      { maxBodyBytes: 4096, retries: 2 },
    );
    const error = await c.query('up').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BodyTooLarge', url: expect.stringContaining(`${URL_}/api/v1/query?query=up`), message: expect.stringMatching(/larger than the 4 KiB cap/) });
    expect(fetch.calls).toHaveLength(1);
    expect(pulled).toBeLessThan(10);
    const declared = client(() => new Response('{}', { status: 200, headers: { 'content-length': String(65 * 1024 * 1024) } })).client;
    await expect(declared.query('up')).rejects.toMatchObject({ code: 'BodyTooLarge', message: expect.stringMatching(/64 MiB cap \(Content-Length 68157440 bytes\)/) });
  });

  it('a closed port on loopback is Unreachable', async () => {
    const port = await freePort();
    const c = createPrometheusClient({ url: `http://127.0.0.1:${port}`, retries: 1, ...noWait });
    await expect(c.query('up')).rejects.toMatchObject({ code: 'Unreachable', attempts: 2, url: expect.stringContaining(`127.0.0.1:${port}`) });
  });

  it('a server that never answers is a Timeout; the caller aborting is Aborted', async () => {
    const hang = (call: Call) =>
      new Promise<Response>((_, reject) => call.init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const { client: slow } = client(hang, { timeoutMs: 20, retries: 0 });
    await expect(slow.query('up')).rejects.toMatchObject({ code: 'Timeout', message: expect.stringMatching(/within 20 ms/) });
    const controller = new AbortController();
    const { client: c } = client(hang, { retries: 3 });
    const pending = c.query('up', { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'Aborted' });
  });
});

describe('retries', () => {
  it('retries 5xx, 429 and network errors with growing backoff, then succeeds', async () => {
    const answers = [
      () => new Response('busy', { status: 503 }),
      () => new Response('slow down', { status: 429 }),
      () => Promise.reject(new TypeError('fetch failed')),
      () => vector([]),
    ];
    const waits: number[] = [];
    const { fetch, client: c } = client(() => answers[fetch.calls.length - 1]!(), {
      retries: 3,
      backoff: { initialMs: 100, factor: 3, maxMs: 500, jitter: 0.5 },
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.5,
    });
    await expect(c.query('up')).resolves.toMatchObject({ resultType: 'vector' });
    expect(fetch.calls).toHaveLength(4);
    expect(waits).toEqual([75, 225, 375]); // min(500, 100·3^(n−1)) × (1 − 0.5·0.5)
  });

  it('does not retry what another attempt cannot fix', async () => {
    for (const answer of [() => json({ status: 'error', errorType: 'bad_data', error: 'x' }, 400), () => vector([{ metric: {}, value: [1, 'x'] }]), () => new Response('no', { status: 401 })]) {
      const { fetch, client: c } = client(answer);
      await expect(c.query('up')).rejects.toBeInstanceOf(PrometheusError);
      expect(fetch.calls).toHaveLength(1);
    }
  });

  it('rejects bad options', () => {
    const bad: Array<Partial<PrometheusClientOptions>> = [{ url: 'not a url' }, { url: 'ftp://x' }, { retries: -1 }, { timeoutMs: 0 }, { maxBodyBytes: 0 }, { maxBodyBytes: 1.5 }, { concurrency: 0 }, { backoff: { factor: 0.5 } }];
    for (const options of bad) expect(() => createPrometheusClient({ url: URL_, ...options })).toThrowError(expect.objectContaining({ code: 'InvalidArgument' }));
  });
});

describe('range queries in chunks', () => {
  const T0 = Date.parse('2026-01-05T00:00:00Z');
  const STEP = 60_000;
  /** A counter-like series with a hole, and a second series that only exists later. */
  const series: FakeSeries[] = [
    { labels: { job: 'a' }, at: (t) => (t >= T0 + 5_000 * STEP && t < T0 + 5_100 * STEP ? null : (t - T0) / STEP) },
    { labels: { job: 'b' }, at: (t) => (t >= T0 + 20_000 * STEP ? 1 : null) },
  ];

  it('splits 30,000 points into chunks of at most 11,000 that tile the grid, and stitches them exactly', async () => {
    const chunks: number[] = [];
    const { fetch, client: c } = client((call) => rangeAnswer(series, call.params));
    const r = await c.queryRange('x', { startMs: T0, endMs: T0 + 29_999 * STEP, stepMs: STEP, onChunk: (d, t) => chunks.push(d * 100 + t) });
    expect(fetch.calls.map((call) => [Number(call.params.get('start')), Number(call.params.get('end'))])).toEqual([
      [T0 / 1000, (T0 + 10_999 * STEP) / 1000],
      [(T0 + 11_000 * STEP) / 1000, (T0 + 21_999 * STEP) / 1000],
      [(T0 + 22_000 * STEP) / 1000, (T0 + 29_999 * STEP) / 1000],
    ]);
    expect(chunks.sort()).toEqual([103, 203, 303]);
    expect(r.plan).toMatchObject({ points: 30_000, stepMs: STEP });
    const [a, b] = r.series;
    expect(a!.labels).toEqual({ job: 'a' });
    expect(a!.timestampsMs).toHaveLength(30_000 - 100);
    expect(a!.values.every((v, i) => v === (a!.timestampsMs[i]! - T0) / STEP)).toBe(true);
    expect(b!.timestampsMs).toHaveLength(10_000);
    expect(b!.timestampsMs[0]).toBe(T0 + 20_000 * STEP);
  });

  it('aligns the range to the step unless told not to', async () => {
    const { fetch, client: c } = client((call) => rangeAnswer([], call.params));
    await c.queryRange('x', { startMs: T0 + 90_000, endMs: T0 + 400_000, stepMs: STEP });
    expect([fetch.calls[0]!.params.get('start'), fetch.calls[0]!.params.get('end')]).toEqual([String((T0 + 60_000) / 1000), String((T0 + 360_000) / 1000)]);
    await c.queryRange('x', { startMs: T0 + 90_000, endMs: T0 + 400_000, stepMs: STEP, align: false });
    expect([fetch.calls[1]!.params.get('start'), fetch.calls[1]!.params.get('end')]).toEqual([String((T0 + 90_000) / 1000), String((T0 + 390_000) / 1000)]);
  });

  it('fails as a whole when one chunk fails: no partial series, the other chunks are cancelled', async () => {
    let aborted = 0;
    const { client: c } = client(
      (call) => {
        const start = Number(call.params.get('start')) * 1000;
        if (start === T0 + 11_000 * STEP) return json({ status: 'error', errorType: 'execution', error: 'query processing would load too many samples' }, 422);
        return new Promise<Response>((resolve) => {
          call.init.signal.addEventListener('abort', () => aborted++);
          setTimeout(() => resolve(rangeAnswer(series, call.params)), 30);
        });
      },
      { concurrency: 2 },
    );
    const error = await c.queryRange('x', { startMs: T0, endMs: T0 + 40_000 * STEP, stepMs: STEP }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'QueryFailed', status: 422, errorType: 'execution' });
    expect(aborted).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['a point off the grid', (p: URLSearchParams) => [{ metric: {}, values: [[Number(p.get('start')) + 1, '1']] }], /off the query's grid/],
    ['a point outside its chunk', (p: URLSearchParams) => [{ metric: {}, values: [[Number(p.get('end')) + 60, '1']] }], /off the query's grid/],
    ['points out of order', (p: URLSearchParams) => [{ metric: {}, values: [[Number(p.get('start')) + 60, '1'], [Number(p.get('start')), '1']] }], /goes back in time/],
    ['a repeated point', (p: URLSearchParams) => [{ metric: {}, values: [[Number(p.get('start')), '1'], [Number(p.get('start')), '1']] }], /repeats/],
    ['a duplicate series', (p: URLSearchParams) => [{ metric: { a: '1' }, values: [[Number(p.get('start')), '1']] }, { metric: { a: '1' }, values: [] }], /twice/],
    ['a non-numeric value', (p: URLSearchParams) => [{ metric: {}, values: [[Number(p.get('start')), '1,5']] }], /not a number/],
    ['native histograms', (p: URLSearchParams) => [{ metric: {}, histograms: [[Number(p.get('start')), { count: '1' }]] }], /native histograms/],
  ])('rejects %s', async (_, result, message) => {
    const { client: c } = client((call) => json({ status: 'success', data: { resultType: 'matrix', result: result(call.params) } }));
    await expect(c.queryRange('x', { startMs: T0, endMs: T0 + 100 * STEP, stepMs: STEP })).rejects.toMatchObject({ message: expect.stringMatching(message) });
  });

  it('rejects a vector where a matrix is due, and bad ranges', async () => {
    const { client: c } = client(() => vector([]));
    await expect(c.queryRange('x', { startMs: T0, endMs: T0 + STEP, stepMs: STEP })).rejects.toMatchObject({ code: 'InvalidResponse' });
    await expect(c.queryRange('x', { startMs: T0, endMs: T0 - 1, stepMs: STEP })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(c.queryRange('x', { startMs: T0, endMs: T0 + 1, stepMs: 0 })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(c.queryRange('x', { startMs: T0, endMs: T0 + 1, stepMs: 1.5 })).rejects.toMatchObject({ code: 'InvalidArgument' });
  });

  test.prop(
    [fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 600 }), fc.integer({ min: 2, max: 200 }), fc.boolean(), fc.integer({ min: 0, max: 1e6 })],
    { numRuns: RUNS },
  )('any range stitches back to every instant of the grid once, with no hole or duplicate', async (startS, points, stepS, maxPoints, align, seed) => {
    const step = stepS * 1000;
    const startMs = T0 + startS * 1000;
    const endMs = startMs + points * step + (seed % step);
    const holes = (t: number) => (t / 1000 + seed) % 7 === 0; // some instants have no value
    const truth: FakeSeries[] = [{ labels: { s: '1' }, at: (t) => (holes(t) ? null : t / 1000) }];
    const { fetch, client: c } = client((call) => rangeAnswer(truth, call.params), { maxPointsPerQuery: maxPoints, concurrency: 3 });
    const r = await c.queryRange('x', { startMs, endMs, stepMs: step, align });
    const plan = planRange({ startMs, endMs, stepMs: step, align }, maxPoints);
    expect(fetch.calls).toHaveLength(Math.ceil(plan.points / maxPoints));
    const expected: number[] = [];
    for (let t = plan.startMs; t <= plan.endMs; t += step) if (!holes(t)) expected.push(t);
    expect(r.series.length).toBe(expected.length > 0 ? 1 : 0);
    if (expected.length > 0) {
      expect(r.series[0]!.timestampsMs).toEqual(expected);
      expect(r.series[0]!.values).toEqual(expected.map((t) => t / 1000));
    }
  }, LONG_TEST_TIMEOUT_MS);
});
