/**
 * `prescale operator` as it runs in a cluster: its own process, the production wiring
 * (pods' /metrics scraped through @prescale/prometheus), authenticated with the
 * ServiceAccount token of examples/operator/rbac.yaml. It scales a Deployment whose pods
 * (made Ready with loopback IPs by the test) serve /metrics on loopback; and two of them
 * under Lease election hand over when the leader is killed: the follower takes over
 * within the lease duration, and the Events of the scale changes chain without a gap
 * (no decision lost) or a repeat (none doubled).
 */
import { AppsV1Api, CoordinationV1Api, CustomObjectsApi, EventsV1Api } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { GROUP, PLURAL, VERSION } from '../src/crd/names.js';
import { kpaSpec, waitFor } from '../src/testing/index.js';
import { installCrd } from './support/crdInstall.js';
import { OPERATOR_NAMESPACE, operatorKubeConfig, writeKubeConfig } from './support/operatorAccount.js';
import { OperatorProcess } from './support/operatorProcess.js';
import { testEnv } from './support/testEnv.js';
import { ensureNamespace, METRICS_PORT, WorkloadController } from './support/workloads.js';

const NS = 'e2e-process';
/** client-go's defaults, which `prescale operator` uses: lease 15 s, retry every 2 s. */
const LEASE_MS = 15_000;
const RETRY_MS = 2_000;

let wl: WorkloadController;
let kubeconfig: string;
const processes: OperatorProcess[] = [];

beforeAll(async () => {
  await installCrd();
  await ensureNamespace(NS);
  kubeconfig = writeKubeConfig(await operatorKubeConfig(), 'operator.kubeconfig');
  wl = new WorkloadController();
});
afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => p.stop('SIGKILL')));
});
afterAll(async () => {
  await wl.stop();
});

function operator(args: readonly string[]): OperatorProcess {
  const p = new OperatorProcess(kubeconfig, ['--namespace', NS, ...args]);
  processes.push(p);
  return p;
}

async function createPodAutoscaler(name: string, target: string): Promise<void> {
  const spec = kpaSpec(target, {
    metricsSources: [{ metricSourceType: 'pod', protocolType: 'http', port: METRICS_PORT, path: '/metrics', targetMetric: 'vllm:num_requests_waiting', targetValue: '5' }],
  });
  await testEnv()
    .admin.makeApiClient(CustomObjectsApi)
    .createNamespacedCustomObject({ group: GROUP, version: VERSION, plural: PLURAL, namespace: NS, body: { apiVersion: `${GROUP}/${VERSION}`, kind: 'PodAutoscaler', metadata: { name, namespace: NS }, spec } });
}

async function replicas(name: string): Promise<number> {
  return (await testEnv().admin.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: NS, name })).spec?.replicas ?? -1;
}

