import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { kubeConfigFor } from '../testing/kubeConfig.js';
import { deployment, kpaSpec, podAutoscaler, T0, TestCluster, waitFor } from '../testing/cluster.js';
import { parseAddress, startOperator } from './operator.js';

let k: TestCluster;

beforeEach(async () => {
  k = await new TestCluster().start();
});

afterEach(async () => {
  await k.stop();
});

function operator(identity: string, extra: Partial<Parameters<typeof startOperator>[0]> = {}) {
  const started = Date.now();
  return startOperator({
    kubeConfig: kubeConfigFor(k.server.url, identity),
    metrics: k.metrics,
    metricsAddress: '127.0.0.1:0',
    healthAddress: '127.0.0.1:0',
    timeScale: 50,
    now: () => T0 + (Date.now() - started) * 50,
    ...extra,
  });
}

describe('prescale operator process', () => {
  test('/metrics, /healthz and /readyz', async () => {
    k.server.apply(deployment('llm', 1));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm')));
    k.spreadLoad('llm', 12);
    const op = await operator('operator-a');
    try {
      expect((await fetch(`${op.healthUrl}/healthz`)).status).toBe(200);
      expect((await fetch(`${op.healthUrl}/readyz`)).status).toBe(200);
      await waitFor(() => k.replicas('llm') > 1, 3000, 'a scale');
      let text = '';
      for (let i = 0; i < 50 && !/prescale_loop_duration_seconds_count [1-9]/.test(text); i++) {
        text = await (await fetch(`${op.metricsUrl}/metrics`)).text();
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(text).toMatch(/prescale_decisions_total\{namespace="default",name="llm",strategy="KPA",reason="\w+"\} \d+/);
      expect(text).toMatch(/prescale_desired_replicas\{namespace="default",name="llm"\} \d+/);
      expect(text).toMatch(/prescale_actual_replicas\{namespace="default",name="llm"\} \d+/);
      expect(text).toMatch(/prescale_scale_patches_total\{result="success"\} [1-9]/);
      expect(text).toMatch(/prescale_loop_duration_seconds_count [1-9]/);
      expect(text).toMatch(/prescale_leader 1/);
    } finally {
      await op.stop();
    }
    await expect(fetch(`${op.healthUrl}/healthz`)).rejects.toThrow();
  });

  test('readiness waits for the first list of PodAutoscalers', async () => {
    const remove = k.server.addFault({ method: 'GET', path: /podautoscalers$/, status: 503 });
    const op = await operator('operator-a', { informer: { restartDelayMs: 50 } });
    try {
      expect((await fetch(`${op.healthUrl}/readyz`)).status).toBe(503);
      remove();
      await waitFor(() => op.controller.synced, 3000, 'sync');
      expect((await fetch(`${op.healthUrl}/readyz`)).status).toBe(200);
    } finally {
      await op.stop();
    }
  });

  test('graceful stop: the loop in flight finishes, then nothing more is sent and the Lease is released', async () => {
    k.server.apply(deployment('llm', 1));
    k.server.apply(podAutoscaler('llm', kpaSpec('llm')));
    k.spreadLoad('llm', 30);
    // The scale patch is slow, so a stop arrives while it is in flight.
    k.server.addFault({ method: 'PATCH', path: /\/scale$/, delayMs: 300, times: 1 });
    const op = await operator('operator-a', {
      leaderElection: { namespace: 'kube-system', identity: 'operator-a', leaseDurationMs: 600, renewDeadlineMs: 400, retryPeriodMs: 50 },
    });
    await waitFor(() => k.server.requests.some((r) => r.method === 'PATCH' && r.path.endsWith('/scale')), 3000, 'the patch to start');
    await op.stop();
    const stoppedAt = Date.now();
    const patch = k.scalePatches()[0];
    expect(patch?.status).toBe(200); // it finished, it was not cut off
    expect(k.replicas('llm')).toBe(2);
    const lease = k.server.get('leases', 'kube-system', 'prescale-operator')?.spec as { holderIdentity?: string };
    expect(lease.holderIdentity).toBe('');
    await new Promise((r) => setTimeout(r, 300));
    expect(k.server.requests.filter((r) => r.at > stoppedAt && r.user === 'operator-a')).toHaveLength(0);
  });

  test('addresses', () => {
    expect(parseAddress(':8080')).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(parseAddress('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseAddress('[::1]:9090')).toEqual({ host: '::1', port: 9090 });
    expect(() => parseAddress('localhost:http')).toThrow(/host:port/);
  });
});
