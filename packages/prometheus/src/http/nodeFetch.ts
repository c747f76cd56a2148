/**
 * A `fetch` on `node:http`/`node:https` for long-running pod scrapers. The global
 * `fetch` (undici 6) keeps one connection pool per origin for the life of the process and
 * never removes it (undici's `Agent` says so in its source): a process scraping
 * thousands of pods, whose IP addresses change with every rollout, would hold a pool for
 * every pod it ever scraped (about 130 MB for 2,000 pods in the operator's benchmark).
 * Node's `http.Agent` drops a host's entry when its last socket closes. Pods' serving
 * certificates are rarely issued for their IPs, so https scrapes do not verify them (as
 * AIBrix's fetcher); the scraper's `tls` option does not apply to this `fetch`.
 * @module
 */
import http from 'node:http';
import https from 'node:https';
import type { FetchLike } from './request.js';

export interface NodeFetch {
  fetch: FetchLike;
  /** Closes the kept-alive sockets. */
  close(): void;
}

/** Pass `fetch` to `createScraper({ fetch })`; call `close()` when done. */
export function createNodeFetch(): NodeFetch {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxFreeSockets: 1, scheduling: 'lifo' }),
    'https:': new https.Agent({ keepAlive: true, maxFreeSockets: 1, scheduling: 'lifo', rejectUnauthorized: false }),
  };
  const fetch: FetchLike = (url, init) =>
    new Promise((resolve, reject) => {
      const u = new URL(url);
      const lib = u.protocol === 'https:' ? https : http;
      const agent = u.protocol === 'https:' ? agents['https:'] : agents['http:'];
      const req = lib.request(u, { method: init.method, headers: init.headers, agent, signal: init.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers }));
        });
      });
      req.on('error', reject);
      if (init.body !== undefined) req.write(init.body);
      req.end();
    });
  return {
    fetch,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
