/**
 * The PodAutoscaler controller: an informer on PodAutoscalers (one namespace or all)
 * and one loop per object at its period (its scaler's default from core unless
 * `loopSeconds` says otherwise). Each loop, as AIBrix's `reconcileCustomPA`
 * (reference/aibrix.md 2.1), runs three phases that hand plain data to each other:
 *
 * 1. **read** (readPhase.ts): check the spec (an invalid one gets `ValidSpec=False`
 *    naming the field, and no scaling; two PodAutoscalers on one target both get
 *    `MultiPodAutoscalerConflict` and neither scales), read the target's `scale`
 *    subresource, list its pods, read their metrics through the {@link PodMetricsReader}
 *    port (a pod without a value is missing, never 0) and a predictive scaler's request
 *    rate;
 * 2. **decide** (decidePhase.ts): restore the scaler state (kept in memory, else
 *    `status.scalerState`, so a restarted or newly elected operator resumes it), load a
 *    predictive scaler's demand history once, and step `@prescale/core`'s scaler;
 * 3. **act** (actPhase.ts): when the decision changes the replicas, and only while
 *    leading, merge-patch the `scale` subresource, conditional on its resourceVersion,
 *    re-reading and retrying on 409 Conflict; then write the status and record the
 *    Events that the pure {@link statusFor} (status.ts) computes from what the loop found.
 *
 * A loop that stops in read or decide writes its conditions (statusFor again) and ends.
 * Only the leader runs loops; a loop in flight checks leadership again right before it
 * scales or writes status.
 * @module
 */
import type { MipSolver, ScalerOptions } from '@prescale/core';
import { GROUP, PLURAL, VERSION } from '../crd/names.js';
import { objectKey, type PodAutoscaler } from '../crd/podAutoscaler.js';
import { DEFAULT_LOOP_SECONDS } from '../crd/scalerSpec.js';
import { EndpointAllowList } from './allowList.js';
import type { LoopObserver } from './controllerMetrics.js';
import { CredentialCache } from './credentials.js';
import { SEED_PENDING } from './decidePhase.js';
import { endpointGate } from './endpointAccess.js';
import { Informer, type InformerOptions } from './informer.js';
import type { KubeClient } from './kubeClient.js';
import { type LoopMemory, type LoopPorts, type LoopResult, runLoop } from './loop.js';
import { errorText, toError } from './loopErrors.js';
import type { HistoryLoader, PodMetricsReader } from './metricsPort.js';
import { PodCache } from './podCache.js';
import { SpecCache, type Strategy, strategyOf } from './specCache.js';
import { DEFAULT_STATUS_REFRESH_SECONDS } from './statusRefresh.js';
import { TargetIndex } from './targetIndex.js';

export interface ControllerOptions {
  client: KubeClient;
  /** The pods' metrics, `prometheus` sources and the request rate. */
  metrics: PodMetricsReader;
  /** A predictive scaler's demand history; without it the scaler learns from the request rate only. */
  history?: HistoryLoader;
  /** Watch one namespace; default all. */
  namespace?: string;
  /** The scalers' clock, ms since the epoch; default Date.now. */
  now?: () => number;
  /** Loop period per strategy in seconds of the scalers' clock; default: core's for the strategy's scaler. */
  loopSeconds?: Partial<Record<Strategy, number>>;
  /**
   * Seconds of the scalers' clock per real second (default 1). Tests run a 10 s loop
   * every 100 ms with 100 and a matching `now`.
   */
  timeScale?: number;
  /**
   * The Prometheus endpoints (base URLs) PodAutoscalers may name, for `prometheus`
   * sources and `predictive.history`; an endpoint not in the list, or below one of them,
   * is not fetched and the PodAutoscaler gets `MetricsAvailable=False` with
   * `EndpointNotAllowed`. Default: none.
   */
  allowedEndpoints?: readonly string[];
  /**
   * The MIP solver of `scalingStrategy: Optimizer` PodAutoscalers (`prescale operator`
   * gives it HiGHS from `@prescale/optimizer`); without one they hold their replicas and
   * say why (ScalingActive=False, NoSolver).
   */
  solver?: MipSolver;
  /** What core's `createScaler` is given besides the spec, e.g. a custom forecaster for the predictive blend. */
  scalerOptions?: ScalerOptions;
  /** Leadership check before every scale and status write; default: always leader. */
  isLeader?: () => boolean;
  observer?: LoopObserver;
  /**
   * How a target's pods are found: `watch` (default) keeps every pod of the watched
   * namespaces in a cache, as the Kubernetes HPA does; `list` makes one LIST request per
   * loop (fresh, but a request per PodAutoscaler per loop).
   */
  pods?: 'watch' | 'list';
  /** Attempts of a scale patch that meets 409 Conflict; default 3. */
  conflictRetries?: number;
  /**
   * Seconds of the scalers' clock between status writes while the status means the same
   * (replicas, conditions, reasons unchanged): the metric values, messages, forecast and
   * persisted scaler state are refreshed this often. 0 writes every loop. Default 60.
   */
  statusRefreshSeconds?: number;
  informer?: InformerOptions;
  log?: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

export type { LoopResult } from './loop.js';

/** An object the controller knows: its loop memory, spec cache and timer. */
interface Entry extends LoopMemory {
  object: PodAutoscaler;
  spec: SpecCache;
  timer: NodeJS.Timeout | null;
  /** Real time (ms) the next loop is due. */
  due: number;
  running: Promise<LoopResult> | null;
}

/** Loop timing counters (the 1,000-object benchmark reads them). */
export interface LoopStats {
  loops: number;
  /** Loops that started more than a tenth of their period after their due time. */
  late: number;
  maxLatenessMs: number;
  /** Loops still running when the next one of the same object was due. */
  overruns: number;
}

/** Where in its period an object's loops fall: a hash of its key (FNV-1a), spreading the loops. */
function hashOffset(key: string, period: number): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) % Math.max(1, Math.floor(period));
}

