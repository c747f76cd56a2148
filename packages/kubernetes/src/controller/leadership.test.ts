/**
 * Leader election against the stand-in: the Lease elector's client-go semantics, and two
 * whole operators, where the leader loses its Lease to the second and only the holder
 * of the Lease ever scales.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { startOperator, type Operator } from '../operator/operator.js';
import { kubeConfigFor } from '../testing/kubeConfig.js';
import { deployment, kpaSpec, podAutoscaler, T0, TestCluster, waitFor } from '../testing/cluster.js';
import { LeaseElector } from './leaseElector.js';

let k: TestCluster;
const electors: LeaseElector[] = [];
const operators: Operator[] = [];

beforeEach(async () => {
  k = await new TestCluster().start();
});

afterEach(async () => {
  for (const o of operators.splice(0)) await o.stop();
  for (const e of electors.splice(0)) await e.stop();
  await k.stop();
});

const TIMING = { leaseDurationMs: 600, renewDeadlineMs: 400, retryPeriodMs: 50 };

function elector(identity: string, events: string[] = []): LeaseElector {
  const e = new LeaseElector(k.client(identity), {
    namespace: 'kube-system',
    name: 'prescale-operator',
    identity,
    ...TIMING,
    onStartedLeading: () => events.push(`${identity} started`),
    onStoppedLeading: () => events.push(`${identity} stopped`),
  });
  electors.push(e);
  return e;
}

const lease = () => k.server.get('leases', 'kube-system', 'prescale-operator')?.spec as Record<string, any> | undefined;

describe('LeaseElector', () => {
  test('one leader at a time; a stopping leader releases the Lease at once', async () => {
    const events: string[] = [];
    const a = elector('a', events);
    const b = elector('b', events);
    a.start();
    await waitFor(() => a.isLeader(), 2000, 'a to lead');
    b.start();
    await new Promise((r) => setTimeout(r, 800)); // longer than the lease: a keeps renewing
    expect(b.isLeader()).toBe(false);
    expect(lease()?.holderIdentity).toBe('a');
    expect(lease()?.renewTime).toMatch(/\.\d{6}Z$/);
    const released = Date.now();
    await a.stop();
    await waitFor(() => b.isLeader(), 2000, 'b to lead');
    expect(Date.now() - released).toBeLessThan(TIMING.leaseDurationMs);
    expect(lease()?.holderIdentity).toBe('b');
    expect(lease()?.leaseTransitions).toBe(0); // a released it: an empty holder is no transition
    expect(events).toEqual(['a started', 'a stopped', 'b started']);
  });

  test('stopping while its first claim is in flight still gives the Lease up', async () => {
    const a = elector('a');
    // The create is answered (and stored) only after stop() has been called.
    k.server.addFault({ method: 'POST', path: /\/leases/, delayMs: 300, times: 1 });
    a.start();
    await new Promise((r) => setTimeout(r, 100));
    await a.stop();
    expect(a.isLeader()).toBe(false);
    expect(lease()?.holderIdentity).toBe('');
  });

  test('a leader that cannot renew stops leading before anyone else can take over', async () => {
    const a = elector('a');
    const b = elector('b');
    a.start();
    await waitFor(() => a.isLeader());
    b.start();
    let lostAt = 0;
    k.server.addFault({ path: /\/leases/, when: ({ user }) => user === 'a', status: 503 });
    await waitFor(() => !a.isLeader(), 2000, 'a to step down');
    lostAt = Date.now();
    await waitFor(() => b.isLeader(), 3000, 'b to take over');
    // b waited for the lease to expire as b saw it, which is after a stepped down.
    expect(Date.now()).toBeGreaterThanOrEqual(lostAt);
    expect(lease()?.holderIdentity).toBe('b');
    expect(lease()?.leaseTransitions).toBe(1);
  });
});

describe('two operators', () => {
  test('leadership lost to a second operator: only the Lease holder ever scales', async () => {
    k.server.apply(deployment('llm', 1));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm', { maxReplicas: 20 })));
    // The Lease holder over time, from the stand-in's own writes.
    const holders: Array<{ at: number; holder: string }> = [];
    k.server.onWrite((_type, o, r) => {
      if (r.plural === 'leases') holders.push({ at: Date.now(), holder: String((o.spec as { holderIdentity?: string }).holderIdentity ?? '') });
    });
    // Scalers' clock: 50× real time, so a 10 s loop runs every 200 ms.
    const started = Date.now();
    const now = () => T0 + (Date.now() - started) * 50;
    const start = (identity: string) =>
      startOperator({
        kubeConfig: kubeConfigFor(k.server.url, identity),
        metrics: k.metrics,
        leaderElection: { namespace: 'kube-system', identity, ...TIMING },
        metricsAddress: null,
        healthAddress: null,
        timeScale: 50,
        now,
        informer: { restartDelayMs: 50 },
        requestTimeoutMs: 1000,
      }).then((o) => {
        operators.push(o);
        return o;
      });
    const a = await start('operator-a');
    await waitFor(() => a.isLeader(), 2000, 'a to lead');
    const b = await start('operator-b');
    // Load grows: a scales up.
    let load = 12;
    const feed = setInterval(() => k.spreadLoad('llm', load), 20);
    try {
      await waitFor(() => k.replicas('llm') >= 3, 5000, 'a to scale up');
      // a can no longer reach the Lease (but can still reach everything else).
      k.server.addFault({ path: /\/leases/, when: ({ user }) => user === 'operator-a', status: 503 });
      await waitFor(() => b.isLeader(), 5000, 'b to take over');
      expect(a.isLeader()).toBe(false);
      load = 60;
      await waitFor(() => k.replicas('llm') >= 10, 8000, 'b to scale up');
    } finally {
      clearInterval(feed);
    }
    const patches = k.scalePatches().filter((p) => p.status === 200);
    const byUser = new Set(patches.map((p) => p.user));
    expect(byUser).toEqual(new Set(['operator-a', 'operator-b']));
    for (const p of patches) {
      const holder = holders.filter((h) => h.at <= p.at).pop()?.holder;
      expect({ user: p.user, holder }).toEqual({ user: p.user, holder: p.user });
    }
    // The old leader's loops stopped: nothing from it after b took the Lease.
    const takeover = holders.find((h) => h.holder === 'operator-b')?.at ?? 0;
    expect(k.server.requests.filter((r) => r.user === 'operator-a' && r.at > takeover && r.method === 'PATCH')).toHaveLength(0);
  });
});
