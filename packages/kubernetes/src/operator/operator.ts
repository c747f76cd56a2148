/**
 * The operator process: the controller, optionally under Lease leader election, with
 * `/metrics` (prom-client), `/healthz` and `/readyz` served over HTTP, and a graceful
 * stop that lets loops in flight finish, releases the Lease and closes the servers.
 * `prescale operator` is this function behind command-line flags.
 * @module
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { CONTROLLER_NAME } from '../crd/names.js';
import { Controller, type ControllerOptions } from '../controller/controller.js';
import { ControllerMetrics } from '../controller/controllerMetrics.js';
import { KubeClient } from '../controller/kubeClient.js';
import { LeaseElector } from '../controller/leaseElector.js';
import type { HistoryLoader, PodMetricsReader } from '../controller/metricsPort.js';

export type LogFn = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

export interface LeaderElectionOptions {
  /** Namespace of the Lease. */
  namespace: string;
  /** Name of the Lease; default `prescale-operator`. */
  name?: string;
  /** This instance's identity; default the host name. */
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

export interface OperatorOptions {
  kubeConfig: KubeConfig;
  metrics: PodMetricsReader;
  history?: HistoryLoader;
  /** Watch one namespace; default all. */
  namespace?: string;
  /**
   * The Prometheus endpoints PodAutoscalers may name (base URLs; a URL below one of them
   * is allowed too); anything else is not fetched. Default: none.
   */
  allowedEndpoints?: readonly string[];
  /** Lease-based leader election; off when absent. */
  leaderElection?: LeaderElectionOptions;
  /** `host:port` for /metrics; null: off. Default `:8080`. */
  metricsAddress?: string | null;
  /** `host:port` for /healthz and /readyz; null: off. Default `:8081`. */
  healthAddress?: string | null;
  /** Deadline of each API call; default 10 s. */
  requestTimeoutMs?: number;
  loopSeconds?: ControllerOptions['loopSeconds'];
  /** Seconds between writes of a status that means the same; 0: every loop. Default 60 (controller/statusRefresh.ts). */
  statusRefreshSeconds?: number;
  timeScale?: number;
  now?: () => number;
  informer?: ControllerOptions['informer'];
  /** How a target's pods are found: `watch` (default, a pod cache) or `list` (a request per loop). */
  pods?: ControllerOptions['pods'];
  /** The MIP solver of Optimizer PodAutoscalers (the CLI gives HiGHS); without one they hold. */
  solver?: ControllerOptions['solver'];
  log?: LogFn;
}

export interface Operator {
  readonly controller: Controller;
  readonly elector: LeaseElector | null;
  readonly metrics: ControllerMetrics;
  /** Base URLs of the servers actually listening (port 0 picks a free one). */
  readonly metricsUrl: string | null;
  readonly healthUrl: string | null;
  isLeader(): boolean;
  /** Graceful stop: loops finish, the Lease is released, servers close. */
  stop(): Promise<void>;
}

/** Parses `host:port`, `:port` (all interfaces) or a bare port. */
export function parseAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  const host = i > 0 ? address.slice(0, i).replace(/^\[|\]$/g, '') : '0.0.0.0';
  const port = Number(i >= 0 ? address.slice(i + 1) : address);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`not a host:port address: "${address}"`);
  return { host, port };
}

async function listen(address: string, handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const { host, port } = parseAddress(address);
  const server = createServer(handler);
  server.listen(port, host);
  await once(server, 'listening');
  const a = server.address() as AddressInfo;
  return { server, url: `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` };
}

export async function startOperator(options: OperatorOptions): Promise<Operator> {
  const log: LogFn = options.log ?? (() => {});
  const identity = options.leaderElection?.identity ?? CONTROLLER_NAME;
  const client = new KubeClient(options.kubeConfig, { timeoutMs: options.requestTimeoutMs ?? 10_000, instance: identity });
  const metrics = new ControllerMetrics();
  let elector: LeaseElector | null = null;
  const controller = new Controller({
    client,
    metrics: options.metrics,
    ...(options.history ? { history: options.history } : {}),
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(options.allowedEndpoints ? { allowedEndpoints: options.allowedEndpoints } : {}),
    ...(options.loopSeconds ? { loopSeconds: options.loopSeconds } : {}),
    ...(options.statusRefreshSeconds !== undefined ? { statusRefreshSeconds: options.statusRefreshSeconds } : {}),
    ...(options.timeScale ? { timeScale: options.timeScale } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.informer ? { informer: options.informer } : {}),
    ...(options.pods ? { pods: options.pods } : {}),
    ...(options.solver ? { solver: options.solver } : {}),
    isLeader: () => elector === null || elector.isLeader(),
    observer: metrics,
    log,
  });

  const servers: Server[] = [];
  let metricsUrl: string | null = null;
  let healthUrl: string | null = null;
  let stopping = false;
  const metricsAddress = options.metricsAddress === undefined ? ':8080' : options.metricsAddress;
  const healthAddress = options.healthAddress === undefined ? ':8081' : options.healthAddress;
  if (metricsAddress !== null) {
    const m = await listen(metricsAddress, (req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      metrics.registry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text))
        .catch((error: unknown) => res.writeHead(500).end(String(error)));
    });
    servers.push(m.server);
    metricsUrl = m.url;
  }
  if (healthAddress !== null) {
    const h = await listen(healthAddress, (req, res) => {
      if (req.url === '/healthz') res.writeHead(stopping ? 503 : 200, { 'content-type': 'text/plain' }).end(stopping ? 'stopping\n' : 'ok\n');
      else if (req.url === '/readyz') {
        const ready = controller.synced && !stopping;
        res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ok\n' : 'not synced\n');
      } else res.writeHead(404).end();
    });
    servers.push(h.server);
    healthUrl = h.url;
  }

  await controller.start();
  log('info', 'PodAutoscalers listed', { namespace: options.namespace ?? '(all)', count: controller.keys().length });
  const le = options.leaderElection;
  if (le) {
    elector = new LeaseElector(client, {
      namespace: le.namespace,
      name: le.name ?? CONTROLLER_NAME,
      identity: le.identity,
      ...(le.leaseDurationMs ? { leaseDurationMs: le.leaseDurationMs } : {}),
      ...(le.renewDeadlineMs ? { renewDeadlineMs: le.renewDeadlineMs } : {}),
      ...(le.retryPeriodMs ? { retryPeriodMs: le.retryPeriodMs } : {}),
      onStartedLeading: () => {
        log('info', 'became leader', { identity: le.identity });
        metrics.leader(true);
        controller.activate();
      },
      onStoppedLeading: () => {
        log('warn', 'lost leadership', { identity: le.identity });
        metrics.leader(false);
        controller.deactivate();
      },
      onError: (error) => log('warn', 'lease update failed', { error: error instanceof Error ? error.message : String(error) }),
    });
    elector.start();
  } else {
    metrics.leader(true);
    controller.activate();
  }

  return {
    controller,
    elector,
    metrics,
    metricsUrl,
    healthUrl,
    isLeader: () => elector === null || elector.isLeader(),
    async stop() {
      if (stopping) return;
      stopping = true;
      log('info', 'stopping: finishing loops in flight');
      controller.deactivate();
      await controller.stop();
      await elector?.stop();
      client.close();
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      log('info', 'stopped');
    },
  };
}