export class Controller {
  private readonly entries = new Map<string, Entry>();
  private readonly targets = new TargetIndex();
  private readonly informer: Informer<PodAutoscaler>;
  private readonly podCache: PodCache | null;
  private readonly now: () => number;
  private readonly isLeader: () => boolean;
  private readonly ports: LoopPorts;
  private active = false;
  readonly stats: LoopStats = { loops: 0, late: 0, maxLatenessMs: 0, overruns: 0 };

  constructor(private readonly options: ControllerOptions) {
    this.now = options.now ?? Date.now;
    this.isLeader = options.isLeader ?? (() => true);
    const ns = options.namespace;
    const path = ns ? `/apis/${GROUP}/${VERSION}/namespaces/${ns}/${PLURAL}` : `/apis/${GROUP}/${VERSION}/${PLURAL}`;
    this.informer = new Informer<PodAutoscaler>(
      options.client.kubeConfig,
      path,
      () => options.client.listPodAutoscalers(ns) as Promise<{ items: PodAutoscaler[] }>,
      {
        add: (o) => this.upsert(o),
        update: (o) => this.upsert(o),
        delete: (o) => this.remove(o),
        error: (err) => this.log('warn', 'PodAutoscaler watch failed; restarting', { error: errorText(err) }),
      },
      options.informer,
    );
    this.podCache =
      options.pods === 'list'
        ? null
        : new PodCache(options.client.kubeConfig, (namespace) => options.client.listAllPods(namespace), ns, {
            ...options.informer,
            onError: (err) => this.log('warn', 'pod watch failed; restarting', { error: errorText(err) }),
          });
    this.ports = {
      client: options.client,
      pods: this.podCache,
      metrics: options.metrics,
      history: options.history,
      solver: options.solver,
      observer: options.observer,
      isLeader: this.isLeader,
      open: endpointGate(new EndpointAllowList(options.allowedEndpoints ?? []), new CredentialCache(options.client)),
      log: (level, message, fields) => this.log(level, message, fields),
      conflictRetries: options.conflictRetries ?? 3,
      statusRefreshSeconds: options.statusRefreshSeconds ?? DEFAULT_STATUS_REFRESH_SECONDS,
    };
  }

  /** True once the PodAutoscalers (and, when watched, the pods) have been listed. */
  get synced(): boolean {
    return this.informer.synced && (this.podCache === null || this.podCache.synced);
  }

  get informerRestarts(): number {
    return this.informer.restarts;
  }

  /** The PodAutoscalers known, as `namespace/name`. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** Starts the informer; loops run once {@link activate} is called. */
  async start(): Promise<void> {
    await Promise.all([this.informer.start(), this.podCache?.start()]);
  }

  /** Starts the loops (on becoming leader, or at once without leader election). */
  activate(): void {
    if (this.active) return;
    this.active = true;
    for (const e of this.entries.values()) {
      e.state = null; // another leader may have advanced it: reload from status
      e.fleet = null;
      e.due = 0;
      this.schedule(e);
    }
  }

  /** Stops the loops (on losing leadership); loops in flight finish. */
  deactivate(): void {
    this.active = false;
    for (const e of this.entries.values()) {
      if (e.timer) clearTimeout(e.timer);
      e.timer = null;
      e.state = null;
      e.fleet = null;
    }
  }

