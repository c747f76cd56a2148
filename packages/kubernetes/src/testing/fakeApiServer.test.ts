/**
 * The stand-in's Kubernetes semantics, exercised through the real client-node: what the
 * operator's tests rely on must behave as the API server does.
 */
import { AppsV1Api, CoordinationV1Api, CustomObjectsApi, EventsV1Api, PatchStrategy, setHeaderOptions, V1MicroTime, Watch } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { deployment, kpaSpec, podAutoscaler } from './cluster.js';
import { FakeApiServer } from './fakeApiServer.js';
import { kubeConfigFor } from './kubeConfig.js';
import { matchesLabels, parseLabelSelector } from '../controller/labelSelector.js';
import { jsonPatch, mergePatch } from './patch.js';

let server: FakeApiServer;
beforeEach(async () => {
  server = new FakeApiServer({ bookmarkIntervalMs: 50 });
  await server.start();
});
afterEach(async () => {
  await server.close();
});

const kc = () => kubeConfigFor(server.url);
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const codeOf = async (p: Promise<unknown>) => p.then(() => 200, (e: { code?: number }) => e.code);
const GVP = { group: 'autoscaling.prescale.dev', version: 'v1alpha1', plural: 'podautoscalers' };

describe('resourceVersion and conflicts', () => {
  test('every write gets a new resourceVersion; a stale one is 409 Conflict; a duplicate create is 409 AlreadyExists', async () => {
    const apps = kc().makeApiClient(AppsV1Api);
    const created = await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('web', 1) as never });
    const rv1 = created.metadata?.resourceVersion;
    const patched = await apps.patchNamespacedDeployment({ name: 'web', namespace: 'default', body: { metadata: { labels: { a: 'b' } } } }, merge);
    expect(Number(patched.metadata?.resourceVersion)).toBeGreaterThan(Number(rv1));
    expect(patched.metadata?.generation).toBe(1); // metadata only: same generation
    const stale = { ...created, spec: { ...created.spec, replicas: 3 } };
    expect(await codeOf(apps.replaceNamespacedDeployment({ name: 'web', namespace: 'default', body: stale as never }))).toBe(409);
    expect(await codeOf(apps.createNamespacedDeployment({ namespace: 'default', body: deployment('web', 1) as never }))).toBe(409);
    expect(await codeOf(apps.readNamespacedDeployment({ name: 'nope', namespace: 'default' }))).toBe(404);
    const body = JSON.parse(String(await apps.readNamespacedDeployment({ name: 'nope', namespace: 'default' }).catch((e: { body: unknown }) => e.body)));
    expect(body).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
  });

  test('patch content types: merge and JSON patch apply; a JSON-patch body of the wrong shape is refused', async () => {
    const apps = kc().makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('web', 1) as never });
    // client-node's default patch type is JSON patch: a merge-style body fails, as upstream.
    expect(await codeOf(apps.patchNamespacedDeploymentScale({ name: 'web', namespace: 'default', body: { spec: { replicas: 2 } } }))).toBe(400);
    const ok = await apps.patchNamespacedDeploymentScale({ name: 'web', namespace: 'default', body: [{ op: 'replace', path: '/spec/replicas', value: 2 }] });
    expect(ok.spec?.replicas).toBe(2);
    expect(mergePatch({ a: 1, b: { c: 2 } }, { b: { c: null, d: 3 } })).toEqual({ a: 1, b: { d: 3 } });
    expect(jsonPatch({ a: [1, 2] }, [{ op: 'add', path: '/a/-', value: 3 }, { op: 'remove', path: '/a/0' }])).toEqual({ a: [2, 3] });
  });
});

describe('subresources', () => {
  test('scale reads and writes spec.replicas, reports the selector, and honours its resourceVersion', async () => {
    const apps = kc().makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('web', 2) as never });
    const scale = await apps.readNamespacedDeploymentScale({ name: 'web', namespace: 'default' });
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 2 }, status: { selector: 'app=web' } });
    await apps.patchNamespacedDeployment({ name: 'web', namespace: 'default', body: { metadata: { labels: { x: 'y' } } } }, merge);
    const conditional = { metadata: { resourceVersion: scale.metadata?.resourceVersion }, spec: { replicas: 5 } };
    expect(await codeOf(apps.patchNamespacedDeploymentScale({ name: 'web', namespace: 'default', body: conditional }, merge))).toBe(409);
    await apps.patchNamespacedDeploymentScale({ name: 'web', namespace: 'default', body: { spec: { replicas: 5 } } }, merge);
    const d = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    expect(d.spec?.replicas).toBe(5);
    expect(d.metadata?.generation).toBe(2);
    expect(await codeOf(apps.patchNamespacedDeploymentScale({ name: 'web', namespace: 'default', body: { spec: { replicas: -1 } } }, merge))).toBe(422);
  });

  test('status: the main resource ignores status, /status changes only status', async () => {
    const custom = kc().makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({ ...GVP, namespace: 'default', body: { ...podAutoscaler('pa', kpaSpec('web')), status: { desiredScale: 9 } } });
    let pa = await custom.getNamespacedCustomObject({ ...GVP, namespace: 'default', name: 'pa' });
    expect(pa.status).toBeUndefined();
    await custom.patchNamespacedCustomObjectStatus({ ...GVP, namespace: 'default', name: 'pa', body: { status: { desiredScale: 3 }, spec: { maxReplicas: 99 } } }, merge);
    pa = await custom.getNamespacedCustomObject({ ...GVP, namespace: 'default', name: 'pa' });
    expect(pa.status).toEqual({ desiredScale: 3 });
    expect(pa.spec.maxReplicas).toBe(10);
    expect(pa.metadata.generation).toBe(1);
    // Strategic merge patch is not for custom resources.
    const smp = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
    expect(await codeOf(custom.patchNamespacedCustomObject({ ...GVP, namespace: 'default', name: 'pa', body: { spec: { maxReplicas: 4 } } }, smp))).toBe(415);
  });
});

