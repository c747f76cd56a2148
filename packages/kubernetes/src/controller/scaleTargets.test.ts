/**
 * Any scale target, against the stand-in API server: a kind found through API discovery
 * and scaled through its `scale` subresource (as the HPA does), and AIBrix's StormService
 * roles with its semantics (workload_scale.go at e3e10f9): each role a target of its
 * own, so prefill and decode scale apart.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { kpaSpec, pod, podAutoscaler, TestCluster, waitFor } from '../testing/cluster.js';
import { LEADER_WORKER_SETS, STORM_SERVICES } from '../testing/resources.js';

let k: TestCluster;
beforeEach(async () => {
  k = await new TestCluster([LEADER_WORKER_SETS, STORM_SERVICES]).start();
});
afterEach(async () => {
  await k.stop();
});

/** `n` ready pods with `labels`, each reporting `waiting` queued requests. */
function pods(prefix: string, n: number, labels: Record<string, string>, waiting: number): void {
  for (let i = 0; i < n; i++) {
    const p = pod(`${prefix}-${i}`, 'x', `10.0.1.${i + 1}`);
    k.server.apply({ ...p, metadata: { ...p.metadata, labels } });
    k.metrics.set(`${prefix}-${i}`, 'vllm:num_requests_waiting', waiting);
  }
}

function stormService(): void {
  k.server.apply({
    apiVersion: 'orchestration.aibrix.ai/v1alpha1',
    kind: 'StormService',
    metadata: { name: 'ss', namespace: 'default' },
    spec: {
      replicas: 1,
      template: { spec: { roles: [{ name: 'prefill', replicas: 2 }, { name: 'decode', replicas: 2, podGroupSize: 2 }] } },
    },
    status: { roleStatuses: [{ name: 'prefill', replicas: 2 }, { name: 'decode', replicas: 2 }] },
  } as never);
}

const roleSpec = (role: string, extra: Record<string, unknown> = {}) =>
  kpaSpec('ss', { scaleTargetRef: { apiVersion: 'orchestration.aibrix.ai/v1alpha1', kind: 'StormService', name: 'ss' }, subTargetSelector: { roleName: role, ...extra }, maxScaleUpRate: 10, maxReplicas: 20 });

