/**
 * An in-process stand-in for the Kubernetes API server, for testing the operator
 * through the real `@kubernetes/client-node` over HTTP on loopback. It implements the
 * subset the operator uses, with Kubernetes' semantics
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/):
 *
 * - one global, increasing `resourceVersion` (etcd's revision); an update or patch that
 *   carries a `metadata.resourceVersion` other than the stored one fails with 409
 *   Conflict; create of an existing name fails with 409 AlreadyExists;
 * - list (with `labelSelector`) returns the list's `resourceVersion`; watch from a
 *   `resourceVersion` replays later events, sends `BOOKMARK`s when asked
 *   (`allowWatchBookmarks`), and answers a version older than its history with an
 *   `ERROR` event carrying 410 Gone (`Expired`), as after etcd compaction;
 * - `status` subresources (the main resource ignores status, `/status` ignores the
 *   rest; `metadata.generation` counts spec changes) and the `scale` subresource of
 *   apps/v1 workloads (an `autoscaling/v1` Scale over `spec.replicas`);
 * - merge patch and JSON patch (415 for strategic merge on custom resources, as the
 *   real server); `MicroTime` fields of Events and Leases checked (422 otherwise);
 *   errors as `Status` objects.
 *
 * Tests add faults (an error status, a delay, a dropped connection) per request
 * pattern, drop every watch, compact the history, and read the request log, which
 * records the bearer token of each request as its user.
 *
 * Its place since the e2e suite (packages/kubernetes/e2e) runs the operator against a
 * real kube-apiserver and etcd: the faults a real server cannot be made to produce on
 * demand (an injected 500, a call that never answers, a connection dropped mid-watch),
 * and the fast unit tests of `pnpm test`, which must run without a server. API
 * behaviour (CRD validation, subresources, RBAC, conflicts, watch expiry, Leases) is
 * tested against the real server.
 *
 * This file is the server and its test controls; the storage is objectStore.ts, the
 * watches watchHub.ts, the request paths routes.ts, the faults faults.ts.
 * @module
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { ApiError, statusBody } from './apiError.js';
import { type FaultRule, takeFault } from './faults.js';
import { type KubeObject, ObjectStore, type WatchEvent } from './objectStore.js';
import { apiVersionOf, DEFAULT_RESOURCES, type ResourceType } from './resources.js';
import { route, type Routes } from './routes.js';
import { WatchHub } from './watchHub.js';

export type { FaultRule } from './faults.js';
export type { KubeObject } from './objectStore.js';

export interface RequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The bearer token, or '' for none. */
  user: string;
  contentType: string;
  status: number;
  /** Parsed body of writes. */
  body?: unknown;
  at: number;
}

export interface FakeApiServerOptions {
  resources?: readonly ResourceType[];
  /** Interval of BOOKMARK events on watches that ask for them; default 1000 ms. */
  bookmarkIntervalMs?: number;
  /** Watch events kept for replay; older versions get 410 Gone. Default 10,000. */
  historyLimit?: number;
  /** Keep a log of requests (default true; benchmarks turn it off). */
  recordRequests?: boolean;
}

type WriteListener = (type: WatchEvent['type'], object: KubeObject, resource: ResourceType) => void;

export class FakeApiServer {
  readonly resources: readonly ResourceType[];
  readonly requests: RequestRecord[] = [];
  private readonly store: ObjectStore;
  private readonly watches: WatchHub;
  private readonly routes: Routes;
  private readonly sockets = new Set<Socket>();
  private readonly faults: FaultRule[] = [];
  private readonly writeListeners = new Set<WriteListener>();
  private server: Server | null = null;
  url = '';

  constructor(private readonly options: FakeApiServerOptions = {}) {
    this.resources = options.resources ?? DEFAULT_RESOURCES;
    this.store = new ObjectStore(this.resources, options.historyLimit ?? 10_000, (event, r) => {
      this.watches.dispatch(event);
      for (const l of this.writeListeners) l(event.type, structuredClone(event.object), r);
    });
    this.watches = new WatchHub(this.store, options.bookmarkIntervalMs ?? 1000);
    this.routes = { resources: this.resources, store: this.store, watches: this.watches };
  }

