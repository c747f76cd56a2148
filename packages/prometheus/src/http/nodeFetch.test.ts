import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScraper } from '../scrape/scrapePods.js';
import { createNodeFetch } from './nodeFetch.js';

let server: Server;
let base: string;
const seen: Array<{ method?: string; accept?: string }> = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ ...(req.method ? { method: req.method } : {}), ...(req.headers.accept ? { accept: req.headers.accept } : {}) });
    if (req.url === '/missing') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end('# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting 3\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createNodeFetch', () => {
  it('answers like fetch: status, headers and body', async () => {
    const f = createNodeFetch();
    const ok = await f.fetch(`${base}/metrics`, { method: 'GET', headers: { accept: 'text/plain' }, signal: AbortSignal.timeout(2000) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/plain; version=0.0.4');
    expect(await ok.text()).toContain('vllm:num_requests_waiting 3');
    const missing = await f.fetch(`${base}/missing`, { method: 'GET', headers: {}, signal: AbortSignal.timeout(2000) });
    expect(missing.status).toBe(404);
    expect(seen[0]).toEqual({ method: 'GET', accept: 'text/plain' });
    f.close();
  });

  it('serves the pod scraper', async () => {
    const f = createNodeFetch();
    const scraper = createScraper({ fetch: f.fetch, timeoutMs: 2000 });
    const [pod] = await scraper.scrape([{ pod: 'a', url: `${base}/metrics` }]);
    expect(pod?.ok).toBe(true);
    f.close();
    scraper.close();
  });

  it('rejects when the server cannot be reached', async () => {
    const f = createNodeFetch();
    await expect(f.fetch('http://127.0.0.1:1/metrics', { method: 'GET', headers: {}, signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    f.close();
  });
});
