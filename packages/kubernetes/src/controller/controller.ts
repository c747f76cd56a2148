/**
 * The PodAutoscaler controller: an informer on PodAutoscalers (one namespace or all)
 * and one loop per object at its period (10 s for KPA and APA as AIBrix, 15 s for HPA
 * as Kubernetes). Each loop, as AIBrix's `reconcileCustomPA` (reference/aibrix.md 2.1):
 *
 * 1. validate the spec; an invalid one gets `ValidSpec=False` naming the field, and no
 *    scaling; two PodAutoscalers on one target both get `MultiPodAutoscalerConflict`
 *    and neither scales;
 * 2. read the target's `scale` subresource (current replicas, pod selector), list the
 *    pods by that selector and read their metrics through the {@link PodMetricsReader}
 *    port (a pod without a value is missing, never 0);
 * 3. decide with `@prescale/core`'s `createScaler(spec).step(state, observation)`, the
 *    state kept per object in memory and persisted in `status.scalerState`, so a
 *    restarted or newly elected operator resumes it;
 * 4. when the decision changes the replicas, and only while leading, merge-patch the
 *    `scale` subresource, conditional on its resourceVersion, re-reading and retrying
 *    on 409 Conflict; record an Event with the decision's reasons;
 * 5. merge-patch the status: desired and actual scale, conditions, the bounded scaling
 *    history, the decision, the prediction and the scaler state.
 *
 * Only the leader runs loops; a loop in flight checks leadership again right before it
 * scales or writes status.
 * @module
 */
import type { V1Pod } from '@kubernetes/client-node';
import { createScaler, isServing, type Scaler, type ScalerDecision, type ScalerState } from '@prescale/core';
import { API_VERSION, GROUP, KIND, PLURAL, VERSION } from '../crd/names.js';
import { objectKey, type PodAutoscaler } from '../crd/podAutoscaler.js';
import { DEFAULT_LOOP_SECONDS, metricKeys, scalerFingerprint, toOperatorScalerSpec } from '../crd/scalerSpec.js';
import { resolveBounds } from '../crd/schedules.js';
import type { PodAutoscalerSpec } from '../crd/spec.js';
import type { PodAutoscalerStatus, PredictionStatus } from '../crd/status.js';
import { formatSpecError, type SpecResult, validateSpec } from '../crd/validateSpec.js';
import type { LoopObserver } from './controllerMetrics.js';
import { Informer, type InformerOptions } from './informer.js';
import { KubeApiError, type KubeClient, type ScaleReading } from './kubeClient.js';
import type { HistoryLoader, PodMetricsReader } from './metricsPort.js';
import { observe } from './observe.js';
import { PodCache } from './podCache.js';
import { decodeState } from './persistedState.js';
import { type Halt, type LoopEvent, statusFor } from './status.js';

type Strategy = PodAutoscalerSpec['scalingStrategy'];

export interface ControllerOptions {
  client: KubeClient;
  metrics: PodMetricsReader;
  history?: HistoryLoader;
  /** Watch one namespace; default all. */
  namespace?: string;
  /** The scalers' clock, ms since the epoch; default Date.now. */
  now?: () => number;
  /** Loop period per strategy in seconds of the scalers' clock; defaults as upstream. */
  loopSeconds?: Partial<Record<Strategy, number>>;
  /**
   * Seconds of the scalers' clock per real second (default 1). Tests run a 10 s loop
   * every 100 ms with 100 and a matching `now`.
   */
  timeScale?: number;
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
  informer?: InformerOptions;
  log?: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

/** What one loop did, for tests and logs. */
export interface LoopResult {
  key: string;
  /** Why the loop stopped early without a decision. */
  skipped?: 'InvalidSpec' | 'Conflict' | 'NotLeader' | 'Gone';
  decision?: ScalerDecision;
  currentReplicas?: number;
  /** The scale patch this loop made. */
  scaled?: { from: number; to: number };
  /** The first error of the loop (reading the target, listing pods, scaling, status). */
  error?: KubeApiError | Error;
  prediction?: PredictionStatus;
}

interface Entry {
  key: string;
  namespace: string;
  name: string;
  object: PodAutoscaler;
  validated: { generation: number | undefined; json: string; result: SpecResult } | null;
  targetKey: string | null;
  scaler: { json: string; fingerprint: string; scaler: Scaler } | null;
  /** In-memory scaler state and the fingerprint it belongs to; null: load from status. */
  state: { fingerprint: string; state: ScalerState } | null;
  timer: NodeJS.Timeout | null;
  /** Real time (ms) the next loop is due. */
  due: number;
  running: Promise<LoopResult> | null;
  invalidEventGeneration: number | undefined;
  /** Predictive scalers: the demand history still has to be loaded (after a start or a restore). */
  seed: { pending: boolean; retryAt: number; note: string | null };
}

/** Days of history loaded for a predictive scaler by default, and the retry delay after a failed load. */
const DEFAULT_LOOKBACK_DAYS = 28;
const SEED_RETRY_MS = 5 * 60_000;

/** Loop timing counters (the 1,000-object benchmark reads them). */
export interface LoopStats {
  loops: number;
  /** Loops that started more than a tenth of their period after their due time. */
  late: number;
  maxLatenessMs: number;
  /** Loops still running when the next one of the same object was due. */
  overruns: number;
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function hashOffset(key: string, period: number): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) % Math.max(1, Math.floor(period));
}