  /** Listens on 127.0.0.1 (a free port unless given); resolves to the base URL. */
  async start(port = 0): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 60_000;
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    this.dropWatches();
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ---- test controls -------------------------------------------------------------

  /** Adds a fault; returns a function that removes it. */
  addFault(rule: FaultRule): () => void {
    this.faults.push(rule);
    return () => {
      const i = this.faults.indexOf(rule);
      if (i >= 0) this.faults.splice(i, 1);
    };
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Ends every open watch abruptly, as a load balancer or a restarted server would. */
  dropWatches(): void {
    this.watches.dropAll();
  }

  /** Forgets the event history: a watch from any older resourceVersion gets 410 Gone. */
  compact(): void {
    this.store.compact();
  }

  get resourceVersion(): string {
    return String(this.store.version);
  }

  get openWatches(): number {
    return this.watches.open;
  }

  /** Called after every stored change (in-process, for test harnesses). */
  onWrite(listener: WriteListener): () => void {
    this.writeListeners.add(listener);
    return () => this.writeListeners.delete(listener);
  }

  /** A resource by plural, kind or `plural.group` (`events.events.k8s.io`). */
  resource(kindOrPlural: string): ResourceType {
    const r =
      this.resources.find((x) => x.group !== '' && `${x.plural}.${x.group}` === kindOrPlural) ??
      this.resources.find((x) => x.plural === kindOrPlural || x.kind === kindOrPlural);
    if (!r) throw new Error(`unknown resource ${kindOrPlural}`);
    return r;
  }

  /** A copy of the stored object, or undefined. */
  get(kindOrPlural: string, namespace: string, name: string): KubeObject | undefined {
    const o = this.store.find(this.resource(kindOrPlural), namespace, name);
    return o ? structuredClone(o) : undefined;
  }

  list(kindOrPlural: string, namespace?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const o of this.store.all(this.resource(kindOrPlural))) {
      if (namespace === undefined || o.metadata?.namespace === namespace) out.push(structuredClone(o));
    }
    return out;
  }

  /** Creates or replaces an object directly (test setup), as a write through the API would. */
  apply(object: KubeObject): KubeObject {
    const r = this.resources.find((x) => x.kind === object.kind && apiVersionOf(x) === object.apiVersion);
    if (!r) throw new Error(`unknown kind ${String(object.apiVersion)} ${String(object.kind)}`);
    const ns = r.namespaced ? (object.metadata?.namespace ?? 'default') : '';
    const name = object.metadata?.name ?? '';
    const existing = this.store.find(r, ns, name);
    const copy = structuredClone(object);
    if (copy.metadata) delete copy.metadata.resourceVersion;
    return existing ? this.store.update(r, ns, name, copy, existing) : this.store.create(r, ns, copy);
  }

  /** Deletes an object directly. */
  remove(kindOrPlural: string, namespace: string, name: string): void {
    const r = this.resource(kindOrPlural);
    const existing = this.store.find(r, namespace, name);
    if (existing) this.store.delete(r, namespace, name, existing);
  }

  // ---- HTTP ----------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(url.searchParams.entries());
    const method = req.method ?? 'GET';
    const auth = req.headers.authorization ?? '';
    const user = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    const entry: RequestRecord = { method, path: url.pathname, query, user, contentType, status: 0, at: Date.now() };
    const answer = (status: number, payload: unknown): void => {
      entry.status = status;
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    try {
      if (raw !== '') {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new ApiError(400, 'BadRequest', 'the request body is not JSON');
        }
        entry.body = body;
      }
      if (this.options.recordRequests !== false) this.requests.push(entry);
      const fault = takeFault(this.faults, { method, path: url.pathname, user, body, query });
      if (fault) {
        if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
        if (fault.drop) {
          entry.status = -1;
          req.socket.destroy();
          return;
        }
        if (fault.status) throw new ApiError(fault.status, fault.status === 504 ? 'Timeout' : 'InternalError', `injected fault ${fault.status}`);
      }
      route(this.routes, { method, path: url.pathname, query, contentType, body }, res, answer);
    } catch (error) {
      if (error instanceof ApiError) answer(error.code, statusBody(error.code, error.reason, error.message));
      else answer(500, statusBody(500, 'InternalError', String(error)));
    }
  }
}
