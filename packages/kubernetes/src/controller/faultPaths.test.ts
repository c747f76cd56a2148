/**
 * Fault paths of the operator against the stand-in that faults.test.ts leaves out: a
 * failed status patch, a failed Event, a dropped pod watch, leadership lost in the
 * middle of a loop, a halted loop after a good one, and a StatefulSet target.
 * (Prometheus and history failures inside the loop: metricSources.test.ts.)
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { deployment, kpaSpec, pod, podAutoscaler, statefulSet, TestCluster, waitFor } from '../testing/cluster.js';
import type { Controller, LoopResult } from './controller.js';
import { errorsOfKind } from '../testSupport.js';
import { ControllerMetrics } from './controllerMetrics.js';

let k: TestCluster;
let logs: Array<{ level: string; message: string }>;
const log = (level: string, message: string) => logs.push({ level, message });

beforeEach(async () => {
  k = await new TestCluster().start();
  logs = [];
});
afterEach(async () => {
  await k.stop();
});

const events = () => k.server.list('events.events.k8s.io');

async function started(options: Parameters<TestCluster['controller']>[0] = {}): Promise<Controller> {
  const c = await k.controller({ log, ...options });
  await waitFor(() => c.keys().length === 1 && c.synced);
  return c;
}

/** One replica, a KPA that may scale it up tenfold, and load for six. */
async function scalingUp(options: Parameters<TestCluster['controller']>[0] = {}): Promise<Controller> {
  k.server.apply(deployment('llm', 1));
  k.server.apply(podAutoscaler('llm', kpaSpec('llm', { maxScaleUpRate: 10 })));
  const c = await started(options);
  k.spreadLoad('llm', 30);
  return c;
}

describe('writes that fail', () => {
  test('a failed status patch: the scale stands, the failure is counted and logged, the next loop writes status', async () => {
    const metrics = new ControllerMetrics();
    const c = await scalingUp({ observer: metrics });
    k.server.addFault({ method: 'PATCH', path: /\/status$/, status: 500, times: 1 });
    const r = await c.reconcile('default/llm');
    expect(r.scaled).toEqual({ from: 1, to: 6 });
    expect(r.error?.message).toMatch(/update status of podautoscalers\/llm: injected fault 500/);
    expect(k.status('llm')).toBeUndefined();
    expect(await errorsOfKind(metrics, 'StatusUpdate')).toBe(1);
    expect(logs).toContainEqual({ level: 'warn', message: 'status update failed' });
    // The Event of the scale is still recorded: the scale happened.
    expect(events().map((e) => e.reason)).toEqual(['SuccessfulRescale']);
    k.t += 10_000;
    k.spreadLoad('llm', 30); // over the six pods now
    const next = await c.reconcile('default/llm');
    expect(next.error).toBeUndefined();
    expect(next.scaled).toBeUndefined();
    await waitFor(() => k.status('llm')?.lastDecision?.time === new Date(k.t).toISOString(), 2000, 'status');
    expect(k.status('llm')).toMatchObject({ desiredScale: 6, actualScale: 6 });
  });

  test('a failed Event: counted and logged, the loop succeeds, the next Event goes through', async () => {
    const metrics = new ControllerMetrics();
    const c = await scalingUp({ observer: metrics });
    k.server.addFault({ method: 'POST', path: /\/events$/, status: 500, times: 1 });
    const r = await c.reconcile('default/llm');
    expect(r.error).toBeUndefined();
    expect(k.replicas('llm')).toBe(6);
    await waitFor(() => k.status('llm')?.desiredScale === 6, 2000, 'status');
    expect(events()).toEqual([]);
    expect(await errorsOfKind(metrics, 'Event')).toBe(1);
    expect(logs).toContainEqual({ level: 'warn', message: 'event failed' });
    k.t += 10_000;
    k.spreadLoad('llm', 90);
    await c.reconcile('default/llm');
    expect(events().map((e) => e.reason)).toEqual(['SuccessfulRescale']);
  });
});

