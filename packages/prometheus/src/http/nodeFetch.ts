/**
 * A `fetch` on `node:http`/`node:https` for long-running pod scrapers. The global
 * `fetch` (undici 6) keeps one connection pool per origin for the life of the process and
 * never removes it (undici's `Agent` says so in its source): a process scraping
 * thousands of pods, whose IP addresses change with every rollout, would hold a pool for
 * every pod it ever scraped (about 130 MB for 2,000 pods in the operator's benchmark).
 * Node's `http.Agent` drops a host's entry when its last socket closes. Pods' serving
 * certificates are rarely issued for their IPs, so https scrapes do not verify them (as
 * AIBrix's fetcher); the scraper's `tls` option does not apply to this `fetch`. The body
 * is streamed, not buffered, so the scraper's body cap bounds what a page costs.
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

/** Statuses whose Response has no body (the WHATWG constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * The response as a web stream that reads from the socket only as fast as the reader
 * asks (the reader stops at the body cap, request.ts); cancelling it destroys the
 * response and its socket, so the rest of a huge page is never received.
 */
function streamBody(res: http.IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let ended = false;
      const end = (how: () => void): void => {
        if (ended) return;
        ended = true;
        try {
          how();
        } catch {
          // Already cancelled by the reader.
        }
      };
      res.on('data', (chunk: Buffer) => {
        if (ended) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) res.pause();
      });
      res.on('end', () => end(() => controller.close()));
      res.on('error', (error) => end(() => controller.error(error)));
      // A connection that closes before the end: the body broke off.
      res.on('close', () => end(() => controller.error(new Error('the connection closed before the body ended'))));
    },
    pull() {
      res.resume();
    },
    cancel() {
      res.destroy();
    },
  });
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
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
        const status = res.statusCode ?? 500;
        if (NULL_BODY.has(status)) {
          res.resume();
          resolve(new Response(null, { status, headers }));
          return;
        }
        resolve(new Response(streamBody(res), { status, headers }));
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