describe('any kind with a scale subresource, found through discovery', () => {
  test('a LeaderWorkerSet scales through its scale subresource', async () => {
    k.server.apply({ apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', metadata: { name: 'lws', namespace: 'default' }, spec: { replicas: 2 }, status: { replicas: 2, selector: 'lws=lws' } } as never);
    pods('lws', 2, { lws: 'lws' }, 15); // 30 waiting, target 5: 6
    k.server.apply(podAutoscaler('lws', kpaSpec('lws', { scaleTargetRef: { apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', name: 'lws' }, maxScaleUpRate: 10 })));
    const c = await k.controller();
    await waitFor(() => c.keys().length === 1);
    k.t += 10_000;
    const r = await c.reconcile('default/lws');
    expect(r.scaled).toEqual({ from: 2, to: 6 });
    expect(k.replicas('lws', 'leaderworkersets')).toBe(6);
    expect(k.server.requests.some((q) => q.method === 'GET' && q.path === '/apis/leaderworkerset.x-k8s.io/v1')).toBe(true);
    expect(k.scalePatches().map((q) => q.path)).toEqual(['/apis/leaderworkerset.x-k8s.io/v1/namespaces/default/leaderworkersets/lws/scale']);
  });

  test('a kind the API server does not serve holds with FailedGetScale, naming it', async () => {
    k.server.apply(podAutoscaler('x', kpaSpec('x', { scaleTargetRef: { apiVersion: 'ray.io/v1', kind: 'RayCluster', name: 'x' } })));
    const c = await k.controller();
    await waitFor(() => c.keys().length === 1);
    const r = await c.reconcile('default/x');
    expect(r.error?.message).toMatch(/RayCluster|ray\.io/);
    expect(k.scalePatches()).toEqual([]);
  });

  test('a discovery call that never answers times out like every other call, and the next loop scales', async () => {
    k.server.apply({ apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', metadata: { name: 'lws', namespace: 'default' }, spec: { replicas: 2 }, status: { replicas: 2, selector: 'lws=lws' } } as never);
    pods('lws', 2, { lws: 'lws' }, 15);
    k.server.apply(podAutoscaler('lws', kpaSpec('lws', { scaleTargetRef: { apiVersion: 'leaderworkerset.x-k8s.io/v1', kind: 'LeaderWorkerSet', name: 'lws' }, maxScaleUpRate: 10 })));
    const c = await k.controller({ client: k.client('operator-a', 200) });
    await waitFor(() => c.keys().length === 1);
    const remove = k.server.addFault({ method: 'GET', path: /^\/apis\/leaderworkerset\.x-k8s\.io\/v1$/, delayMs: 3000 });
    const started = Date.now();
    const slow = await c.reconcile('default/lws');
    expect(Date.now() - started).toBeLessThan(2500);
    expect(slow.error?.message).toMatch(/discover LeaderWorkerSet in leaderworkerset\.x-k8s\.io\/v1: no answer in time/);
    expect(k.replicas('lws', 'leaderworkersets')).toBe(2);
    remove();
    k.t += 10_000;
    expect((await c.reconcile('default/lws')).scaled).toEqual({ from: 2, to: 6 });
  });
});

describe('StormService roles (AIBrix subTargetSelector.roleName)', () => {
  test('prefill and decode are targets of their own: each reads and sets its role, from its role’s pods', async () => {
    stormService();
    pods('prefill', 2, { 'storm-service-name': 'ss', 'role-name': 'prefill' }, 20); // 40 waiting: 8
    // Decode runs pod groups of 2: only each group's first pod is read (AIBrix #1704).
    pods('decode', 2, { 'storm-service-name': 'ss', 'role-name': 'decode', 'stormservice.orchestration.aibrix.ai/pod-group-index': '0' }, 5); // 10 waiting: 2
    pods('decode-worker', 2, { 'storm-service-name': 'ss', 'role-name': 'decode', 'stormservice.orchestration.aibrix.ai/pod-group-index': '1' }, 500);
    k.server.apply(podAutoscaler('prefill', roleSpec('prefill')));
    k.server.apply(podAutoscaler('decode', roleSpec('decode')));
    const c = await k.controller();
    await waitFor(() => c.keys().length === 2);
    k.t += 10_000;
    const prefill = await c.reconcile('default/prefill');
    const decode = await c.reconcile('default/decode');
    expect(prefill.skipped).toBeUndefined();
    expect(prefill.scaled).toEqual({ from: 2, to: 8 });
    expect(decode.scaled).toBeUndefined(); // 2 needed, 2 there (held in panic at 2)
    const roles = (k.server.get('stormservices', 'default', 'ss')?.spec as { template: { spec: { roles: Array<{ name: string; replicas: number }> } } }).template.spec.roles;
    expect(roles.map((r) => [r.name, r.replicas])).toEqual([
      ['prefill', 8],
      ['decode', 2],
    ]);
  });

  test('replica mode reads and sets the StormService’s own replicas', async () => {
    stormService();
    pods('prefill', 2, { 'storm-service-name': 'ss', 'role-name': 'prefill' }, 20);
    k.server.apply(podAutoscaler('ss', roleSpec('prefill', { mode: 'replica' })));
    const c = await k.controller();
    await waitFor(() => c.keys().length === 1);
    k.t += 10_000;
    const r = await c.reconcile('default/ss');
    // 1 replica of the whole StormService (rate limit from 1 ready pod-equivalent as Knative counts the pods: 2).
    expect(r.scaled?.from).toBe(1);
    expect(k.replicas('ss', 'stormservices')).toBe(r.scaled?.to);
  });

  test('HPA refuses a role, as AIBrix does', async () => {
    stormService();
    k.server.apply(podAutoscaler('ss', { ...roleSpec('prefill'), scalingStrategy: 'HPA', observeWindowSeconds: undefined, panicWindowSeconds: undefined, maxScaleUpRate: undefined }));
    const c = await k.controller();
    await waitFor(() => c.keys().length === 1);
    const r = await c.reconcile('default/ss');
    expect(r.skipped).toBe('InvalidSpec');
  });
});
