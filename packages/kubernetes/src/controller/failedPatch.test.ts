/**
 * A scale patch that fails commits nothing (docs/algorithms.md: "if scaling the target
 * fails, keep the previous state"): neither the controller's memory nor
 * `status.scalerState` takes the state of the step whose decision was never carried
 * out, for every scaler (KPA, APA, HPA, and the predictive blend around each). With HPA
 * `behavior`, the scale that never happened does not use up the policy budget.
 */
import { createScaler, type Observation, type ScalerState } from '@prescale/core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEFAULT_LOOP_SECONDS, toOperatorScalerSpec } from '../crd/scalerSpec.js';
import { resolveBounds } from '../crd/schedules.js';
import type { PodAutoscalerSpec } from '../crd/spec.js';
import { deployment, FakeHistory, kpaSpec, podAutoscaler, T0, TestCluster, waitFor } from '../testing/cluster.js';
import { persistable } from './persistedState.js';

const METRIC = 'vllm:num_requests_waiting';
const PROMETHEUS = 'http://prometheus.monitoring:9090';

let k: TestCluster;
beforeEach(async () => {
  k = await new TestCluster().start();
});
afterEach(async () => {
  await k.stop();
});

function observation(now: number): Observation {
  const pods = k.server
    .list('pods')
    .filter((p) => p.metadata?.labels?.app === 'llm')
    .map((p) => ({ name: p.metadata?.name ?? '', phase: 'Running' as const, ready: true, deleting: false, metrics: { [METRIC]: k.metrics.values.get(p.metadata?.name ?? '')?.[METRIC] ?? null } }));
  return { now, currentReplicas: k.replicas('llm'), pods, requestRate: 1 };
}

/** The scaler state the status holds. */
const savedState = (): ScalerState | undefined => (JSON.parse(k.status('llm')?.scalerState ?? 'null') as { state: ScalerState } | null)?.state;

const STRATEGIES: Record<string, Record<string, unknown>> = {
  KPA: { scalingStrategy: 'KPA' },
  APA: { scalingStrategy: 'APA', observeWindowSeconds: 60, panicWindowSeconds: undefined },
  HPA: { scalingStrategy: 'HPA', observeWindowSeconds: undefined, panicWindowSeconds: undefined, behavior: { scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] } } },
};
const PREDICTIVE = { mode: 'auto', history: { endpoint: PROMETHEUS, query: 'sum(rate(r[5m]))', lookbackDays: 7 }, capacityPerReplica: 100, model: 'seasonal-naive-weekly' };

const CASES = Object.entries(STRATEGIES).flatMap(([strategy, fields]) => [
  { name: strategy, spec: fields },
  { name: `blend around ${strategy}`, spec: { ...fields, predictive: PREDICTIVE } },
]);

describe('a failed scale patch keeps the previous scaler state', () => {
  test.each(CASES)('$name: in memory and in status', async ({ spec: fields }) => {
    const spec = JSON.parse(JSON.stringify(kpaSpec('llm', { maxReplicas: 20, ...fields }))) as PodAutoscalerSpec;
    k.server.apply(deployment('llm', 2));
    k.server.apply(podAutoscaler('llm', spec as unknown as Record<string, unknown>));
    const c = await k.controller({ history: new FakeHistory(), allowedEndpoints: [PROMETHEUS] });
    await waitFor(() => c.keys().length === 1);
    k.metrics.external.requestRate = 1;
    // The same scaler, stepped here on the same observations.
    const loopSeconds = DEFAULT_LOOP_SECONDS[spec.scalingStrategy];
    const scaler = createScaler(toOperatorScalerSpec(spec, resolveBounds(spec, T0), loopSeconds));
    let reference: ScalerState | null = null;
    const step = async (load: number, fail: boolean) => {
      k.spreadLoad('llm', load);
      const obs = observation(k.t);
      if (!reference) {
        reference = scaler.init({ now: k.t, readyPods: obs.pods.length });
        if (scaler.demandBinMs !== null) {
          const to = Math.floor(k.t / scaler.demandBinMs) * scaler.demandBinMs;
          reference = scaler.seed(reference, await new FakeHistory().load({ endpoint: '', query: '', from: to - 7 * 86_400_000, to, stepMs: scaler.demandBinMs }));
        }
      }
      const expected = scaler.step(reference, obs);
      const remove = fail ? k.server.addFault({ method: 'PATCH', path: /\/scale$/, status: 503, times: 1 }) : () => {};
      const r = await c.reconcile('default/llm');
      remove();
      expect(r.decision).toEqual(expected.decision);
      if (!fail) reference = expected.state;
      await waitFor(() => k.status('llm')?.lastDecision?.time === new Date(k.t).toISOString(), 2000, 'status');
      return r;
    };
    // A steady loop: nothing to scale, the state is committed.
    await step(10, false);
    const before = savedState();
    expect(before).toEqual(persistable(reference as unknown as ScalerState).state);
    // Ten times the load: the patch fails; the state of that step is not kept.
    k.t += loopSeconds * 1000;
    const failed = await step(100, true);
    expect(failed.error?.message).toMatch(/injected fault 503/);
    expect(k.replicas('llm')).toBe(2);
    expect(savedState()).toEqual(before);
    // The next loop decides from the state before the failed one (the reference skipped it too).
    k.t += loopSeconds * 1000;
    const next = await step(100, false);
    expect(next.scaled?.to).toBeGreaterThan(2);
    expect(savedState()).toEqual(persistable(reference as unknown as ScalerState).state);
  });

  test('HPA behavior: the scale that failed does not use up the Pods policy budget', async () => {
    k.server.apply(deployment('llm', 1));
    k.server.apply(podAutoscaler('llm', JSON.parse(JSON.stringify(kpaSpec('llm', { maxReplicas: 20, ...STRATEGIES.HPA })))));
    const c = await k.controller();
    await waitFor(() => c.keys().length === 1);
    k.spreadLoad('llm', 50); // 10 times the target of one replica
    k.server.addFault({ method: 'PATCH', path: /\/scale$/, status: 503, times: 1 });
    const failed = await c.reconcile('default/llm');
    expect(failed.decision?.desiredReplicas).toBe(5);
    expect(failed.scaled).toBeUndefined();
    // 15 s later the policy (4 pods per 60 s) still has its whole budget: 1 + 4, not 1 + 0.
    k.t += 15_000;
    const next = await c.reconcile('default/llm');
    expect(next.scaled).toEqual({ from: 1, to: 5 });
  });
});
