/**
 * The Optimizer strategy with the solver `prescale operator` gives it (HiGHS, from
 * `@prescale/optimizer`), against the API server stand-in: the decision is HiGHS's
 * proven optimum, the same one core's fleetStep gives on the same inputs, and both GPU
 * types' Deployments follow it. The demand's length histograms come through the
 * operator's own Prometheus port (`readSeries`) from a stand-in Prometheus.
 */
import type { Server } from 'node:http';
import { demandFromHistograms, fleetStep, initialFleetState, optimizerConfig } from '@prescale/core';
import { DEMAND_ANSWERS, demandPrometheus, deployment, optimizerTestSpec, podAutoscaler, profilesConfigMap, TEST_PROFILES, TestCluster, waitFor } from '@prescale/kubernetes/testing';
import { createHighsSolver } from '@prescale/optimizer';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { defaultOperatorPorts } from './ports.js';

const { rps: RPS, prompt: PROMPT, generation: GENERATION } = DEMAND_ANSWERS;

let k: TestCluster;
let server: Server;
let url: string;

beforeEach(async () => {
  k = await new TestCluster().start();
  ({ server, url } = await demandPrometheus());
});

afterEach(async () => {
  await k.stop();
  server.close();
});

describe('the Optimizer strategy with HiGHS', () => {
  test('one proven-optimal decision scales both GPU types, as core\u2019s fleetStep decides it', async () => {
    const solver = await createHighsSolver();
    const ports = defaultOperatorPorts();
    k.server.apply(deployment('llm-l4', 1));
    k.server.apply(deployment('llm-a100', 1));
    k.server.apply(profilesConfigMap('llm-profiles'));
    const spec = optimizerTestSpec('llm') as { optimizer: { demand: { endpoint: string } } };
    spec.optimizer.demand.endpoint = url;
    k.server.apply(podAutoscaler('llm', spec));
    const c = await k.controller({ metrics: ports.metrics, allowedEndpoints: [url], solver });
    try {
      await waitFor(() => c.keys().includes('default/llm'), 30_000, 'informer');
      const r = await c.reconcile('default/llm');
      expect(r.error).toBeUndefined();

      const config = optimizerConfig({ profiles: TEST_PROFILES, headroom: 0.1, bounds: { L4: { max: 10 }, A100: { max: 10 } } });
      const lengths = (rows: Array<[string, number]>) => rows.map(([le, value]) => ({ le: le === '+Inf' ? Infinity : Number(le), value }));
      const mix = demandFromHistograms(config, RPS, { prompt: lengths(PROMPT), generation: lengths(GENERATION) }, 60)!;
      const expected = fleetStep(config, { stabilizationSeconds: 300, minTotalReplicas: 1, switchTolerance: 0.15 }, initialFleetState(), { now: k.t, demand: mix, current: { L4: 1, A100: 1 }, ready: { L4: 1, A100: 1 } }, solver).decision;

      expect(expected.allocation.status).toBe('Optimal');
      expect(r.fleet?.desired).toEqual(expected.replicas);
      expect({ L4: k.replicas('llm-l4'), A100: k.replicas('llm-a100') }).toEqual(expected.replicas);
      const status = k.status('llm')!;
      expect(status.optimizer).toMatchObject({ status: 'Optimal', costPerHour: expected.allocation.costPerHour });
      expect(status.optimizer.solver).toMatch(/^HiGHS/);
    } finally {
      await ports.close();
    }
  });
});