describe('leadership lost in the middle of a loop', () => {
  test('the status written while leading stands; no Event is sent after (as InvalidSpec\u2019s)', async () => {
    let leading = true;
    const c = await scalingUp({ isLeader: () => leading });
    // Leadership is lost while the status patch is on its way.
    k.server.addFault({
      method: 'PATCH',
      path: /\/status$/,
      when: () => {
        leading = false;
        return false;
      },
    });
    const r = await c.reconcile('default/llm');
    expect(r.scaled).toEqual({ from: 1, to: 6 });
    await waitFor(() => k.status('llm')?.desiredScale === 6, 2000, 'status');
    expect(events()).toEqual([]);
  });
});

describe('a halted loop after a good one', () => {
  test('FailedGetScale keeps ScalingActive and MetricsAvailable, and sets Ready False', async () => {
    k.server.apply(deployment('llm', 2));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm')));
    const c = await started();
    k.spreadLoad('llm', 10);
    await c.reconcile('default/llm');
    // The controller has seen its own status (the halted loop keeps what it read).
    await waitFor(() => c.object('default/llm')?.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') === true, 2000, 'a ready status');
    const before = k.condition('llm', 'ScalingActive');
    expect(before).toBeDefined();
    k.server.addFault({ method: 'GET', path: /\/scale$/, status: 500, times: 1 });
    k.t += 10_000;
    await c.reconcile('default/llm');
    await waitFor(() => k.condition('llm', 'AbleToScale')?.reason === 'FailedGetScale', 2000, 'the halt');
    expect(k.condition('llm', 'ScalingActive')).toEqual(before);
    expect(k.condition('llm', 'MetricsAvailable')?.status).toBe('True');
    expect(k.condition('llm', 'Ready')).toMatchObject({ status: 'False', reason: 'FailedGetScale' });
  });
});

describe('the pod watch', () => {
  test('dropped: the cache restarts and a pod that appears after the drop is observed', async () => {
    k.server.apply(deployment('llm', 2));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm')));
    const c = await started({ pods: 'watch' });
    k.spreadLoad('llm', 10);
    const podWatches = () => k.server.requests.filter((r) => r.path.endsWith('/pods') && r.query.watch === 'true').length;
    expect((await c.reconcile('default/llm')).decision?.detail).toMatchObject({ decider: { readyPods: 2 } });
    const watchesBefore = podWatches();
    k.server.dropWatches();
    await waitFor(() => podWatches() > watchesBefore && k.server.openWatches >= 2, 3000, 'the pod watch again');
    k.server.apply(pod('llm-extra', 'llm', '10.0.0.9'));
    k.metrics.set('llm-extra', 'vllm:num_requests_waiting', 5);
    let r: LoopResult | undefined;
    const deadline = Date.now() + 3000;
    do {
      k.t += 10_000;
      r = await c.reconcile('default/llm');
      if ((r.decision?.detail as { decider?: { readyPods?: number } } | undefined)?.decider?.readyPods === 3) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    } while (Date.now() < deadline);
    expect(r?.decision?.detail).toMatchObject({ decider: { readyPods: 3 } });
  });
});

describe('a target other than a Deployment', () => {
  test('a StatefulSet is read and scaled through its own scale subresource', async () => {
    k.server.apply(statefulSet('db', 1));
    k.server.apply(podAutoscaler('db', kpaSpec('db', { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' }, maxScaleUpRate: 10 })));
    const c = await started();
    await waitFor(() => k.server.list('pods').length === 1, 2000, 'the pod');
    k.spreadLoad('db', 20);
    const r = await c.reconcile('default/db');
    expect(r.scaled).toEqual({ from: 1, to: 4 });
    expect(k.replicas('db', 'statefulsets')).toBe(4);
    expect(k.scalePatches().map((p) => p.path)).toEqual(['/apis/apps/v1/namespaces/default/statefulsets/db/scale']);
    await waitFor(() => k.status('db')?.actualScale === 4, 2000, 'status');
  });
});
