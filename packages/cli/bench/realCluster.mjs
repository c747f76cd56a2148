// The load benchmark's cluster on a real kube-apiserver and etcd (operator-load.mjs
// --real, run under `bash scripts/kube-testenv.sh run --`, which hands the environment's
// folder over in KUBE_TESTENV_DIR): the CRD and examples/operator/rbac.yaml installed,
// N Deployments of `podsPerTarget` pods each, the pods made Running and Ready with
// loopback IPs through their status subresource (there is no kubelet), one
// PodAutoscaler per Deployment, and a kubeconfig for the operator's ServiceAccount with a
// token from the TokenRequest API. Returns that kubeconfig's path and the server's
// process ids, so the benchmark can sample the API server's and etcd's CPU time too.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool(items, limit, fn) {
  let next = 0;
  const workers = Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}

function envFile(dir) {
  const out = {};
  for (const line of readFileSync(join(dir, 'env'), 'utf8').split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

export async function realCluster({ n, podsPerTarget, metricsPort, podIp, spec, namespaces }) {
  const k8s = await import('@kubernetes/client-node');
  const dir = process.env.KUBE_TESTENV_DIR;
  if (!dir) throw new Error('--real needs KUBE_TESTENV_DIR: run under `bash scripts/kube-testenv.sh run -- node packages/cli/bench/operator-load.mjs --real`');
  const env = envFile(dir);
  const admin = new k8s.KubeConfig();
  admin.loadFromFile(join(dir, 'admin.kubeconfig'));
  const objects = k8s.KubernetesObjectApi.makeApiClient(admin);
  const apply = (o) => objects.patch(o, undefined, undefined, 'prescale-bench', true, k8s.PatchStrategy.ServerSideApply);
  const core = admin.makeApiClient(k8s.CoreV1Api);
  const apps = admin.makeApiClient(k8s.AppsV1Api);
  const custom = admin.makeApiClient(k8s.CustomObjectsApi);

  // The CRD and RBAC as a platform team applies them, with the environment's kubectl:
  // client-node's typed serialisation would drop the CRD's x-kubernetes-* fields.
  const kubectl = (args) => execFileSync(join(env.KUBE_TESTENV_BIN, 'kubectl'), args, { env: { ...process.env, KUBECONFIG: join(dir, 'admin.kubeconfig') }, stdio: ['ignore', 'ignore', 'inherit'] });
  const examples = new URL('../../../examples/operator/', import.meta.url).pathname;
  kubectl(['apply', '--server-side', '-f', join(examples, 'crd.yaml'), '-f', join(examples, 'rbac.yaml')]);
  kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/podautoscalers.autoscaling.prescale.dev']);
  for (const ns of namespaces) {
    await apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } });
  }
  const ns = namespaces[0];
  const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
  const started = Date.now();
  await pool([...Array(n).keys()], 16, async (i) => {
    const name = `llm-${i}`;
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: { metadata: { name, labels: { app: name } }, spec: { replicas: podsPerTarget, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai' }] } } } },
    });
    for (let p = 0; p < podsPerTarget; p++) {
      const ip = podIp(i * podsPerTarget + p);
      const pod = `${name}-${p}`;
      await core.createNamespacedPod({ namespace: ns, body: { metadata: { name: pod, labels: { app: name } }, spec: { containers: [{ name: 'vllm', image: 'vllm/vllm-openai' }] } } });
      await core.patchNamespacedPodStatus(
        { namespace: ns, name: pod, body: { status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: 'True' }] } } },
        merge,
      );
    }
    await custom.createNamespacedCustomObject({
      group: 'autoscaling.prescale.dev',
      version: 'v1alpha1',
      plural: 'podautoscalers',
      namespace: ns,
      body: { apiVersion: 'autoscaling.prescale.dev/v1alpha1', kind: 'PodAutoscaler', metadata: { name }, spec: spec(i, name, metricsPort) },
    });
  });
  process.stderr.write(`real API server: ${n} Deployments, ${n * podsPerTarget} pods and ${n} PodAutoscalers created in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);

  const token = await core.createNamespacedServiceAccountToken({ namespace: 'prescale-system', name: 'prescale-operator', body: { spec: { audiences: [], expirationSeconds: 7200 } } });
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'testenv', server: env.KUBE_TESTENV_SERVER, caData: admin.getCurrentCluster()?.caData }],
    users: [{ name: 'prescale-operator', token: token.status.token }],
    contexts: [{ name: 'testenv', cluster: 'testenv', user: 'prescale-operator' }],
    currentContext: 'testenv',
  });
  const kubeconfig = join(dir, 'bench-operator.kubeconfig');
  writeFileSync(kubeconfig, kc.exportConfig(), { mode: 0o600 });
  return { kubeconfig, pids: { apiserver: Number(env.APISERVER_PID), etcd: Number(env.ETCD_PID) } };
}
