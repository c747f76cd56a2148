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
 * @module
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { matchesLabels, parseLabelSelector, selectorString } from '../controller/labelSelector.js';
import { jsonPatch, type JsonPatchOp, mergePatch } from './patch.js';
import { apiVersionOf, DEFAULT_RESOURCES, resourceKey, type ResourceType } from './resources.js';

export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown> & {
    name?: string | undefined;
    namespace?: string | undefined;
    resourceVersion?: string | undefined;
    labels?: Record<string, string> | undefined;
  };
};

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

export interface FaultRule {
  method?: string;
  /** Matched against the path (without the query). */
  path?: RegExp;
  /** Further condition on the request (body parsed for writes). */
  when?: (req: { method: string; path: string; user: string; body: unknown; query: Record<string, string> }) => boolean;
  /** Answer with this status and a Status body instead of serving. */
  status?: number;
  /** Wait this long first (then serve, or fail with `status`). */
  delayMs?: number;
  /** Destroy the connection without an answer. */
  drop?: boolean;
  /** How many requests this rule applies to; default unlimited. */
  times?: number;
}

interface WatchEvent {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: string;
  object: KubeObject;
}

interface Watcher {
  resource: ResourceType;
  namespace: string | null;
  selector: ReturnType<typeof parseLabelSelector> | null;
  res: ServerResponse;
  bookmarks: boolean;
  timer: NodeJS.Timeout | null;
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

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class FakeApiServer {
  readonly resources: readonly ResourceType[];
  readonly requests: RequestRecord[] = [];
  private readonly store = new Map<string, Map<string, KubeObject>>();
  private readonly history: WatchEvent[] = [];
  private readonly watchers = new Set<Watcher>();
  private readonly sockets = new Set<Socket>();
  private readonly faults: FaultRule[] = [];
  private readonly writeListeners = new Set<(type: WatchEvent['type'], object: KubeObject, resource: ResourceType) => void>();
  private rv = 1;
  /** Events at or below this version are gone (compacted). */
  private compactedRv = 0;
  private server: Server | null = null;
  private uidCounter = 0;
  url = '';

  constructor(private readonly options: FakeApiServerOptions = {}) {
    this.resources = options.resources ?? DEFAULT_RESOURCES;
    for (const r of this.resources) this.store.set(resourceKey(r), new Map());
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
    for (const w of this.watchers) {
      if (w.timer) clearInterval(w.timer);
      w.res.socket?.destroy();
    }
    this.watchers.clear();
  }

  /** Forgets the event history: a watch from any older resourceVersion gets 410 Gone. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history.length = 0;
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  get openWatches(): number {
    return this.watchers.size;
  }

  /** Called after every stored change (in-process, for test harnesses). */
  onWrite(listener: (type: WatchEvent['type'], object: KubeObject, resource: ResourceType) => void): () => void {
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
    const r = this.resource(kindOrPlural);
    const o = this.store.get(resourceKey(r))?.get(this.key(r, namespace, name));
    return o ? structuredClone(o) : undefined;
  }

  list(kindOrPlural: string, namespace?: string): KubeObject[] {
    const r = this.resource(kindOrPlural);
    const out: KubeObject[] = [];
    for (const o of this.store.get(resourceKey(r))?.values() ?? []) {
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
    const existing = this.store.get(resourceKey(r))?.get(this.key(r, ns, name));
    const copy = structuredClone(object);
    if (copy.metadata) delete copy.metadata.resourceVersion;
    return existing ? this.write(r, ns, name, copy, 'MODIFIED', existing) : this.create(r, ns, copy);
  }

  /** Deletes an object directly. */
  remove(kindOrPlural: string, namespace: string, name: string): void {
    const r = this.resource(kindOrPlural);
    const existing = this.store.get(resourceKey(r))?.get(this.key(r, namespace, name));
    if (existing) this.delete(r, namespace, name, existing);
  }

  // ---- storage -------------------------------------------------------------------

  private key(r: ResourceType, namespace: string, name: string): string {
    return r.namespaced ? `${namespace}/${name}` : name;
  }

  private nextRv(): number {
    this.rv += 1;
    return this.rv;
  }

  private record(type: WatchEvent['type'], r: ResourceType, object: KubeObject, rv: number): void {
    const event: WatchEvent = { rv, type, resource: resourceKey(r), object };
    this.history.push(event);
    const limit = this.options.historyLimit ?? 10_000;
    if (this.history.length > limit) {
      const dropped = this.history.splice(0, this.history.length - limit);
      this.compactedRv = dropped[dropped.length - 1]?.rv ?? this.compactedRv;
    }
    for (const w of this.watchers) if (this.matches(w, event)) this.send(w, type, object);
    for (const l of this.writeListeners) l(type, structuredClone(object), r);
  }

  private create(r: ResourceType, namespace: string, object: KubeObject): KubeObject {
    const map = this.store.get(resourceKey(r)) as Map<string, KubeObject>;
    const name = object.metadata?.name;
    if (!name) throw new ApiError(422, 'Invalid', 'metadata.name: Required value');
    if (map.has(this.key(r, namespace, name))) throw new ApiError(409, 'AlreadyExists', `${r.plural} "${name}" already exists`);
    const problem = r.validate?.(object);
    if (problem) throw new ApiError(422, 'Invalid', `${r.kind} "${name}" is invalid: ${problem}`);
    const rv = this.nextRv();
    const stored: KubeObject = {
      ...object,
      apiVersion: apiVersionOf(r),
      kind: r.kind,
      metadata: {
        ...(object.metadata ?? {}),
        name,
        ...(r.namespaced ? { namespace } : {}),
        uid: `uid-${++this.uidCounter}`,
        resourceVersion: String(rv),
        generation: 1,
        creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
    };
    map.set(this.key(r, namespace, name), stored);
    this.record('ADDED', r, stored, rv);
    return stored;
  }

  /** Stores `next` over `existing`, checking the resourceVersion precondition. */
  private write(r: ResourceType, namespace: string, name: string, next: KubeObject, type: 'MODIFIED', existing: KubeObject): KubeObject {
    const expected = next.metadata?.resourceVersion;
    if (expected !== undefined && expected !== '' && expected !== existing.metadata?.resourceVersion) {
      throw new ApiError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${r.plural}${r.group ? `.${r.group}` : ''} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    const problem = r.validate?.(next);
    if (problem) throw new ApiError(422, 'Invalid', `${r.kind} "${name}" is invalid: ${problem}`);
    const specChanged = JSON.stringify(next.spec) !== JSON.stringify(existing.spec);
    const rv = this.nextRv();
    const generation = Number(existing.metadata?.generation ?? 1) + (specChanged ? 1 : 0);
    const stored: KubeObject = {
      ...next,
      apiVersion: apiVersionOf(r),
      kind: r.kind,
      metadata: {
        ...(next.metadata ?? {}),
        name,
        ...(r.namespaced ? { namespace } : {}),
        uid: existing.metadata?.uid,
        creationTimestamp: existing.metadata?.creationTimestamp,
        resourceVersion: String(rv),
        generation,
      },
    };
    (this.store.get(resourceKey(r)) as Map<string, KubeObject>).set(this.key(r, namespace, name), stored);
    this.record(type, r, stored, rv);
    return stored;
  }

  private delete(r: ResourceType, namespace: string, name: string, existing: KubeObject): KubeObject {
    (this.store.get(resourceKey(r)) as Map<string, KubeObject>).delete(this.key(r, namespace, name));
    const rv = this.nextRv();
    const gone = { ...existing, metadata: { ...existing.metadata, resourceVersion: String(rv) } };
    this.record('DELETED', r, gone, rv);
    return gone;
  }

  // ---- watch ---------------------------------------------------------------------

  private matches(w: Watcher, e: WatchEvent): boolean {
    if (e.resource !== resourceKey(w.resource)) return false;
    if (w.namespace !== null && e.object.metadata?.namespace !== w.namespace) return false;
    return w.selector === null || matchesLabels(w.selector, e.object.metadata?.labels);
  }

  private send(w: Watcher, type: string, object: unknown): void {
    w.res.write(`${JSON.stringify({ type, object })}\n`);
  }

  private watch(r: ResourceType, namespace: string | null, query: Record<string, string>, res: ServerResponse): void {
    const selector = query.labelSelector ? parseLabelSelector(query.labelSelector) : null;
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders(); // as the API server: the client sees the watch open before any event
    const w: Watcher = { resource: r, namespace, selector, res, bookmarks: query.allowWatchBookmarks === 'true', timer: null };
    const from = query.resourceVersion ? Number(query.resourceVersion) : null;
    if (from !== null && from !== 0 && from < this.compactedRv) {
      this.send(w, 'ERROR', {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `too old resource version: ${from} (${this.compactedRv})`,
        reason: 'Expired',
        code: 410,
      });
      res.end();
      return;
    }
    if (from === null || from === 0) {
      for (const o of this.store.get(resourceKey(r))?.values() ?? []) {
        const e: WatchEvent = { rv: 0, type: 'ADDED', resource: resourceKey(r), object: o };
        if (this.matches(w, e)) this.send(w, 'ADDED', o);
      }
    } else {
      for (const e of this.history) if (e.rv > from && this.matches(w, e)) this.send(w, e.type, e.object);
    }
    this.watchers.add(w);
    if (w.bookmarks) {
      w.timer = setInterval(() => {
        this.send(w, 'BOOKMARK', { kind: r.kind, apiVersion: apiVersionOf(r), metadata: { resourceVersion: String(this.rv) } });
      }, this.options.bookmarkIntervalMs ?? 1000);
      w.timer.unref();
    }
    const end = (): void => {
      if (w.timer) clearInterval(w.timer);
      this.watchers.delete(w);
    };
    res.on('close', end);
    if (query.timeoutSeconds) {
      setTimeout(() => {
        end();
        res.end();
      }, Number(query.timeoutSeconds) * 1000).unref();
    }
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
      const fault = this.faults.find(
        (f) =>
          (f.times === undefined || f.times > 0) &&
          (f.method === undefined || f.method === method) &&
          (f.path === undefined || f.path.test(url.pathname)) &&
          (f.when === undefined || f.when({ method, path: url.pathname, user, body, query })),
      );
      if (fault) {
        if (fault.times !== undefined) fault.times -= 1;
        if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
        if (fault.drop) {
          entry.status = -1;
          req.socket.destroy();
          return;
        }
        if (fault.status) throw new ApiError(fault.status, fault.status === 504 ? 'Timeout' : 'InternalError', `injected fault ${fault.status}`);
      }
      this.route(method, url.pathname, query, contentType, body, res, answer);
    } catch (error) {
      if (error instanceof ApiError) {
        answer(error.code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: error.message, reason: error.reason, code: error.code });
      } else {
        answer(500, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: String(error), reason: 'InternalError', code: 500 });
      }
    }
  }

  private route(
    method: string,
    path: string,
    query: Record<string, string>,
    contentType: string,
    body: unknown,
    res: ServerResponse,
    answer: (status: number, payload: unknown) => void,
  ): void {
    const seg = path.split('/').filter(Boolean);
    let group: string;
    let version: string;
    let rest: string[];
    if (seg[0] === 'api') {
      group = '';
      version = seg[1] ?? '';
      rest = seg.slice(2);
    } else if (seg[0] === 'apis') {
      group = seg[1] ?? '';
      version = seg[2] ?? '';
      rest = seg.slice(3);
    } else throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${path})`);
    let namespace: string | null = null;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1] ?? null;
      rest = rest.slice(2);
    }
    const [plural, name, sub] = rest;
    const r = this.resources.find((x) => x.group === group && x.version === version && x.plural === plural);
    if (!r) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${path})`);
    const map = this.store.get(resourceKey(r)) as Map<string, KubeObject>;
    const ns = namespace ?? '';

