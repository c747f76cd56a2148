/**
 * The Optimizer strategy against the stand-in API server, through client-node: one
 * decision (core's fleetStep, here on a solver that answers with the greedy start, so
 * no WebAssembly is needed; the CLI's tests run HiGHS) scales both GPU types'
 * Deployments and writes each type's replicas in status; missing demand, a missing
 * solver or missing profiles hold; a demand above the maxima is applied at the bounds
 * with DemandCovered=False.
 */
import { demandFromHistograms, fleetStep, initialFleetState } from '@prescale/core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { OptimizerSpecSchema } from '../crd/optimizerSpec.js';
import { validateSpec } from '../crd/validateSpec.js';
import { deployment, kpaSpec, podAutoscaler, TestCluster, waitFor } from '../testing/cluster.js';
import { OPTIMIZER_ONLY, VALID_SPEC } from '../testing/invalidSpecs.js';
import { DEMAND_ENDPOINT, DEMAND_QUERIES, lengthHistogram, optimizerTestSpec, profilesConfigMap, startPointSolver } from '../testing/optimizer.js';
import { crdValidator } from '../testSupport.js';
import type { Controller } from './controller.js';
import { fleetConfig } from './optimizerRead.js';

let k: TestCluster;

beforeEach(async () => {
  k = await new TestCluster().start();
});

afterEach(async () => {
  await k.stop();
});

const PROMPT = lengthHistogram([100, 300, 1000, 3000], [10, 50, 30, 10]);
const GENERATION = lengthHistogram([50, 100, 300, 1000], [20, 40, 30, 10]);

function demand(rps: number | null, prompt = PROMPT, generation = GENERATION): void {
  k.metrics.external.requestRate = rps;
  k.metrics.series.set(DEMAND_QUERIES.prompt, prompt);
  k.metrics.series.set(DEMAND_QUERIES.generation, generation);
}

async function fleet(spec = optimizerTestSpec('llm'), options: Parameters<TestCluster['controller']>[0] = { solver: startPointSolver }): Promise<Controller> {
  k.server.apply(deployment('llm-l4', 1));
  k.server.apply(deployment('llm-a100', 1));
  k.server.apply(profilesConfigMap('llm-profiles'));
  k.server.apply(podAutoscaler('llm', spec));
  const c = await k.controller({ allowedEndpoints: [DEMAND_ENDPOINT], ...options });
  await waitFor(() => c.keys().includes('default/llm'), 30_000, 'informer');
  return c;
}

