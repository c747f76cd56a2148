import { describe, expect, it, vi } from 'vitest';
import { createNodeFetch } from '../http/nodeFetch.js';
import { fakeFetch } from '../testSupport/fakeFetch.js';
import { LONG_TEST_TIMEOUT_MS } from '../testSupport/runs.js';
import { serveOnLoopback } from '../testSupport/metricsServer.js';
import { freePort } from '../testSupport/realPrometheus.js';
import { scrapePods } from './scrapePods.js';

describe('scrapePods', () => {
  it('scrapes pods on loopback concurrently; each failure is typed, in order, and never a page of zeros', async () => {
    const server = await serveOnLoopback(async (request, response) => {
      const path = request.url ?? '';
      if (path === '/ok') return void response.end('# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting 4\n');
      if (path === '/om') {
        response.setHeader('content-type', 'application/openmetrics-text; version=1.0.0');
        return void response.end('# TYPE vllm:request_success counter\nvllm:request_success_total 9\n# EOF\n');
      }
      if (path === '/boom') {
        response.statusCode = 500;
        return void response.end('engine dead');
      }
      if (path === '/slow') return; // never answers (the server closes it at the end)
      if (path === '/html') return void response.end('<html><body>login</body></html>');
      if (path === '/cut') return void response.end('# TYPE a gauge\na 1\nb 2');
      response.statusCode = 404;
      response.end();
    });
    const base = server.url.replace('/metrics', '');
    const closed = await freePort();
    let clock = 1_000;
    try {
      const pods = ['ok', 'om', 'boom', 'slow', 'html', 'cut'].map((p) => ({ pod: p, url: `${base}/${p}` }));
      pods.push({ pod: 'gone', url: `http://127.0.0.1:${closed}/metrics` });
      // A timeout the other pods meet even on a busy machine: the slow one never answers.
      const results = await scrapePods(pods, { timeoutMs: 2_000, now: () => (clock += 5) });
      expect(results.map((r) => r.pod)).toEqual(['ok', 'om', 'boom', 'slow', 'html', 'cut', 'gone']);
      expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'ok', 'HttpStatus', 'Timeout', 'InvalidExposition', 'InvalidExposition', 'Unreachable']);
      const [ok, om, boom, , html, cut, gone] = results;
      expect(ok!.ok && ok!.families[0]!.samples[0]!.value).toBe(4);
      expect(om!.ok && om!.families[0]).toMatchObject({ name: 'vllm:request_success', type: 'counter' });
      expect(!boom!.ok && boom!.error).toMatchObject({ status: 500, url: `${base}/boom`, message: expect.stringMatching(/engine dead/) });
      expect(!html!.ok && html!.error).toMatchObject({ line: 1, url: `${base}/html` });
      expect(!cut!.ok && cut!.error.message).toMatch(/cut off/);
      expect(!gone!.ok && gone!.error.message).toMatch(/ECONNREFUSED/);
      expect(results.every((r) => r.atMs > 1_000 && r.durationMs >= 0)).toBe(true);
    } finally {
      await server.close();
    }
  }, LONG_TEST_TIMEOUT_MS);

  it('asks for OpenMetrics first, sends auth, and keeps at most `concurrency` scrapes in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const fetch = fakeFetch(async () => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return new Response('up 1\n');
    });
    const targets = Array.from({ length: 9 }, (_, i) => ({ pod: `p${i}`, url: `http://user:pw@10.0.0.${i}:8000/metrics` }));
    const results = await scrapePods(targets, { fetch, concurrency: 3 });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(most).toBe(3);
    // Credentials in a URL go as basic auth (fetch refuses them in URLs) and are never shown.
    expect(fetch.calls[0]!.url.username).toBe('');
    expect(fetch.calls[0]!.init.headers).toMatchObject({ accept: expect.stringMatching(/^application\/openmetrics-text/), authorization: `Basic ${Buffer.from('user:pw').toString('base64')}` });
    expect(results[0]!.url).toBe('http://10.0.0.0:8000/metrics');
    const bearer = await scrapePods(targets.slice(0, 1), { fetch, auth: { type: 'bearer', token: 'sa-token' } });
    expect(bearer[0]!.ok).toBe(true);
    expect(fetch.calls.at(-1)!.init.headers.authorization).toBe('Bearer sa-token');
  });

  it('reads a page only up to maxBodyBytes: a larger or endless page fails that pod with BodyTooLarge, the others succeed', async () => {
    const line = '# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting 4\n';
    const chunk = Buffer.from(`${'# padding '.repeat(1600)}\n`); // 16 KB of comment lines
    let endlessSent = 0;
    let endlessClosed = false;
    const server = await serveOnLoopback(async (request, response) => {
      const path = request.url ?? '';
      if (path === '/ok') return void response.end(line);
      if (path === '/big') {
        // 1 MB, chunked (no Content-Length), then a valid end.
        for (let i = 0; i < 64; i++) response.write(chunk);
        return void response.end(line);
      }
      if (path === '/declared') {
        response.setHeader('content-length', String(64 * chunk.length + line.length));
        for (let i = 0; i < 64; i++) response.write(chunk);
        return void response.end(line);
      }
      if (path === '/endless') {
        response.on('close', () => (endlessClosed = true));
        while (!response.destroyed) {
          endlessSent += chunk.length;
          if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve).once('close', resolve));
        }
        return;
      }
      response.statusCode = 404;
      response.end();
    });
    const base = server.url.replace('/metrics', '');
    const node = createNodeFetch();
    try {
      const pods = ['ok', 'big', 'declared', 'endless'].map((p) => ({ pod: p, url: `${base}/${p}` }));
      for (const fetch of [undefined, node.fetch]) {
        endlessSent = 0;
        const results = await scrapePods(pods, { maxBodyBytes: 64 * 1024, timeoutMs: 10_000, ...(fetch ? { fetch } : {}) });
        expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'BodyTooLarge', 'BodyTooLarge', 'BodyTooLarge']);
        for (const r of results.slice(1)) {
          expect(!r.ok && r.error).toMatchObject({ url: r.url, message: expect.stringMatching(/BodyTooLarge: the response body is larger than the 64 KiB cap .*\(http:\/\/127\.0\.0\.1:\d+\/\w+\)$/) });
        }
        expect(!results[2]!.ok && results[2]!.error.message).toMatch(/Content-Length 1024\d+ bytes/);
        // The endless page was dropped soon after the cap, not read on until the timeout.
        await vi.waitFor(() => expect(endlessClosed).toBe(true));
        expect(endlessSent).toBeLessThan(16 * 1024 * 1024);
      }
      // The default cap: 10 MiB.
      const [endless] = await scrapePods(pods.slice(3), { timeoutMs: 10_000 });
      expect(!endless!.ok && endless!.error.message).toMatch(/larger than the 10 MiB cap/);
      await expect(scrapePods([], { maxBodyBytes: 0 })).rejects.toMatchObject({ code: 'InvalidArgument' });
    } finally {
      node.close();
      await server.close();
    }
  }, LONG_TEST_TIMEOUT_MS);

  it('returns nothing for no targets and rejects bad options', async () => {
    await expect(scrapePods([])).resolves.toEqual([]);
    await expect(scrapePods([], { concurrency: 0 })).rejects.toMatchObject({ code: 'InvalidArgument' });
  });
});
