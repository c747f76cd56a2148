import { fc, test as prop } from '@fast-check/vitest';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { PodAutoscalerStatus } from '../crd/status.js';
import { kpaSpec, deployment, podAutoscaler, T0, TestCluster, waitFor } from '../testing/cluster.js';
import { RUNS } from '../testSupport.js';
import { statusMeaning, statusNeedsWrite } from './statusRefresh.js';

const at = (ms: number) => new Date(ms).toISOString();

function status(over: Partial<PodAutoscalerStatus> = {}, time = T0): PodAutoscalerStatus {
  return {
    observedGeneration: 1,
    desiredScale: 3,
    actualScale: 3,
    conditions: [
      { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: 'read the scale', lastTransitionTime: at(T0 - 60_000) },
      { type: 'ScalingActive', status: 'False', reason: 'Stable', message: 'average 9.1 per pod, target 10' },
    ],
    lastDecision: { time: at(time), algorithm: 'kpa', valid: true, reasons: ['Stable'], message: 'average 9.1 per pod, target 10' },
    metrics: [{ source: 'metricsSources[0]', type: 'pod', metric: 'vllm:num_requests_waiting', value: 9.1, desiredReplicas: 3 }],
    scalerState: 'v1:abc',
    ...over,
  };
}

describe('statusNeedsWrite', () => {
  test('a status that means the same is not rewritten before the refresh is due, and is at it', () => {
    const moved = status(
      {
        lastDecision: { time: at(T0 + 10_000), algorithm: 'kpa', valid: true, reasons: ['Stable'], message: 'average 9.7 per pod, target 10' },
        metrics: [{ source: 'metricsSources[0]', type: 'pod', metric: 'vllm:num_requests_waiting', value: 9.7, desiredReplicas: 3 }],
        scalerState: 'v1:def',
      },
      T0 + 10_000,
    );
    expect(statusNeedsWrite(status(), moved, T0 + 10_000, 60)).toBe(false);
    expect(statusNeedsWrite(status(), moved, T0 + 59_999, 60)).toBe(false);
    expect(statusNeedsWrite(status(), moved, T0 + 60_000, 60)).toBe(true);
    expect(statusNeedsWrite(status(), moved, T0 + 10_000, 0)).toBe(true);
  });

  test.each<[string, Partial<PodAutoscalerStatus>]>([
    ['desired replicas', { desiredScale: 4 }],
    ['actual replicas', { actualScale: 2 }],
    ['a condition\u2019s status', { conditions: [{ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale' }, { type: 'ScalingActive', status: 'False', reason: 'Stable' }] }],
    ['a condition\u2019s reason', { conditions: [{ type: 'AbleToScale', status: 'True', reason: 'SucceededRescale' }, { type: 'ScalingActive', status: 'False', reason: 'Stable' }] }],
    ['the decision\u2019s reasons', { lastDecision: { time: at(T0), algorithm: 'kpa', valid: true, reasons: ['Panic'], message: '' } }],
    ['a source\u2019s proposal', { metrics: [{ source: 'metricsSources[0]', type: 'pod', metric: 'm', desiredReplicas: 4 }] }],
    ['a source that fails', { metrics: [{ source: 'metricsSources[0]', type: 'pod', metric: 'm', desiredReplicas: 3, error: 'scrape failed' }] }],
    ['the observed generation', { observedGeneration: 2 }],
    ['the bounds in force', { scheduledBounds: { effectiveMinReplicas: 1, effectiveMaxReplicas: 8 } }],
  ])('a change of %s is written at once', (_, change) => {
    expect(statusNeedsWrite(status(), status(change, T0 + 10_000), T0 + 10_000, 60)).toBe(true);
  });

  test('a status without a decision time, or one from the future, is written', () => {
    expect(statusNeedsWrite(undefined, status(), T0, 60)).toBe(true);
    expect(statusNeedsWrite({ observedGeneration: 1 }, status(), T0, 60)).toBe(true);
    expect(statusNeedsWrite(status({}, T0 + 30_000), status({}, T0 + 10_000), T0 + 10_000, 60)).toBe(true);
  });

  prop.prop([fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 3_600_000 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })], { numRuns: RUNS })(
    'never holds a status longer than the refresh, and never holds a change of replicas',
    (refresh, elapsed, before, after) => {
      const current = status({ desiredScale: before });
      const next = status({ desiredScale: after }, T0 + elapsed);
      const write = statusNeedsWrite(current, next, T0 + elapsed, refresh);
      if (elapsed >= refresh * 1000 || before !== after) expect(write).toBe(true);
      else expect(write).toBe(statusMeaning(current) !== statusMeaning(next));
    },
  );
});

describe('status writes through the controller', () => {
  let k: TestCluster;
  beforeEach(async () => {
    k = await new TestCluster().start();
  });
  afterEach(async () => {
    await k.stop();
  });

  const statusPatches = () => k.server.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/llm/status')).length;

  test('a steady autoscaler writes its status once a refresh period; a scale is written at once', async () => {
    k.server.apply(deployment('llm', 2));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm')));
    const c = await k.controller();
    await waitFor(() => c.keys().length === 1);
    const loop = async (load: number) => {
      k.spreadLoad('llm', load);
      const r = await c.reconcile('default/llm');
      expect(r.error).toBeUndefined();
      // The controller's copy (its informer's) must hold the last write before the next loop compares with it.
      const time = k.status('llm')?.lastDecision?.time;
      await waitFor(() => time !== undefined && c.object('default/llm')?.status?.lastDecision?.time === time);
      return r;
    };
    // 8–9 waiting over 2 pods at a target of 5 per pod: stable at 2, the numbers moving.
    expect((await loop(9)).statusWritten).toBe(true);
    const first = k.status('llm')?.lastDecision.time;
    const writes: boolean[] = [];
    for (let s = 10; s < 60; s += 10) {
      k.t = T0 + s * 1000;
      writes.push((await loop(s % 20 === 0 ? 8 : 9)).statusWritten ?? false);
    }
    expect(writes).toEqual([false, false, false, false, false]);
    expect(k.status('llm')?.lastDecision.time).toBe(first);
    k.t = T0 + 60_000;
    expect((await loop(9)).statusWritten).toBe(true);
    await waitFor(() => k.status('llm')?.lastDecision.time === at(T0 + 60_000));
    const before = statusPatches();
    k.t = T0 + 70_000;
    const scaled = await loop(30);
    expect(scaled.scaled?.from).toBe(2);
    const to = scaled.scaled?.to ?? 0;
    expect(to).toBeGreaterThan(2);
    expect(scaled.statusWritten).toBe(true);
    expect(statusPatches()).toBe(before + 1);
    expect(k.status('llm')?.desiredScale).toBe(to);
  });
});