describe('the Optimizer strategy in the controller', () => {
  test('a valid Optimizer spec passes validateSpec and the CRD schema', () => {
    expect(validateSpec({ ...VALID_SPEC, ...OPTIMIZER_ONLY })).toMatchObject({ ok: true, spec: { scalingStrategy: 'Optimizer' } });
    const validate = crdValidator();
    expect(validate({ apiVersion: 'autoscaling.prescale.dev/v1alpha1', kind: 'PodAutoscaler', metadata: { name: 'x' }, spec: JSON.parse(JSON.stringify(optimizerTestSpec('llm'))) }), JSON.stringify(validate.errors)).toBe(true);
  });

  test('one decision scales both GPU types\u2019 Deployments, the one core\u2019s fleetStep makes, and status shows each type', async () => {
    const c = await fleet();
    demand(9);
    const r = await c.reconcile('default/llm');
    expect(r.error).toBeUndefined();

    // The reference: core's fleetStep on the same profiles, demand and replicas.
    const spec = OptimizerSpecSchema.parse((optimizerTestSpec('llm') as { optimizer: unknown }).optimizer);
    const config = fleetConfig(spec, (profilesConfigMap('llm-profiles').data as Record<string, string>));
    const lengths = (h: typeof PROMPT) => h.map((s) => ({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), value: s.value }));
    const mix = demandFromHistograms(config, 9, { prompt: lengths(PROMPT), generation: lengths(GENERATION) }, 60)!;
    const expected = fleetStep(config, { stabilizationSeconds: 300, minTotalReplicas: 1, switchTolerance: 0.15 }, initialFleetState(), { now: k.t, demand: mix, current: { L4: 1, A100: 1 }, ready: { L4: 1, A100: 1 } }, startPointSolver).decision;

    expect(r.fleet?.desired).toEqual(expected.replicas);
    expect({ L4: k.replicas('llm-l4'), A100: k.replicas('llm-a100') }).toEqual(expected.replicas);
    const changed = Object.entries(expected.replicas).filter(([, n]) => n !== 1);
    expect(changed.length).toBeGreaterThan(0);
    expect(k.scalePatches()).toHaveLength(changed.length);

    const status = k.status('llm')!;
    expect(status.optimizer.status).toBe(expected.allocation.status);
    expect(status.optimizer.types.map((t: { gpu: string; desiredReplicas: number; currentReplicas: number; readyReplicas: number }) => [t.gpu, t.desiredReplicas, t.currentReplicas, t.readyReplicas])).toEqual([
      ['L4', expected.replicas.L4, 1, 1],
      ['A100', expected.replicas.A100, 1, 1],
    ]);
    expect(status.desiredScale).toBe(expected.replicas.L4! + expected.replicas.A100!);
    expect(status.lastDecision).toMatchObject({ algorithm: 'optimizer', valid: true });
    expect(status.scalingHistory.map((h: { reason: string }) => h.reason.split(':')[0])).toEqual(changed.map(([gpu]) => gpu).sort((a, b) => (expected.replicas[b]! > 1 ? 1 : 0) - (expected.replicas[a]! > 1 ? 1 : 0)));
    expect(k.condition('llm', 'DemandCovered')?.status).toBe('True');
    expect(k.condition('llm', 'ScalingActive')?.status).toBe('True');
    // The status is one the API server's schema accepts.
    const validate = crdValidator();
    expect(validate(k.server.get('podautoscalers', 'default', 'llm')), JSON.stringify(validate.errors)).toBe(true);
  });

  test.each([
    ['the rate query answers nothing', () => demand(null)],
    ['the length histograms are empty', () => demand(5, [], [])],
    ['every query fails', () => {
      demand(5);
      k.metrics.failQueries = new Error('connection refused');
    }],
  ])('missing demand (%s) holds every type, never a zero, and says why', async (_what, arrange) => {
    const c = await fleet();
    arrange();
    const r = await c.reconcile('default/llm');
    expect(r.fleet?.desired).toEqual({ L4: 1, A100: 1 });
    expect(k.scalePatches()).toHaveLength(0);
    expect(k.condition('llm', 'ScalingActive')).toMatchObject({ status: 'False', reason: 'DemandUnavailable' });
    expect(k.status('llm')?.optimizer).toMatchObject({ status: 'Held', reasons: ['DemandUnavailable'] });
  });

  test('a failed demand query is named in MetricsAvailable', async () => {
    const c = await fleet();
    demand(5);
    k.metrics.failQueries = new Error('connection refused');
    await c.reconcile('default/llm');
    expect(k.condition('llm', 'MetricsAvailable')?.status).toBe('False');
    expect(k.condition('llm', 'MetricsAvailable')?.message).toMatch(/optimizer\.demand\.rateQuery/);
  });

  test('a demand endpoint outside the allow-list is not queried: the fleet holds', async () => {
    const c = await fleet(optimizerTestSpec('llm'), { solver: startPointSolver, allowedEndpoints: [] });
    demand(9);
    await c.reconcile('default/llm');
    expect(k.metrics.queries).toHaveLength(0);
    expect(k.condition('llm', 'MetricsAvailable')).toMatchObject({ status: 'False', reason: 'EndpointNotAllowed' });
    expect(k.scalePatches()).toHaveLength(0);
  });

  test('without a solver every type holds with NoSolver', async () => {
    const c = await fleet(optimizerTestSpec('llm'), {});
    demand(9);
    const r = await c.reconcile('default/llm');
    expect(r.fleet?.desired).toEqual({ L4: 1, A100: 1 });
    expect(k.condition('llm', 'ScalingActive')).toMatchObject({ status: 'False', reason: 'NoSolver' });
  });

  test('a demand above every maximum is applied at the bounds, with DemandCovered=False and the reason', async () => {
    const c = await fleet(optimizerTestSpec('llm', {}, { L4: { max: 2 }, A100: { max: 3 } }));
    demand(500);
    const r = await c.reconcile('default/llm');
    expect(r.fleet?.desired).toEqual({ L4: 2, A100: 3 });
    expect(k.condition('llm', 'DemandCovered')).toMatchObject({ status: 'False', reason: 'DemandAboveMaximum' });
    expect(k.status('llm')?.optimizer.uncoveredRps).toBeGreaterThan(0);
  });

  test('a profile missing from the ConfigMap stops the loop: AbleToScale=False, nothing scaled', async () => {
    const c = await fleet();
    k.server.apply({ ...profilesConfigMap('llm-profiles'), data: { 'L4.json': (profilesConfigMap('llm-profiles').data as Record<string, string>)['L4.json']! } });
    demand(9);
    await c.reconcile('default/llm');
    expect(k.condition('llm', 'AbleToScale')).toMatchObject({ status: 'False', reason: 'FailedGetProfiles' });
    expect(k.condition('llm', 'AbleToScale')?.message).toMatch(/A100\.json/);
    expect(k.scalePatches()).toHaveLength(0);
  });

  test('a KPA PodAutoscaler on one of the types\u2019 Deployments is a conflict for both: neither scales', async () => {
    const c = await fleet();
    k.server.apply(podAutoscaler('rival', kpaSpec('llm-a100')));
    await waitFor(() => c.keys().includes('default/rival'), 30_000, 'informer');
    demand(9);
    expect((await c.reconcile('default/llm')).skipped).toBe('Conflict');
    expect((await c.reconcile('default/rival')).skipped).toBe('Conflict');
    expect(k.scalePatches()).toHaveLength(0);
    expect(k.condition('llm', 'MultiPodAutoscalerConflict')?.status).toBe('True');
  });

  test('status is written when a type’s replicas or readiness change, and otherwise only to refresh it', async () => {
    const c = await fleet();
    demand(9);
    expect((await c.reconcile('default/llm')).statusWritten).toBe(true);
    // The new pods are ready now: each type's ready count changed.
    await waitFor(() => k.server.list('pods').length === k.replicas('llm-l4') + k.replicas('llm-a100'), 30_000, 'pods');
    k.t += 10_000;
    expect((await c.reconcile('default/llm')).statusWritten).toBe(true);
    // The controller compares with the object as its informer last saw it: wait until it has seen that write.
    const written = k.status('llm')?.lastDecision.time;
    await waitFor(() => (c.object('default/llm')?.status as { lastDecision?: { time: string } } | undefined)?.lastDecision?.time === written, 30_000, 'the informer');
    k.t += 10_000;
    const quiet = await c.reconcile('default/llm');
    expect(quiet.fleet?.scaled).toBeUndefined();
    expect(quiet.statusWritten).toBe(false);
  });

  test('the stabilised rate survives a restart through status.scalerState', async () => {
    const c = await fleet();
    demand(9);
    await c.reconcile('default/llm');
    const up = { L4: k.replicas('llm-l4'), A100: k.replicas('llm-a100') };
    await c.stop();
    // A new controller, a minute later, the load gone quiet: the rate of the last 5 minutes still rules.
    k.t += 60_000;
    demand(0.5);
    const d = await k.controller({ allowedEndpoints: [DEMAND_ENDPOINT], solver: startPointSolver });
    await waitFor(() => d.keys().includes('default/llm'), 30_000, 'informer');
    const r = await d.reconcile('default/llm');
    expect(r.fleet?.desired).toEqual(up);
    expect(k.status('llm')?.optimizer.reasons).toContain('Stabilized');
  });
});
