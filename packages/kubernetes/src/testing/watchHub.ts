/**
 * The stand-in's watches: a watch from no version (or 0) starts with every matching
 * object as ADDED; from a version, it replays the later changes, or answers a version
 * older than the history with an `ERROR` event carrying 410 Gone (`Expired`), as after
 * etcd compaction. Watches that ask for them (`allowWatchBookmarks`) get `BOOKMARK`s;
 * `timeoutSeconds` ends a watch.
 * @module
 */
import type { ServerResponse } from 'node:http';
import { matchesLabels, parseLabelSelector } from '../controller/labelSelector.js';
import type { ObjectStore, WatchEvent } from './objectStore.js';
import { apiVersionOf, resourceKey, type ResourceType } from './resources.js';

interface Watcher {
  resource: ResourceType;
  namespace: string | null;
  selector: ReturnType<typeof parseLabelSelector> | null;
  res: ServerResponse;
  bookmarks: boolean;
  timer: NodeJS.Timeout | null;
}

function matches(w: Watcher, e: WatchEvent): boolean {
  if (e.resource !== resourceKey(w.resource)) return false;
  if (w.namespace !== null && e.object.metadata?.namespace !== w.namespace) return false;
  return w.selector === null || matchesLabels(w.selector, e.object.metadata?.labels);
}

function send(w: Watcher, type: string, object: unknown): void {
  w.res.write(`${JSON.stringify({ type, object })}\n`);
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();

  constructor(
    private readonly store: ObjectStore,
    private readonly bookmarkIntervalMs: number,
  ) {}

  get open(): number {
    return this.watchers.size;
  }

  /** Sends a stored change to the watches it matches. */
  dispatch(event: WatchEvent): void {
    for (const w of this.watchers) if (matches(w, event)) send(w, event.type, event.object);
  }

  /** Ends every open watch abruptly, as a load balancer or a restarted server would. */
  dropAll(): void {
    for (const w of this.watchers) {
      if (w.timer) clearInterval(w.timer);
      w.res.socket?.destroy();
    }
    this.watchers.clear();
  }

  /** Serves a watch request on `res`. */
  serve(r: ResourceType, namespace: string | null, query: Record<string, string>, res: ServerResponse): void {
    const selector = query.labelSelector ? parseLabelSelector(query.labelSelector) : null;
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders(); // as the API server: the client sees the watch open before any event
    const w: Watcher = { resource: r, namespace, selector, res, bookmarks: query.allowWatchBookmarks === 'true', timer: null };
    const from = query.resourceVersion ? Number(query.resourceVersion) : null;
    const compacted = this.store.compactedVersion;
    if (from !== null && from !== 0 && from < compacted) {
      send(w, 'ERROR', {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `too old resource version: ${from} (${compacted})`,
        reason: 'Expired',
        code: 410,
      });
      res.end();
      return;
    }
    if (from === null || from === 0) {
      for (const o of this.store.all(r)) {
        const e: WatchEvent = { rv: 0, type: 'ADDED', resource: resourceKey(r), object: o };
        if (matches(w, e)) send(w, 'ADDED', o);
      }
    } else {
      for (const e of this.store.since(from)) if (matches(w, e)) send(w, e.type, e.object);
    }
    this.watchers.add(w);
    if (w.bookmarks) {
      w.timer = setInterval(() => {
        send(w, 'BOOKMARK', { kind: r.kind, apiVersion: apiVersionOf(r), metadata: { resourceVersion: String(this.store.version) } });
      }, this.bookmarkIntervalMs);
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
}
