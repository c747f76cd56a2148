/**
 * Leader election on a `coordination.k8s.io/v1` Lease, with client-go's semantics
 * (k8s.io/client-go/tools/leaderelection; reference/ecosystem.md 2.7). client-node has
 * no elector and the only npm package for one is GPL, so this is the project's own.
 *
 * - A candidate takes the Lease when it does not exist, when it holds it already, or
 *   when the record has not changed for `leaseDuration` *as measured by the candidate's
 *   own clock since it last saw the record change* (so clock skew between nodes does not
 *   matter); the write is a conditional replace, and a 409 Conflict means another
 *   candidate won.
 * - The leader renews every `retryPeriod`; if it cannot renew for `renewDeadline` it
 *   stops leading. `renewDeadline < leaseDuration`, so it stops before anyone else can
 *   take over.
 * - {@link LeaseElector.isLeader} is also false once `renewDeadline` has passed since
 *   the last successful renewal, so work in flight can check it right before acting.
 * - On stop, a holder releases the Lease (empty holder), so a successor need not wait,
 *   also when its claim succeeded while it was stopping.
 * - Times are `V1MicroTime`; `leaseTransitions` counts changes of holder.
 * @module
 */
import { V1MicroTime, type V1Lease } from '@kubernetes/client-node';
import type { KubeClient } from './kubeClient.js';

export interface LeaseElectorOptions {
  namespace: string;
  name: string;
  /** This candidate's identity (pod name). */
  identity: string;
  /** Default 15 s (client-go). */
  leaseDurationMs?: number;
  /** Default 10 s. */
  renewDeadlineMs?: number;
  /** Default 2 s. */
  retryPeriodMs?: number;
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
  onStartedLeading?: () => void;
  onStoppedLeading?: () => void;
  /** A failed attempt (for logs and metrics); losing a race is not an error. */
  onError?: (error: unknown) => void;
}

interface Observed {
  holder: string;
  renewTime: string;
  transitions: number;
}

function timeString(t: unknown): string {
  if (t instanceof Date) return t.toISOString();
  return typeof t === 'string' ? t : '';
}

export class LeaseElector {
  private leading = false;
  private lastRenew = -Infinity;
  private observed: Observed | null = null;
  private observedAt = 0;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: KubeClient,
    private readonly options: LeaseElectorOptions,
  ) {
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    this.now = options.now ?? Date.now;
    if (!(this.renewDeadlineMs < this.leaseDurationMs)) throw new RangeError('renewDeadlineMs must be less than leaseDurationMs');
    if (!(this.retryPeriodMs < this.renewDeadlineMs)) throw new RangeError('retryPeriodMs must be less than renewDeadlineMs');
  }

  get identity(): string {
    return this.options.identity;
  }

  /** True while this candidate leads and renewed within the renew deadline. */
  isLeader(): boolean {
    return this.leading && this.now() - this.lastRenew < this.renewDeadlineMs;
  }

  /** Starts campaigning in the background. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.campaign();
  }

  /** Stops campaigning; a leader releases the Lease. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
    // A claim or renewal in flight when stop() came may have succeeded without making
    // this candidate the leader: what it last saw of the Lease says whether it holds it
    // (client-go releases on the observed holder too).
    const holds = this.leading || this.observed?.holder === this.options.identity;
    this.setLeading(false);
    if (holds) await this.release();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  private setLeading(leading: boolean): void {
    if (this.leading === leading) return;
    this.leading = leading;
    if (leading) this.options.onStartedLeading?.();
    else this.options.onStoppedLeading?.();
  }

  private async campaign(): Promise<void> {
    while (!this.stopped) {
      const ok = await this.tryAcquireOrRenew();
      if (this.stopped) break;
      if (ok) {
        this.lastRenew = this.now();
        this.setLeading(true);
      } else if (this.leading && this.now() - this.lastRenew >= this.renewDeadlineMs) {
        this.setLeading(false);
      }
      // client-go waits retryPeriod between attempts (with jitter while acquiring).
      const jitter = this.leading ? 0 : Math.floor(Math.random() * this.retryPeriodMs * 0.2);
      await this.sleep(this.retryPeriodMs + jitter);
    }
  }

  private leaseBody(existing: V1Lease | null, now: number): V1Lease {
    const spec = existing?.spec;
    const ours = spec?.holderIdentity === this.options.identity;
    const at = new V1MicroTime(now);
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.options.name,
        namespace: this.options.namespace,
        ...(existing?.metadata?.resourceVersion ? { resourceVersion: existing.metadata.resourceVersion } : {}),
      },
      spec: {
        holderIdentity: this.options.identity,
        leaseDurationSeconds: Math.max(1, Math.ceil(this.leaseDurationMs / 1000)),
        acquireTime: ours && spec?.acquireTime ? new V1MicroTime(new Date(spec.acquireTime).getTime()) : at,
        renewTime: at,
        leaseTransitions: (spec?.leaseTransitions ?? 0) + (existing && !ours && spec?.holderIdentity ? 1 : 0),
      },
    };
  }

  /** One attempt, as client-go's `tryAcquireOrRenew`. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, identity } = this.options;
    try {
      const existing = await this.client.readLease(namespace, this.options.name);
      const now = this.now();
      if (!existing) {
        await this.client.createLease(namespace, this.leaseBody(null, now));
        this.observe({ holder: identity, renewTime: '', transitions: 0 }, now);
        return true;
      }
      const spec = existing.spec ?? {};
      const seen: Observed = {
        holder: spec.holderIdentity ?? '',
        renewTime: timeString(spec.renewTime),
        transitions: spec.leaseTransitions ?? 0,
      };
      const o = this.observed;
      if (!o || o.holder !== seen.holder || o.renewTime !== seen.renewTime || o.transitions !== seen.transitions) this.observe(seen, now);
      const heldByOther = seen.holder !== '' && seen.holder !== identity;
      if (heldByOther && this.observedAt + this.leaseDurationMs > now) return false;
      const updated = await this.client.replaceLease(namespace, this.leaseBody(existing, now));
      const us = updated.spec ?? {};
      this.observe({ holder: identity, renewTime: timeString(us.renewTime), transitions: us.leaseTransitions ?? 0 }, now);
      return true;
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (code !== 409) this.options.onError?.(error);
      return false;
    }
  }

  private observe(record: Observed, at: number): void {
    this.observed = record;
    this.observedAt = at;
  }

  /** Gives the Lease up so a successor need not wait for it to expire. */
  private async release(): Promise<void> {
    try {
      const existing = await this.client.readLease(this.options.namespace, this.options.name);
      if (existing?.spec?.holderIdentity !== this.options.identity) return;
      const body = this.leaseBody(existing, this.now());
      body.spec = { ...body.spec, holderIdentity: '', leaseDurationSeconds: 1 };
      await this.client.replaceLease(this.options.namespace, body);
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
