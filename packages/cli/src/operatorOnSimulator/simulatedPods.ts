/**
 * Test support (not exported): the simulator's vLLM-like replicas as the pods of a
 * Deployment in the stand-in cluster, each serving its `/metrics` page on its own
 * loopback address, so the operator scrapes them over HTTP as it would scrape vLLM.
 * Requests arrive at a set rate, evenly spaced, routed to the ready replica with the
 * fewest requests; a new pod becomes ready after a fixed cold start. Simulated time
 * only moves when the test calls {@link SimulatedPods.advanceTo}, so the pages are
 * stable while the operator reads them.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FakeApiServer, pod } from '@prescale/kubernetes/testing';
import { gpuProfile, renderExposition, Replica, RequestPool } from '@prescale/simulator';

export class SimulatedPods {
  readonly pool = new RequestPool();
  readonly gpu = gpuProfile('V100');
  private readonly replicas = new Map<string, { replica: Replica; ip: string; readyAt: number }>();
  private readonly byIp = new Map<string, string>();
  private server: Server | null = null;
  port = 0;
  /** Simulated time, s. */
  t = 0;
  /** Requests per second arriving now. */
  rate = 0;
  private nextArrival = 0;
  private ids = 0;
  completed = 0;

  constructor(
    private readonly api: FakeApiServer,
    private readonly app: string,
    private readonly coldStartSeconds = 30,
    private readonly tokens = { input: 512, output: 128 },
  ) {}

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const name = this.byIp.get(req.socket.localAddress ?? '');
      const r = name ? this.replicas.get(name) : undefined;
      if (!r || r.replica.phase !== 'ready' || req.url !== '/metrics') {
        res.writeHead(r ? 503 : 404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(renderExposition(r.replica.gauges(), r.replica.metrics, { numGpuBlocks: this.gpu.kvBlocks, modelName: this.app }));
    });
    server.listen(0, '0.0.0.0');
    await once(server, 'listening');
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }

  /** The loopback address of pod `name` (127.2.0.x, one per pod). */
  ipFor(name: string): string {
    const existing = this.replicas.get(name)?.ip;
    if (existing) return existing;
    const ip = `127.2.${Math.floor(this.ids / 250)}.${(this.ids % 250) + 1}`;
    this.ids += 1;
    const replica = new Replica(this.ids, name, this.gpu, this.pool, {
      completed: (req) => {
        this.completed += 1;
        this.pool.release(req);
      },
      aborted: (req) => this.pool.release(req),
      interToken: () => {},
    });
    this.replicas.set(name, { replica, ip, readyAt: this.t + this.coldStartSeconds });
    this.byIp.set(ip, name);
    return ip;
  }

  /** The replica behind pod `name`. */
  replica(name: string): Replica | undefined {
    return this.replicas.get(name)?.replica;
  }

  /** Forgets pods the cluster no longer has (their requests are dropped). */
  private prune(): void {
    const live = new Set(this.api.list('pods').map((p) => p.metadata?.name));
    for (const [name, r] of this.replicas) {
      if (!live.has(name)) {
        r.replica.abortAll(this.t);
        this.replicas.delete(name);
        this.byIp.delete(r.ip);
      }
    }
  }

  private endRunsUpTo(t: number): void {
    for (;;) {
      let next: Replica | null = null;
      for (const { replica } of this.replicas.values()) if (replica.phase === 'ready' && replica.runEnd <= t && (!next || replica.runEnd < next.runEnd)) next = replica;
      if (!next) return;
      next.endRun();
    }
  }

  /** Moves simulated time to `t` (s): cold starts finish, requests arrive and are served. */
  advanceTo(t: number): void {
    this.prune();
    for (;;) {
      const ready = [...this.replicas.values()].filter((r) => r.replica.phase === 'ready');
      const arrival = this.rate > 0 ? this.nextArrival : Infinity;
      const readyNext = Math.min(...[...this.replicas.values()].filter((r) => r.replica.phase !== 'ready').map((r) => r.readyAt), Infinity);
      const at = Math.min(arrival, readyNext);
      if (at > t) break;
      this.endRunsUpTo(at);
      if (readyNext <= arrival) {
        for (const [name, r] of this.replicas) {
          if (r.replica.phase !== 'ready' && r.readyAt <= at) {
            r.replica.phase = 'ready';
            r.replica.readyAt = at;
            r.replica.clock = at;
            this.api.apply(pod(name, this.app, r.ip, { ready: true }));
          }
        }
        continue;
      }
      if (ready.length > 0) {
        let best = ready[0]!.replica;
        for (const r of ready) if (r.replica.outstanding < best.outstanding) best = r.replica;
        best.enqueue(this.pool.alloc(at, this.tokens.input, this.tokens.output), at);
      }
      this.nextArrival = at + 1 / this.rate;
    }
    this.endRunsUpTo(t);
    for (const { replica } of this.replicas.values()) if (replica.phase === 'ready') replica.syncTo(t);
    if (this.rate > 0 && this.nextArrival < t) this.nextArrival = t;
    this.t = t;
  }

  /** What each ready pod's page says `metric` is now. */
  values(metric: 'vllm:num_requests_running' | 'vllm:num_requests_waiting' | 'vllm:kv_cache_usage_perc'): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, { replica }] of this.replicas) {
      if (replica.phase !== 'ready') continue;
      const g = replica.gauges();
      out[name] = metric === 'vllm:num_requests_running' ? g.running : metric === 'vllm:num_requests_waiting' ? g.waiting : g.kvCacheUsage;
    }
    return out;
  }
}