    if (name === undefined) {
      if (method === 'GET') {
        if (query.watch === 'true' || query.watch === '1') return this.watch(r, namespace, query, res);
        const selector = query.labelSelector ? parseLabelSelector(query.labelSelector) : null;
        const items = [...map.values()].filter(
          (o) => (namespace === null || o.metadata?.namespace === namespace) && (selector === null || matchesLabels(selector, o.metadata?.labels)),
        );
        return answer(200, { apiVersion: apiVersionOf(r), kind: `${r.kind}List`, metadata: { resourceVersion: String(this.rv) }, items });
      }
      if (method === 'POST') {
        if (!isObject(body)) throw new ApiError(400, 'BadRequest', 'expected an object');
        const o = body as KubeObject;
        if (r.namespaced && o.metadata?.namespace !== undefined && o.metadata.namespace !== ns) {
          throw new ApiError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
        }
        // With a status subresource, a create through the API ignores status.
        const { status: _ignored, ...rest } = o;
        return answer(201, this.create(r, ns, r.status ? (rest as KubeObject) : o));
      }
      throw new ApiError(405, 'MethodNotAllowed', `${method} is not supported on a collection`);
    }

    const existing = map.get(this.key(r, ns, name));
    if (sub !== undefined && sub !== 'status' && !(sub === 'scale' && r.scale)) {
      throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${path})`);
    }
    if (sub === 'status' && !r.status) throw new ApiError(404, 'NotFound', `${r.plural} has no status subresource`);
    if (!existing && method !== 'PUT') throw new ApiError(404, 'NotFound', `${r.plural}${r.group ? `.${r.group}` : ''} "${name}" not found`);
    if (method === 'DELETE') return answer(200, this.delete(r, ns, name, existing as KubeObject));

    if (sub === 'scale') {
      const current = existing as KubeObject;
      const scale = this.scaleOf(current);
      if (method === 'GET') return answer(200, scale);
      let next: unknown;
      if (method === 'PUT') next = body;
      else if (method === 'PATCH') next = this.applyPatch(r, contentType, scale, body);
      else throw new ApiError(405, 'MethodNotAllowed', `${method} is not supported on scale`);
      if (!isObject(next) || !isObject(next.spec)) throw new ApiError(422, 'Invalid', 'Scale.spec: Required value');
      const replicas = next.spec.replicas;
      if (!Number.isInteger(replicas) || (replicas as number) < 0) {
        throw new ApiError(422, 'Invalid', `Scale.spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`);
      }
      const meta = isObject(next.metadata) ? next.metadata : {};
      const updated = this.write(r, ns, name, {
        ...current,
        metadata: { ...current.metadata, resourceVersion: typeof meta.resourceVersion === 'string' ? meta.resourceVersion : undefined },
        spec: { ...(isObject(current.spec) ? current.spec : {}), replicas },
      } as KubeObject, 'MODIFIED', current);
      return answer(200, this.scaleOf(updated));
    }

    if (method === 'GET') return answer(200, existing);
    let next: KubeObject;
    if (method === 'PUT') {
      if (!isObject(body)) throw new ApiError(400, 'BadRequest', 'expected an object');
      if (!existing) return answer(201, this.create(r, ns, body as KubeObject));
      next = body as KubeObject;
    } else if (method === 'PATCH') {
      next = this.applyPatch(r, contentType, existing as KubeObject, body) as KubeObject;
    } else throw new ApiError(405, 'MethodNotAllowed', `${method} is not supported`);
    const current = existing as KubeObject;
    // The status subresource splits writes: /status changes only status, the main
    // resource everything but status.
    if (r.status) {
      if (sub === 'status') next = { ...current, metadata: { ...current.metadata, resourceVersion: next.metadata?.resourceVersion }, status: next.status };
      else next = { ...next, status: current.status } as KubeObject;
      if (next.status === undefined) delete next.status;
    }
    if (method === 'PATCH' && next.metadata?.resourceVersion === current.metadata?.resourceVersion && !this.patchSetsVersion(body)) {
      // A patch without a resourceVersion of its own applies to the latest version.
      next = { ...next, metadata: { ...next.metadata, resourceVersion: undefined } } as KubeObject;
    }
    return answer(200, this.write(r, ns, name, next, 'MODIFIED', current));
  }

  private patchSetsVersion(body: unknown): boolean {
    if (Array.isArray(body)) return body.some((op) => isObject(op) && op.path === '/metadata/resourceVersion');
    return isObject(body) && isObject(body.metadata) && body.metadata.resourceVersion !== undefined;
  }

  private applyPatch(r: ResourceType, contentType: string, target: unknown, body: unknown): unknown {
    switch (contentType) {
      case 'application/merge-patch+json':
        return mergePatch(target, body);
      case 'application/json-patch+json':
        if (!Array.isArray(body)) throw new ApiError(400, 'BadRequest', 'a JSON patch must be an array of operations');
        try {
          return jsonPatch(target, body as JsonPatchOp[]);
        } catch (error) {
          throw new ApiError(422, 'Invalid', `the JSON patch failed: ${(error as Error).message}`);
        }
      case 'application/strategic-merge-patch+json':
        if (r.group !== '' && r.group !== 'apps' && r.group !== 'coordination.k8s.io' && r.group !== 'events.k8s.io') {
          throw new ApiError(415, 'UnsupportedMediaType', 'strategic merge patch is not supported for custom resources');
        }
        return mergePatch(target, body);
      default:
        throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json (got "${contentType}")`);
    }
  }

  /** The autoscaling/v1 Scale of an apps/v1 workload. */
  private scaleOf(o: KubeObject): KubeObject {
    const spec = isObject(o.spec) ? o.spec : {};
    const status = isObject(o.status) ? o.status : {};
    const selector = isObject(spec.selector) && isObject(spec.selector.matchLabels) ? (spec.selector.matchLabels as Record<string, string>) : {};
    return {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: {
        name: o.metadata?.name,
        namespace: o.metadata?.namespace,
        uid: o.metadata?.uid,
        resourceVersion: o.metadata?.resourceVersion,
        creationTimestamp: o.metadata?.creationTimestamp,
      },
      spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 1 },
      status: { replicas: typeof status.replicas === 'number' ? status.replicas : 0, selector: selectorString(selector) },
    };
  }
}