  /** Stops everything and waits for loops in flight. */
  async stop(): Promise<void> {
    this.deactivate();
    await Promise.all([this.informer.stop(), this.podCache?.stop()]);
    await Promise.all([...this.entries.values()].map((e) => e.running).filter(Boolean));
  }

  /** The PodAutoscaler `namespace/name` as the informer last delivered it. */
  object(key: string): PodAutoscaler | undefined {
    return this.entries.get(key)?.object;
  }

  /** Runs one loop of `namespace/name` now (tests drive the controller with this). */
  async reconcile(key: string): Promise<LoopResult> {
    const e = this.entries.get(key);
    if (!e) return { key, skipped: 'Gone' };
    if (e.running) await e.running;
    return this.run(e);
  }

  // ---- informer events -----------------------------------------------------------

  private upsert(o: PodAutoscaler): void {
    const key = objectKey(o);
    let e = this.entries.get(key);
    if (!e) {
      e = {
        key,
        namespace: o.metadata?.namespace ?? '',
        name: o.metadata?.name ?? '',
        object: o,
        spec: new SpecCache((strategy) => this.loopSeconds(strategy), this.options.scalerOptions),
        state: null,
        timer: null,
        due: 0,
        running: null,
        invalidEventGeneration: undefined,
        reported: new Map(),
        failedLoops: 0,
        seed: SEED_PENDING,
        fleet: null,
        profiles: null,
      };
      this.entries.set(key, e);
      this.targets.set(key, e.namespace, o.spec);
      if (this.active) this.schedule(e);
      return;
    }
    e.object = o;
    this.targets.set(key, e.namespace, o.spec);
  }

  private remove(o: PodAutoscaler): void {
    const key = objectKey(o);
    const e = this.entries.get(key);
    if (!e) return;
    if (e.timer) clearTimeout(e.timer);
    this.entries.delete(key);
    this.targets.remove(key);
    this.options.observer?.forget(e.namespace, e.name);
  }

  // ---- scheduling ----------------------------------------------------------------

  private loopSeconds(strategy: Strategy): number {
    return this.options.loopSeconds?.[strategy] ?? DEFAULT_LOOP_SECONDS[strategy];
  }

  private periodMs(e: Entry): number {
    const strategy = strategyOf(e.object.spec);
    const seconds = strategy ? this.loopSeconds(strategy) : DEFAULT_LOOP_SECONDS.KPA;
    return (seconds * 1000) / (this.options.timeScale ?? 1);
  }

  private schedule(e: Entry): void {
    if (!this.active || e.timer) return;
    const period = this.periodMs(e);
    const realNow = Date.now();
    // Spread the objects over the period so their loops do not all fire at once.
    if (e.due === 0) e.due = realNow + hashOffset(e.key, period);
    e.timer = setTimeout(() => {
      e.timer = null;
      if (!this.active || this.entries.get(e.key) !== e) return;
      const start = Date.now();
      const lateness = Math.max(0, start - e.due);
      this.stats.loops += 1;
      if (lateness > period / 10) this.stats.late += 1;
      this.stats.maxLatenessMs = Math.max(this.stats.maxLatenessMs, lateness);
      void this.run(e).then(() => {
        this.options.observer?.loop((Date.now() - start) / 1000, lateness / 1000);
        e.due += period;
        if (e.due <= Date.now()) {
          this.stats.overruns += 1;
          while (e.due <= Date.now()) e.due += period;
        }
        this.schedule(e);
      });
    }, Math.max(0, e.due - realNow));
  }

  private run(e: Entry): Promise<LoopResult> {
    const p = this.loop(e)
      .catch((error: unknown): LoopResult => {
        this.log('error', 'loop failed', { key: e.key, error: errorText(error) });
        return { key: e.key, error: toError(error) };
      })
      .finally(() => {
        if (e.running === p) e.running = null;
      });
    e.running = p;
    return p;
  }

  private log(level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void {
    this.options.log?.(level, message, fields);
  }

  // ---- one loop: read → decide → act (loop.ts) -------------------------------------

  private async loop(e: Entry): Promise<LoopResult> {
    if (!this.isLeader()) return { key: e.key, skipped: 'NotLeader' };
    const now = this.now();
    return runLoop(this.ports, e, {
      object: e.object,
      now,
      checked: e.spec.check(e.object),
      rivals: this.targets.rivals(e.key),
      scalerFor: (spec) => e.spec.scalerFor(spec, now),
    });
  }
}
