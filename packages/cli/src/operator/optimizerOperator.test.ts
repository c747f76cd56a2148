/**
 * The Optimizer strategy with the solver `prescale operator` gives it (HiGHS, from
 * `@prescale/optimizer`), against the API server stand-in: the decision is HiGHS's
 * proven optimum, the same one core's fleetStep gives on the same inputs, and both GPU
 * types' Deployments follow it. The demand's length histograms come through the
 * operator's own Prometheus port (`readSeries`) from a stand-in Prometheus.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demandFromHistograms, fleetStep, initialFleetState, optimizerConfig } from '@prescale/core';
import { deployment, optimizerTestSpec, podAutoscaler, profilesConfigMap, TEST_PROFILES, TestCluster, waitFor } from '@prescale/kubernetes/testing';
import { createHighsSolver } from '@prescale/optimizer';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { defaultOperatorPorts } from './ports.js';

const PROMPT: Array<[string, number]> = [['100', 10], ['300', 60], ['1000', 90], ['3000', 100], ['+Inf', 100]];
const GENERATION: Array<[string, number]> = [['50', 20], ['100', 60], ['300', 90], ['1000', 100], ['+Inf', 100]];
const RPS = 9;

/** A Prometheus stand-in: the request rate, and the two histograms by `le`. */
function prometheus(): Server {
  return createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
    const vector = (rows: Array<[Record<string, string>, number]>) => ({ status: 'success', data: { resultType: 'vector', result: rows.map(([metric, v]) => ({ metric, value: [1, String(v)] })) } });
    const body = query.includes('prompt')
      ? vector(PROMPT.map(([le, v]) => [{ le }, v]))
      : query.includes('generation')
        ? vector(GENERATION.map(([le, v]) => [{ le }, v]))
        : vector([[{}, RPS]]);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  });
}

let k: TestCluster;
let server: Server;
let url: string;

beforeEach(async () => {
  k = await new TestCluster().start();
  server = prometheus().listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
