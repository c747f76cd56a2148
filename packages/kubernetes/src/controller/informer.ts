/**
 * A list+watch cache of PodAutoscalers on client-node's `ListWatch`, with what it lacks
 * (reference/ecosystem.md 2.2): watches ask for BOOKMARKs so a restart resumes from a
 * recent resourceVersion; the informer, which stops on any watch error, is restarted
 * after a delay (a 410 Gone relists by itself); `stop()`'s own `error` event does not
 * resurrect it; and a watchdog restarts a watch that has been silent too long (watches
 * behind load balancers die without a word).
 * @module
 */
import { type KubeConfig, ListWatch, Watch } from '@kubernetes/client-node';

export interface InformerHandlers<T> {
  add(object: T): void;
  update(object: T): void;
  delete(object: T): void;
  /** A watch or list failure (the informer restarts itself). */
  error?(error: unknown): void;
}

export interface InformerOptions {
  /** Wait before restarting after an error; default 1 s, doubling to 30 s. */
  restartDelayMs?: number;
  /** Restart when nothing (not even a bookmark) arrived for this long; default 5 min. */
  watchdogMs?: number;
}

/** Turns each listed or watched object into what the cache keeps (e.g. only the fields used). */
export type InformerTransform<T> = (object: T) => T;

type ListFn<T> = () => Promise<{ metadata?: { resourceVersion?: string }; items: T[] }>;

export class Informer<T extends { metadata?: { name?: string; namespace?: string } }> {
  private listWatch: ListWatch<T & object> | null = null;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private lastActivity = 0;
  private failures = 0;
  /** Incremented on every (re)start; callbacks of older runs are ignored. */
  private run = 0;
  private syncedOnce = false;
  /** Restarts after errors or silence, for tests and metrics. */
  restarts = 0;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly path: string,
    private readonly listFn: ListFn<T>,
    private readonly handlers: InformerHandlers<T>,
    private readonly options: InformerOptions = {},
    private readonly transform: InformerTransform<T> = (o) => o,
  ) {}

  /** True once the first list has been delivered. */
  get synced(): boolean {
    return this.syncedOnce;
  }

  /** Starts listing and watching; resolves after the first successful list. */
  async start(): Promise<void> {
    this.stopping = false;
    const watchdogMs = this.options.watchdogMs ?? 300_000;
    this.watchdog = setInterval(() => {
      if (!this.stopping && Date.now() - this.lastActivity > watchdogMs) this.restart();
    }, Math.max(50, Math.min(watchdogMs / 4, 30_000)));
    this.watchdog.unref();
    await this.begin();
  }

  /** Stops for good: no restart, no more callbacks. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.run += 1;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.restartTimer = null;
    this.watchdog = null;
    const lw = this.listWatch;
    this.listWatch = null;
    await lw?.stop();
  }

  list(): T[] {
    return [...(this.listWatch?.list() ?? [])];
  }

  /** The cached objects of one namespace. */
  listNamespace(namespace: string): T[] {
    return [...(this.listWatch?.list(namespace) ?? [])];
  }

  get(name: string, namespace: string): T | undefined {
    return this.listWatch?.get(name, namespace);
  }

  private async begin(): Promise<void> {
    const run = ++this.run;
    const previous = this.listWatch;
    const watch = new Watch(this.kubeConfig);
    const live = (): boolean => run === this.run && !this.stopping;
    const touch = (): void => {
      if (live()) this.lastActivity = Date.now();
    };
    // A Watch that asks for bookmarks and reports activity.
    const bookmarking = {
      watch: (path: string, query: Record<string, unknown>, cb: (phase: string, obj: unknown, w: unknown) => void, done: (err: unknown) => void) => {
        touch();
        return watch.watch(path, { ...query, allowWatchBookmarks: true }, (phase: string, obj: unknown, w: unknown) => {
          touch();
          cb(phase, phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED' ? this.transform(obj as T) : obj, w);
        }, done);
      },
    } as unknown as Watch;
    const list = async () => {
      const result = await this.listFn();
      touch();
      return { ...result, items: result.items.map(this.transform) };
    };
    const lw = new ListWatch<T & object>(this.path, bookmarking, list as never, false);
    // Carry the cache over a restart so the relist reports deletions, not everything anew
    // (ListWatch's own `objects` map; client-node is pinned at 1.4.0).
    if (previous) {
      (lw as unknown as { objects: unknown }).objects = (previous as unknown as { objects: unknown }).objects;
    }
    lw.on('add', (o) => live() && this.handlers.add(o));
    lw.on('update', (o) => live() && this.handlers.update(o));
    lw.on('delete', (o) => live() && this.handlers.delete(o));
    lw.on('connect', () => touch());
    lw.on('error', (err) => {
      if (!live()) return; // our own stop() aborts the watch with an error
      this.handlers.error?.(err);
      this.scheduleRestart();
    });
    this.listWatch = lw;
    await previous?.stop(); // its abort error is ignored: its run is no longer current
    this.lastActivity = Date.now();
    await lw.start();
    if (live() && (lw as unknown as { resourceVersion: string }).resourceVersion !== '') {
      this.syncedOnce = true;
      this.failures = 0;
    }
  }

  private scheduleRestart(): void {
    if (this.stopping || this.restartTimer) return;
    const base = this.options.restartDelayMs ?? 1000;
    const delay = Math.min(30_000, base * 2 ** Math.min(this.failures, 5));
    this.failures += 1;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.restart();
    }, delay);
    this.restartTimer.unref();
  }

  private restart(): void {
    if (this.stopping) return;
    this.restarts += 1;
    this.begin().catch((err: unknown) => {
      this.handlers.error?.(err);
      this.scheduleRestart();
    });
  }
}
