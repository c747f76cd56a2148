/**
 * Scale to zero and back (issue 21), against the stand-in: a KPA PodAutoscaler with
 * minReplicas 0 goes to 0 when its pods report no load, says so in `Active`, and wakes
 * to one replica when the wake-up source (a gateway's waiting requests) sees a request,
 * although no pod exists to report anything. Without a wake-up source, minReplicas 0 is
 * refused with a message that says why.
 */
import { fc, test as prop } from '@fast-check/vitest';
import type { Observation } from '@prescale/core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { validateSpec } from '../crd/validateSpec.js';
import { deployment, kpaSpec, podAutoscaler, TestCluster, waitFor } from '../testing/cluster.js';
import { MetricSourceError } from './metricsPort.js';
import { activeCondition, withWaitingRequests } from './wakeUp.js';

const GATEWAY = 'http://prometheus.monitoring:9090';
const wakeUp = { metricSourceType: 'prometheus', endpoint: GATEWAY, query: 'sum(envoy_cluster_upstream_rq_pending_active{envoy_cluster_name=~".*llm.*"})' };
const RUNS = Math.max(1000, Number(process.env.PRESCALE_FC_RUNS ?? 0));

describe('minReplicas 0 in the spec', () => {
  test('is refused without a source that sees requests while no pod exists, saying what to set', () => {
    const r = validateSpec(kpaSpec('llm', { minReplicas: 0 }));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.field).toBe('spec.minReplicas');
      expect(r.error.message).toMatch(/spec\.wakeUp/);
    }
    const scheduled = validateSpec(kpaSpec('llm', { schedules: [{ name: 'night', startTime: '00:00', endTime: '06:00', minReplicas: 0 }] }));
    expect(scheduled.ok === false && scheduled.error.field).toBe('spec.schedules[0].minReplicas');
  });

  test('is accepted with spec.wakeUp on KPA, or with a prometheus metric source; refused on APA', () => {
    expect(validateSpec(kpaSpec('llm', { minReplicas: 0, wakeUp })).ok).toBe(true);
    const total = { metricSourceType: 'prometheus', endpoint: GATEWAY, query: 'sum(vllm:num_requests_waiting)', targetMetric: 'waiting', targetValue: '5' };
    expect(validateSpec(kpaSpec('llm', { minReplicas: 0, metricsSources: [total] })).ok).toBe(true);
    const apa = validateSpec(kpaSpec('llm', { minReplicas: 0, wakeUp, scalingStrategy: 'APA', panicWindowSeconds: undefined }));
    expect(apa.ok === false && apa.error.field).toBe('spec.wakeUp');
  });

  test('checks the wake-up source\u2019s fields by its type', () => {
    expect(validateSpec(kpaSpec('llm', { minReplicas: 0, wakeUp: { metricSourceType: 'prometheus', endpoint: GATEWAY } }))).toMatchObject({ ok: false, error: { field: 'spec.wakeUp.query' } });
    expect(validateSpec(kpaSpec('llm', { minReplicas: 0, wakeUp: { metricSourceType: 'scrape', endpoint: 'http://gw:9090/metrics' } }))).toMatchObject({ ok: false, error: { field: 'spec.wakeUp.targetMetric' } });
    expect(validateSpec(kpaSpec('llm', { minReplicas: 0, wakeUp: { metricSourceType: 'scrape', endpoint: 'gw:9090', targetMetric: 'q' } }))).toMatchObject({ ok: false, error: { field: 'spec.wakeUp.endpoint' } });
  });
});