async function waitForReplicas(name: string, want: number, timeoutMs: number, op: OperatorProcess): Promise<void> {
  const start = Date.now();
  while ((await replicas(name)) !== want) {
    if (Date.now() - start > timeoutMs) throw new Error(`${name} did not reach ${want} replicas (has ${await replicas(name)}); operator log:\n${op.logText()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The SuccessfulRescale Events of a PodAutoscaler, oldest first: from, to and who reported it. */
async function rescales(name: string): Promise<Array<{ from: number; to: number; instance: string }>> {
  const list = await testEnv().admin.makeApiClient(EventsV1Api).listNamespacedEvent({ namespace: NS });
  return list.items
    .filter((e) => e.regarding?.name === name && e.reason === 'SuccessfulRescale')
    .sort((a, b) => new Date(String(a.eventTime)).getTime() - new Date(String(b.eventTime)).getTime())
    .map((e) => {
      const m = /New size: (\d+) \(from (\d+)\)/.exec(e.note ?? '');
      return { from: Number(m?.[2]), to: Number(m?.[1]), instance: e.reportingInstance ?? '' };
    });
}

describe('prescale operator as a process', () => {
  test('as the ServiceAccount, it scales a Deployment on its pods\u2019 /metrics served from loopback, and exports its decisions', async () => {
    await wl.deploy(NS, 'served', 1);
    wl.setLoad(NS, 'served', 12); // 12 waiting at 5 per replica: 3 replicas
    await createPodAutoscaler('served', 'served');
    const op = operator([]);
    await op.waitForLog((l) => l.msg === 'operator started');
    await waitForReplicas('served', 3, 90_000, op);
    const text = await op.metrics();
    expect(text).toMatch(/prescale_decisions_total\{namespace="e2e-process",name="served",strategy="KPA",reason="[A-Za-z]+"\} [1-9]/);
    expect(text).toMatch(/prescale_actual_replicas\{namespace="e2e-process",name="served"\} [1-3]/);
    expect(op.logs.filter((l) => l.level === 'error')).toEqual([]);
    expect(await op.stop('SIGTERM')).toBe(0);
  });

  test('two operators under Lease election: the leader is killed, the follower takes over within the lease duration, no decision lost or doubled', async () => {
    await wl.deploy(NS, 'elected', 1);
    wl.setLoad(NS, 'elected', 12);
    await createPodAutoscaler('elected', 'elected');
    const elect = (id: string) => operator(['--leader-elect', '--leader-elect-namespace', OPERATOR_NAMESPACE, '--leader-elect-id', id]);
    const a = elect('operator-a');
    await a.waitForLog((l) => l.msg === 'became leader');
    const b = elect('operator-b');
    await b.waitForLog((l) => l.msg === 'operator started');
    await waitForReplicas('elected', 3, 90_000, a);
    // The leader's loop is done with that scale (its Event is written) before it dies: a
    // kill between the scale patch and the Event would lose the Event, not the decision.
    for (let i = 0; i < 200 && (await rescales('elected')).at(-1)?.to !== 3; i++) await new Promise((r) => setTimeout(r, 100));

    // More load, and the leader dies at once (no graceful release of the Lease).
    wl.setLoad(NS, 'elected', 30); // 6 replicas
    const killedAt = Date.now();
    await a.stop('SIGKILL');
    await b.waitForLog((l) => l.msg === 'became leader', LEASE_MS + 4 * RETRY_MS);
    const tookOverMs = Date.now() - killedAt;
    expect(tookOverMs).toBeLessThanOrEqual(LEASE_MS + 2 * RETRY_MS);
    const lease = await testEnv().admin.makeApiClient(CoordinationV1Api).readNamespacedLease({ namespace: OPERATOR_NAMESPACE, name: 'prescale-operator' });
    expect(lease.spec?.holderIdentity).toBe('operator-b');
    await waitForReplicas('elected', 6, 90_000, b);

    // Every change of the Deployment has exactly one Event, from the leader of the moment,
    // and the changes chain: each starts where the previous one ended.
    const events = await rescales('elected');
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events[0]?.from).toBe(1);
    expect(events.at(-1)?.to).toBe(6);
    for (let i = 1; i < events.length; i++) expect(events[i]?.from).toBe(events[i - 1]?.to);
    const handover = events.findIndex((e) => e.instance === 'operator-b');
    expect(handover).toBeGreaterThan(0);
    expect(events.slice(0, handover).every((e) => e.instance === 'operator-a')).toBe(true);
    expect(events.slice(handover).every((e) => e.instance === 'operator-b')).toBe(true);
    // The workload controller follows the Deployment through its own watch: it may see the last scale a moment later.
    await waitFor(() => wl.seen.get(`${NS}/elected`)?.at(-1) === 6, 30_000, 'the workload controller to see 6 replicas');
    expect(wl.seen.get(`${NS}/elected`)).toEqual([1, ...events.map((e) => e.to)]);
    console.log(`leader killed; follower took over after ${tookOverMs} ms (lease ${LEASE_MS} ms); rescales: ${events.map((e) => `${e.from}->${e.to} by ${e.instance}`).join(', ')}`);
  });
});