describe('list and watch', () => {
  test('list filters by label selector and carries the resourceVersion a watch resumes from, with bookmarks', async () => {
    server.apply(podAutoscaler('a', kpaSpec('a')));
    const custom = kc().makeApiClient(CustomObjectsApi);
    const list = await custom.listClusterCustomObject(GVP);
    const events: string[] = [];
    const controller = await new Watch(kc()).watch(
      `/apis/${GVP.group}/${GVP.version}/${GVP.plural}`,
      { resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true },
      (type, obj) => events.push(`${type} ${obj.metadata?.name ?? obj.metadata?.resourceVersion}`),
      () => {},
    );
    server.apply(podAutoscaler('b', kpaSpec('b')));
    server.remove('podautoscalers', 'default', 'a');
    await new Promise((r) => setTimeout(r, 150));
    controller.abort();
    expect(events.filter((e) => !e.startsWith('BOOKMARK'))).toEqual(['ADDED b', 'DELETED a']);
    expect(events.some((e) => e === `BOOKMARK ${server.resourceVersion}`)).toBe(true);
    expect(parseLabelSelector('app=web,tier in (a, b),!canary').length).toBe(3);
    expect(matchesLabels(parseLabelSelector('app=web,tier in (a,b),!canary'), { app: 'web', tier: 'b' })).toBe(true);
    expect(matchesLabels(parseLabelSelector('app=web,tier notin (a)'), { app: 'web', tier: 'a' })).toBe(false);
  });

  test('a watch from a compacted resourceVersion gets an ERROR event with 410 Gone', async () => {
    server.apply(podAutoscaler('a', kpaSpec('a')));
    const rv = server.resourceVersion;
    server.apply(podAutoscaler('b', kpaSpec('b')));
    server.compact();
    const got: Array<{ type: string; code?: number; reason?: string }> = [];
    await new Promise<void>((resolve) => {
      void new Watch(kc()).watch(`/apis/${GVP.group}/${GVP.version}/${GVP.plural}`, { resourceVersion: rv }, (type, obj) => got.push({ type, code: obj.code, reason: obj.reason }), () => resolve());
    });
    expect(got).toEqual([{ type: 'ERROR', code: 410, reason: 'Expired' }]);
  });
});

describe('Events and Leases', () => {
  test('event and lease times must be MicroTime: a Date with milliseconds is refused, V1MicroTime is accepted', async () => {
    const events = kc().makeApiClient(EventsV1Api);
    const body = (eventTime: Date) => ({ metadata: { name: 'e1', namespace: 'default' }, eventTime, reportingController: 'x', reportingInstance: 'y', action: 'Scale', reason: 'R', type: 'Normal' });
    expect(await codeOf(events.createNamespacedEvent({ namespace: 'default', body: body(new Date(1_700_000_000_123)) }))).toBe(422);
    expect(await codeOf(events.createNamespacedEvent({ namespace: 'default', body: body(new V1MicroTime(1_700_000_000_123)) }))).toBe(200);
    expect(server.list('events.events.k8s.io')[0]?.eventTime).toBe('2023-11-14T22:13:20.123000Z');
    const leases = kc().makeApiClient(CoordinationV1Api);
    const lease = (renewTime: Date) => ({ metadata: { name: 'l', namespace: 'default' }, spec: { holderIdentity: 'a', renewTime } });
    expect(await codeOf(leases.createNamespacedLease({ namespace: 'default', body: lease(new Date()) }))).toBe(422);
    expect(await codeOf(leases.createNamespacedLease({ namespace: 'default', body: lease(new V1MicroTime()) }))).toBe(200);
  });
});

describe('faults', () => {
  test('injected statuses, delays and dropped connections apply to matching requests only, as often as asked', async () => {
    const apps = kc().makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({ namespace: 'default', body: deployment('web', 1) as never });
    server.addFault({ method: 'GET', path: /\/scale$/, status: 500, times: 1 });
    server.addFault({ method: 'GET', path: /deployments\/web$/, drop: true, times: 1 });
    expect(await codeOf(apps.readNamespacedDeploymentScale({ name: 'web', namespace: 'default' }))).toBe(500);
    expect(await codeOf(apps.readNamespacedDeploymentScale({ name: 'web', namespace: 'default' }))).toBe(200);
    expect(typeof (await codeOf(apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })))).not.toBe('number'); // no answer at all
    expect(await codeOf(apps.readNamespacedDeployment({ name: 'web', namespace: 'default' }))).toBe(200);
    expect(server.requests.map((r) => r.user)).toContain('prescale-test');
  });
});