export class Controller {
  private readonly entries = new Map<string, Entry>();
  /** target key → PodAutoscaler keys that name it. */
  private readonly targets = new Map<string, Set<string>>();
  private readonly informer: Informer<PodAutoscaler>;
  private readonly podCache: PodCache | null;
  private readonly now: () => number;
  private readonly isLeader: () => boolean;
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
    }
  }

  /** Stops everything and waits for loops in flight. */
  async stop(): Promise<void> {
    this.deactivate();
    await Promise.all([this.informer.stop(), this.podCache?.stop()]);
    await Promise.all([...this.entries.values()].map((e) => e.running).filter(Boolean));
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
        validated: null,
        targetKey: null,
        scaler: null,
        state: null,
        timer: null,
        due: 0,
        running: null,
        invalidEventGeneration: undefined,
        seed: { pending: true, retryAt: 0, note: null },
      };
      this.entries.set(key, e);
      this.index(e);
      if (this.active) this.schedule(e);
      return;
    }
    e.object = o;
    this.index(e);
  }

  private remove(o: PodAutoscaler): void {
    const key = objectKey(o);
    const e = this.entries.get(key);
    if (!e) return;
    if (e.timer) clearTimeout(e.timer);
    this.entries.delete(key);
    if (e.targetKey) this.targets.get(e.targetKey)?.delete(key);
    this.options.observer?.forget(e.namespace, e.name);
  }

  /** Keeps the target index current (for the conflict rule). */
  private index(e: Entry): void {
    const spec = e.object.spec as { scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string } } | undefined;
    const ref = spec?.scaleTargetRef;
    const target = ref?.kind && ref.name ? `${ref.apiVersion ?? 'apps/v1'}.${ref.kind}/${e.namespace}/${ref.name}` : null;
    if (target === e.targetKey) return;
    if (e.targetKey) this.targets.get(e.targetKey)?.delete(e.key);
    e.targetKey = target;
    if (target) {
      let set = this.targets.get(target);
      if (!set) this.targets.set(target, (set = new Set()));
      set.add(e.key);
    }
  }

  // ---- scheduling ----------------------------------------------------------------

  private loopSeconds(strategy: Strategy): number {
    return this.options.loopSeconds?.[strategy] ?? DEFAULT_LOOP_SECONDS[strategy];
  }

  private periodMs(e: Entry): number {
    const strategy = (e.object.spec as { scalingStrategy?: Strategy } | undefined)?.scalingStrategy;
    const seconds = strategy && strategy in DEFAULT_LOOP_SECONDS ? this.loopSeconds(strategy) : DEFAULT_LOOP_SECONDS.KPA;
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
        return { key: e.key, error: error instanceof Error ? error : new Error(String(error)) };
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

  // ---- one loop ------------------------------------------------------------------

  private validation(e: Entry): SpecResult {
    const generation = e.object.metadata?.generation;
    const json = JSON.stringify(e.object.spec ?? null);
    if (e.validated && e.validated.generation === generation && e.validated.json === json) return e.validated.result;
    const spec = e.object.spec as { scalingStrategy?: Strategy } | undefined;
    const strategy = spec?.scalingStrategy && spec.scalingStrategy in DEFAULT_LOOP_SECONDS ? spec.scalingStrategy : undefined;
    const result = validateSpec(e.object.spec, strategy ? this.loopSeconds(strategy) : undefined);
    e.validated = { generation, json, result };
    return result;
  }

  private scalerFor(e: Entry, spec: PodAutoscalerSpec, now: number): { scaler: Scaler; fingerprint: string; bounds: ReturnType<typeof resolveBounds> } {
    const bounds = resolveBounds(spec, now);
    const scalerSpec = toOperatorScalerSpec(spec, bounds, this.loopSeconds(spec.scalingStrategy));
    const json = JSON.stringify(scalerSpec);
    if (!e.scaler || e.scaler.json !== json) e.scaler = { json, fingerprint: scalerFingerprint(scalerSpec), scaler: createScaler(scalerSpec) };
    return { scaler: e.scaler.scaler, fingerprint: e.scaler.fingerprint, bounds };
  }

  private async writeStatus(e: Entry, status: Record<string, unknown>, result: LoopResult): Promise<void> {
    if (!this.isLeader()) return;
    try {
      await this.options.client.patchStatus(e.namespace, e.name, status);
    } catch (error) {
      this.options.observer?.error(e.namespace, e.name, 'StatusUpdate');
      this.log('warn', 'status update failed', { key: e.key, error: errorText(error) });
      result.error ??= error as Error;
    }
  }

  private async loop(e: Entry): Promise<LoopResult> {
    const { namespace, name } = e;
    const result: LoopResult = { key: e.key };
    if (!this.isLeader()) return { key: e.key, skipped: 'NotLeader' };
    const o = e.object;
    const now = this.now();
    const generation = o.metadata?.generation;
    const previous: PodAutoscalerStatus = o.status ?? {};
    const observer = this.options.observer;

    /** Writes the conditions of a loop that stops before deciding. */
    const halt = async (h: Halt): Promise<void> => {
      const update = statusFor({ now, generation, previous, halt: h, announced: e.invalidEventGeneration === generation });
      await this.writeStatus(e, update.status, result);
      // The InvalidSpec notice comes from the leader only, once per generation.
      if (update.events.length > 0 && this.isLeader()) {
        e.invalidEventGeneration = generation;
        for (const ev of update.events) await this.event(e, ev, now);
      }
    };

    const checked = this.validation(e);
    if (!checked.ok) {
      observer?.error(namespace, name, 'InvalidSpec');
      await halt({ reason: 'InvalidSpec', message: formatSpecError(checked.error) });
      return { ...result, skipped: 'InvalidSpec' };
    }
    const spec = checked.spec;
    const others = [...(e.targetKey ? (this.targets.get(e.targetKey) ?? []) : [])].filter((k) => k !== e.key);
    if (others.length > 0) {
      const names = others.map((k) => k.split('/')[1]).sort().join(', ');
      const message = `${spec.scaleTargetRef.kind}/${spec.scaleTargetRef.name} is also the target of PodAutoscaler ${names}; none of them scales it`;
      observer?.error(namespace, name, 'Conflict');
      await halt({ reason: 'Conflict', message });
      return { ...result, skipped: 'Conflict' };
    }

    const { scaler, fingerprint, bounds } = this.scalerFor(e, spec, now);
    const ref = spec.scaleTargetRef;
    const fail = async (reason: 'FailedGetScale' | 'FailedListPods' | 'FailedDecision', error: unknown): Promise<LoopResult> => {
      observer?.error(namespace, name, reason);
      this.log('warn', reason, { key: e.key, error: errorText(error) });
      await halt({ reason, message: errorText(error) });
      return { ...result, error: error instanceof Error ? error : new Error(String(error)) };
    };

    let scale: ScaleReading;
    try {
      scale = await this.options.client.readScale(namespace, ref);
    } catch (error) {
      return fail('FailedGetScale', error);
    }
    if (scale.selector === '') return fail('FailedGetScale', new Error(`${ref.kind}/${ref.name} has no pod selector in its scale subresource`));
    let pods: V1Pod[];
    try {
      // From the pod cache once it has listed; until then (or in list mode) from the API.
      pods = this.podCache?.synced ? this.podCache.list(namespace, scale.selector) : await this.options.client.listPods(namespace, scale.selector);
    } catch (error) {
      return fail('FailedListPods', error);
    }
    const observation = await observe(now, scale.replicas, pods, spec.metricsSources, metricKeys(spec.metricsSources), this.options.metrics);

    let state: ScalerState | null = e.state?.fingerprint === fingerprint ? e.state.state : null;
    if (!state) {
      // Restored from status or new: a predictive scaler reloads its demand history.
      e.seed = { pending: true, retryAt: 0, note: null };
      state = decodeState(previous.scalerState, fingerprint)?.state ?? scaler.init({ now, readyPods: observation.pods.filter(isServing).length });
    }
    if (spec.predictive?.history && scaler.demandBinMs !== null) {
      const h = spec.predictive.history;
      observation.requestRate = await this.options.metrics.readRequestRate({ endpoint: h.endpoint, query: h.query }).catch(() => null);
      state = await this.seedHistory(e, scaler, state, h, now);
    }
    let step: ReturnType<Scaler['step']>;
    try {
      step = scaler.step(state, observation);
    } catch (error) {
      return fail('FailedDecision', error);
    }
    const decision = step.decision;
    result.decision = decision;
    result.currentReplicas = scale.replicas;
    const desired = decision.desiredReplicas;

    let scaleError: Error | null = null;
    if (desired !== scale.replicas) {
      if (!this.isLeader()) return { ...result, skipped: 'NotLeader' };
      try {
        await this.patchScale(namespace, ref, desired, scale);
        result.scaled = { from: scale.replicas, to: desired };
        observer?.scalePatch('success');
      } catch (error) {
        scaleError = error instanceof Error ? error : new Error(String(error));
        result.error = scaleError;
        observer?.error(namespace, name, 'FailedUpdateScale');
        observer?.scalePatch(error instanceof KubeApiError && error.code === 409 ? 'conflict' : 'error');
      }
    }
    e.state = { fingerprint, state: step.state };
    if (!this.isLeader()) return { ...result, skipped: 'NotLeader' };
    observer?.decision(namespace, name, spec.scalingStrategy, decision.reasons[0] ?? 'Unknown', desired, scale.replicas);

    const update = statusFor({
      now,
      generation,
      previous,
      spec,
      bounds,
      currentReplicas: scale.replicas,
      decision,
      patch: result.scaled ? { result: 'scaled' } : scaleError ? { result: 'failed', error: scaleError.message } : { result: 'unchanged' },
      seedNote: e.seed.note,
      scaler: { fingerprint, state: step.state },
    });
    const prediction = update.status.prediction;
    if (prediction) {
      result.prediction = prediction;
      observer?.prediction(namespace, name, prediction.predictedReplicas ?? null, decision.scaler === 'blend' ? (decision.detail.forecast?.value ?? null) : null);
    }
    await this.writeStatus(e, update.status, result);
    for (const ev of update.events) await this.event(e, ev, now);
    return result;
  }

  /** Patches the scale, re-reading and retrying on 409 Conflict. */
  private async patchScale(namespace: string, ref: PodAutoscalerSpec['scaleTargetRef'], replicas: number, read: ScaleReading): Promise<void> {
    let current = read;
    const attempts = Math.max(1, this.options.conflictRetries ?? 3);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.client.patchScale(namespace, ref, replicas, current.resourceVersion || undefined);
        return;
      } catch (error) {
        if (!(error instanceof KubeApiError && error.code === 409) || attempt >= attempts) throw error;
        this.options.observer?.scalePatch('conflict');
        current = await this.options.client.readScale(namespace, ref);
        if (current.replicas === replicas) return;
      }
    }
  }

  /**
   * Loads the demand history of a predictive scaler into its state once after a start
   * or a restore (the persisted state leaves it out: Prometheus has it); a failed load
   * is retried after 5 minutes, and the scaler meanwhile learns from the request rate.
   */
  private async seedHistory(
    e: Entry,
    scaler: Scaler,
    state: ScalerState,
    h: NonNullable<NonNullable<PodAutoscalerSpec['predictive']>['history']>,
    now: number,
  ): Promise<ScalerState> {
    const loader = this.options.history;
    const stepMs = scaler.demandBinMs;
    if (stepMs === null || !e.seed.pending || now < e.seed.retryAt) return state;
    if (!loader) {
      e.seed = { pending: false, retryAt: 0, note: 'no history loader: learning the demand history from the request rate only' };
      return state;
    }
    const to = Math.floor(now / stepMs) * stepMs;
    const from = to - (h.lookbackDays ?? DEFAULT_LOOKBACK_DAYS) * 86_400_000;
    try {
      const rates = await loader.load({ endpoint: h.endpoint, query: h.query, from, to, stepMs });
      const seeded = scaler.seed(state, rates);
      const bins = rates.values.filter((v) => v !== null).length;
      e.seed = { pending: false, retryAt: 0, note: `loaded ${bins} bins of demand history from ${h.endpoint}` };
      return seeded;
    } catch (error) {
      this.options.observer?.error(e.namespace, e.name, 'HistoryLoad');
      e.seed = { pending: true, retryAt: now + SEED_RETRY_MS, note: `history load failed, retrying in 5 min: ${errorText(error)}` };
      return state;
    }
  }

  private async event(e: Entry, event: LoopEvent, now: number): Promise<void> {
    try {
      await this.options.client.createEvent({
        namespace: e.namespace,
        regarding: { apiVersion: API_VERSION, kind: KIND, name: e.name, ...(e.object.metadata?.uid ? { uid: e.object.metadata.uid } : {}) },
        ...event,
        at: new Date(now),
      });
    } catch (error) {
      this.options.observer?.error(e.namespace, e.name, 'Event');
      this.log('warn', 'event failed', { key: e.key, error: errorText(error) });
    }
  }
}