describe('the waiting requests in the observation', () => {
  const pod = (ready: boolean) => ({ name: 'p', phase: 'Running' as const, ready, metrics: { m: 1 } });
  prop.prop([fc.boolean(), fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: null }), fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: undefined })], { numRuns: RUNS })(
    'are the total only while no pod serves, never lower than a total another source gave, and never invent a value',
    (serving, waiting, total) => {
      const obs: Observation = { now: 0, currentReplicas: serving ? 1 : 0, pods: serving ? [pod(true)] : [pod(false)], ...(total !== undefined ? { external: { m: total } } : {}) };
      const out = withWaitingRequests(obs, 'm', waiting);
      if (serving || waiting === null) expect(out).toBe(obs);
      else expect(out.external?.m).toBe(Math.max(waiting, total ?? 0));
    },
  );

  test('Active names why a target at 0 stays there, and is left out where zero is not possible', () => {
    const base = { minReplicas: 0, currentReplicas: 0, desiredReplicas: 0, totalSource: false, message: 'm' };
    expect(activeCondition({ ...base, minReplicas: 1, wakeUp: null })).toBeNull();
    expect(activeCondition({ ...base, wakeUp: { ok: true, waiting: 0 } })?.reason).toBe('ScaledToZero');
    expect(activeCondition({ ...base, wakeUp: null })?.reason).toBe('NoWakeUpSource');
    expect(activeCondition({ ...base, wakeUp: { ok: false, failure: { source: 'wakeUp', kind: 'Timeout', message: 'timed out' } } })).toMatchObject({ reason: 'WakeUpSourceFailed', status: 'False' });
    expect(activeCondition({ ...base, desiredReplicas: 1, wakeUp: { ok: true, waiting: 2 } })?.reason).toBe('Activating');
    expect(activeCondition({ ...base, currentReplicas: 2, wakeUp: { ok: true, waiting: 0 } })).toMatchObject({ status: 'True', reason: 'Serving' });
  });
});

describe('a KPA PodAutoscaler with minReplicas 0 and a wake-up source', () => {
  let k: TestCluster;
  beforeEach(async () => {
    k = await new TestCluster().start();
  });
  afterEach(async () => {
    await k.stop();
  });

  test('goes to 0 without load, holds there saying why, and wakes when the gateway sees a waiting request', async () => {
    k.server.apply(deployment('llm', 1));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm', { minReplicas: 0, wakeUp })));
    const c = await k.controller({ allowedEndpoints: [GATEWAY] });
    await waitFor(() => c.keys().length === 1);
    k.metrics.external.wakeUp = 0;
    // No load: the KPA wants 0 and, after its grace period, takes the target there.
    for (let i = 0; i < 20 && k.replicas('llm') > 0; i++) {
      k.metrics.set('llm-0', 'vllm:num_requests_waiting', 0);
      k.t += 10_000;
      await c.reconcile('default/llm');
    }
    expect(k.replicas('llm')).toBe(0);
    // At 0, no pod: it stays there while nothing waits, and says so.
    k.t += 10_000;
    expect((await c.reconcile('default/llm')).scaled).toBeUndefined();
    await waitFor(() => k.condition('llm', 'Active')?.reason === 'ScaledToZero', 2000, 'Active=False ScaledToZero');
    // The wake-up source fails: still 0, never a zero read as load or a scale, and Active says so.
    k.metrics.failQueries = new MetricSourceError('Timeout', `no answer from ${GATEWAY} within 10 s`);
    k.t += 10_000;
    expect((await c.reconcile('default/llm')).scaled).toBeUndefined();
    await waitFor(() => k.condition('llm', 'Active')?.reason === 'WakeUpSourceFailed', 2000, 'Active=False WakeUpSourceFailed');
    k.metrics.failQueries = null;
    // Three requests wait at the gateway: core's KPA sees them as the target's load and wakes it.
    k.metrics.external.wakeUp = 3;
    k.t += 10_000;
    const r = await c.reconcile('default/llm');
    expect(r.scaled).toEqual({ from: 0, to: 1 });
    expect(k.replicas('llm')).toBe(1);
    await waitFor(() => k.condition('llm', 'Active')?.reason === 'Activating', 2000, 'Active=False Activating');
  });
});
