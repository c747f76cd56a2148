/**
 * The circuit breaker (AIBrix PR #2444) against the stand-in API server: failed loops
 * below the threshold follow the sources that answered; at the threshold the scale is
 * held and the CircuitBreaker condition says so; the first loop in which every source
 * answers closes it, by itself.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { deployment, kpaSpec, podAutoscaler, TestCluster, waitFor } from '../testing/cluster.js';
import { breakerOpen, failuresAfter } from './circuitBreaker.js';
import { MetricSourceError } from './metricsPort.js';

let k: TestCluster;
beforeEach(async () => {
  k = await new TestCluster().start((_pod, i) => `10.0.2.${i + 1}`);
});
afterEach(async () => {
  await k.stop();
});

const OPTIMIZER = 'http://gpu-optimizer:8080';
const domain = { metricSourceType: 'domain', protocolType: 'http', endpoint: 'gpu-optimizer:8080', path: '/metrics/default/llm', targetMetric: 'vllm:deployment_replicas', targetValue: '100' };

test('the count of failed loops: one more per failed loop, back to 0 at the first good one', () => {
  let n = 0;
  for (const failed of [true, true, false, true]) n = failuresAfter(n, failed);
  expect(n).toBe(1);
  expect(breakerOpen(3, 3)).toBe(true);
  expect(breakerOpen(2, 3)).toBe(false);
});

test('three failed loops hold the scale with CircuitBreaker=True; a good loop closes it by itself', async () => {
  k.server.apply(deployment('llm', 2));
  const pod = kpaSpec('llm').metricsSources as unknown[];
  k.server.apply(podAutoscaler('llm', kpaSpec('llm', { maxReplicas: 40, maxScaleUpRate: 100, metricsSources: [pod[0], domain], circuitBreaker: { failureThreshold: 3 } })));
  await waitFor(() => k.server.list('pods').length === 2);
  const c = await k.controller({ allowedEndpoints: [OPTIMIZER] });
  await waitFor(() => c.keys().length === 1);
  k.metrics.failQueries = new MetricSourceError('Unreachable', `cannot reach ${OPTIMIZER}`);
  const loop = async (waiting: number) => {
    k.spreadLoad('llm', waiting);
    k.t += 10_000;
    return c.reconcile('default/llm');
  };
  // Loops 1 and 2 fail on the optimizer but follow the pods: 20 waiting, target 5: 4.
  expect((await loop(20)).scaled).toEqual({ from: 2, to: 4 });
  const second = await loop(80); // the pods alone ask for more (the window's mean of 20 and 80)
  expect(second.scaled?.from).toBe(4);
  const held = second.scaled?.to ?? 0;
  expect(held).toBeGreaterThan(4);
  // Loop 3: the breaker opens and holds the count although the pods ask for more.
  const third = await loop(400);
  expect(third.scaled).toBeUndefined();
  expect(third.decision).toMatchObject({ desiredReplicas: held, valid: false, reasons: expect.arrayContaining(['CircuitBreakerOpen']) });
  await waitFor(() => k.condition('llm', 'CircuitBreaker')?.status === 'True', 2000, 'the open breaker');
  expect(k.condition('llm', 'CircuitBreaker')).toMatchObject({ reason: 'Open' });
  // The optimizer answers again: the breaker closes and the loop scales on every source.
  k.metrics.failQueries = null;
  k.metrics.external['vllm:deployment_replicas'] = 100;
  const fourth = await loop(400);
  expect(fourth.decision?.reasons).not.toContain('CircuitBreakerOpen');
  expect(fourth.scaled?.to).toBeGreaterThan(held);
  await waitFor(() => k.condition('llm', 'CircuitBreaker')?.status === 'False', 2000, 'the closed breaker');
});
