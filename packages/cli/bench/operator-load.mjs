#!/usr/bin/env node
// The operator under load: N PodAutoscalers (default 1,000) on a 10 s loop against the
// API server stand-in, each over a Deployment of 2 pods whose vLLM-style /metrics pages
// are served on their own loopback addresses. The operator runs in a child process; this
// process runs the stand-in and the pods, and samples the child's CPU time and RSS from
// /proc. It reports the operator's share of one core and its RSS over the measured span,
// and whether every loop ran on time, next to a baseline operator watching 0 objects,
// measured the same way in the same run.
//
// With --real, the same objects live on a real kube-apiserver and etcd instead
// (realCluster.mjs; scripts/kube-testenv.sh starts them) and the operator authenticates
// as its ServiceAccount over TLS; the API server's and etcd's CPU shares are reported
// beside the operator's.
//
// Usage (after `pnpm build`):
//   node packages/cli/bench/operator-load.mjs [--objects 1000] [--seconds 120] [--warmup 30] [--status-refresh 0,60] [--json FILE]
//   bash scripts/kube-testenv.sh run -- node packages/cli/bench/operator-load.mjs --real [...]
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values: flags } = parseArgs({
  options: {
    objects: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '120' },
    warmup: { type: 'string', default: '30' },
    json: { type: 'string' },
    child: { type: 'string' },
    real: { type: 'boolean', default: false },
    // Comma-separated status refresh periods, seconds, one measured run each (0: status written every loop).
    'status-refresh': { type: 'string', default: '60' },
  },
});

const PODS_PER_TARGET = 2;
const METRICS_PORT = 19400;

if (flags.child) await runOperator(flags.child);
else await main();

/** A pod's loopback address, one per pod: 127.1.x.y. */
function podIp(i) {
  return `127.1.${Math.floor(i / 250)}.${(i % 250) + 1}`;
}

/** The PodAutoscaler of Deployment `name`: half KPA, half APA, on vllm:num_requests_waiting. */
function paSpec(i, name, port) {
  return {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
    minReplicas: 1,
    maxReplicas: 10,
    scalingStrategy: i % 2 === 0 ? 'KPA' : 'APA',
    metricsSources: [{ metricSourceType: 'pod', port, targetMetric: 'vllm:num_requests_waiting', targetValue: '10' }],
    observeWindowSeconds: 60,
    ...(i % 2 === 0 ? { panicWindowSeconds: 20 } : {}),
  };
}

/** The stand-in API server with the benchmark's objects. */
async function standIn(n) {
  const { FakeApiServer } = await import('@prescale/kubernetes/testing');
  const server = new FakeApiServer({ recordRequests: false, bookmarkIntervalMs: 60_000, historyLimit: 20_000 });
  const url = await server.start();
  let podIndex = 0;
  for (let i = 0; i < n; i++) {
    const name = `llm-${i}`;
    server.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'default', labels: { app: name } },
      spec: { replicas: PODS_PER_TARGET, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } } } },
      status: { replicas: PODS_PER_TARGET },
    });
    for (let p = 0; p < PODS_PER_TARGET; p++) {
      server.apply({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `${name}-${p}`, namespace: 'default', labels: { app: name } },
        status: { phase: 'Running', podIP: podIp(podIndex++), conditions: [{ type: 'Ready', status: 'True' }] },
      });
    }
    server.apply({ apiVersion: 'autoscaling.prescale.dev/v1alpha1', kind: 'PodAutoscaler', metadata: { name, namespace: 'default' }, spec: paSpec(i, name, METRICS_PORT) });
  }
  return { connect: { url }, namespaces: ['default', 'empty'], close: () => server.close(), pids: {} };
}

async function main() {
  const n = Number(flags.objects);
  const seconds = Number(flags.seconds);
  const warmup = Number(flags.warmup);

  // The pods' metrics: one server on all loopback addresses, answering by the local address.
  const waiting = new Map();
  for (let i = 0; i < n * PODS_PER_TARGET; i++) waiting.set(podIp(i), 10); // 2 pods × 8–10 waiting at a target of 10 per replica: steady at 2
  let scrapes = 0;
  const pages = createServer((req, res) => {
    const base = waiting.get(req.socket.localAddress);
    // The value moves every scrape (10, 9, 8, …) as a live server's would, so every
    // decision's numbers and messages change while its replicas stay.
    const v = base === undefined ? undefined : base - (scrapes++ % 3);
    if (v === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(
      `# HELP vllm:num_requests_waiting Number of requests waiting to be processed.\n# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting{model_name="m"} ${v}\n` +
        `# HELP vllm:num_requests_running Number of requests in model execution batches.\n# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running{model_name="m"} 8\n`,
    );
  });
  pages.keepAliveTimeout = 60_000;
  await new Promise((r) => pages.listen(METRICS_PORT, '0.0.0.0', r));

  let cluster;
  if (flags.real) {
    const { realCluster } = await import('./realCluster.mjs');
    const real = await realCluster({ n, podsPerTarget: PODS_PER_TARGET, metricsPort: METRICS_PORT, podIp, spec: paSpec, namespaces: ['bench', 'bench-empty'] });
    cluster = { connect: { kubeconfig: real.kubeconfig }, namespaces: ['bench', 'bench-empty'], close: async () => {}, pids: real.pids };
  } else cluster = await standIn(n);
  const [busy, empty] = cluster.namespaces;

  const results = {};
  const server = flags.real ? 'real kube-apiserver' : 'stand-in';
  const refreshes = flags['status-refresh'].split(',').map(Number);
  for (const [label, namespace, statusRefresh] of [
    [`baseline: operator watching 0 PodAutoscalers (${server})`, empty, refreshes[0]],
    ...refreshes.map((r) => [`operator with ${n} PodAutoscalers (${server}), status refresh ${r === 0 ? '0 s (every loop)' : `${r} s`}`, busy, r]),
  ]) {
    process.stderr.write(`${label}: ${warmup} s warm-up, ${seconds} s measured\n`);
    results[label] = await measure({ ...cluster.connect, statusRefresh }, namespace, warmup, seconds, cluster.pids);
  }
  await cluster.close();
  pages.close();

  const machine = `${(await import('node:os')).cpus().length} cores, Node ${process.version}`;
  const report = { objects: n, podsPerTarget: PODS_PER_TARGET, loopSeconds: 10, measuredSeconds: seconds, machine, server, results };
  if (flags.json) writeFileSync(flags.json, `${JSON.stringify(report, null, 2)}\n`);
  for (const [label, r] of Object.entries(results)) process.stderr.write(`${label}: memory at the end (MB) ${JSON.stringify(r.memory)}\n`);
  console.log(`\n| run | CPU (share of one core) | RSS mean | RSS max | loops | decisions | errors | late loops (> 1 s) | overruns | max lateness | kube-apiserver CPU | etcd CPU |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const share = (v) => (v === undefined ? '' : v.toFixed(3));
  for (const [label, r] of Object.entries(results)) {
    console.log(
      `| ${label} | ${r.cpuShare.toFixed(3)} | ${r.rssMeanMB.toFixed(0)} MB | ${r.rssMaxMB.toFixed(0)} MB | ${r.loops} | ${r.decisions} | ${r.errors} | ${r.late} | ${r.overruns} | ${r.maxLatenessMs.toFixed(0)} ms | ${share(r.servers.apiserver)} | ${share(r.servers.etcd)} |`,
    );
  }
}

/** Runs the operator child, samples it from /proc, and returns its figures. */
async function measure(connect, namespace, warmup, seconds, pids) {
  const child = fork(new URL(import.meta.url).pathname, ['--child', JSON.stringify({ ...connect, namespace })], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // PRESCALE_BENCH_PROFILE=DIR writes a CPU profile of each operator run there.
    // The heap cap of examples/operator/deployment.yaml (NODE_OPTIONS there).
    execArgv: ['--max-old-space-size=192', ...(process.env.PRESCALE_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PRESCALE_BENCH_PROFILE}`] : [])],
  });
  await new Promise((resolve) => child.once('message', resolve)); // started and synced
  const tick = 100; // CLK_TCK on Linux
  const cpuOf = (pid) => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / tick; // utime + stime, s
  };
  const cpu = () => cpuOf(child.pid);
  const servers0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuOf(pid)]));
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
  await new Promise((r) => setTimeout(r, warmup * 1000));
  const stats0 = await ask(child);
  const cpu0 = cpu();
  const t0 = Date.now();
  const samples = [];
  const sampler = setInterval(() => samples.push(rss()), 1000);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  clearInterval(sampler);
  const elapsed = (Date.now() - t0) / 1000;
  const cpuShare = (cpu() - cpu0) / elapsed;
  const servers = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, (cpuOf(pid) - servers0[k]) / elapsed]));
  const stats1 = await ask(child);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return {
    cpuShare,
    servers,
    rssMeanMB: samples.reduce((a, b) => a + b, 0) / samples.length,
    rssMaxMB: Math.max(...samples),
    loops: stats1.loops - stats0.loops,
    late: stats1.late - stats0.late,
    overruns: stats1.overruns - stats0.overruns,
    maxLatenessMs: stats1.maxLatenessMs,
    decisions: stats1.decisions - stats0.decisions,
    errors: stats1.errors - stats0.errors,
    memory: Object.fromEntries(Object.entries(stats1.memory).map(([k, v]) => [k, Math.round(v / 1048576)])),
  };
}

function ask(child) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send('stats');
  });
}

/** The child: the operator as `prescale operator` wires it, pods scraped through @prescale/prometheus. */
async function runOperator(arg) {
  const { url, kubeconfig, namespace, statusRefresh } = JSON.parse(arg);
  const { startOperator } = await import('@prescale/kubernetes');
  const { kubeConfigFor } = await import('@prescale/kubernetes/testing');
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = kubeconfig ? new KubeConfig() : kubeConfigFor(url, 'bench');
  if (kubeconfig) kc.loadFromFile(kubeconfig);
  const { defaultOperatorPorts } = await import('../dist/operator/ports.js');
  const ports = defaultOperatorPorts();
  let errors = 0;
  let decisions = 0;
  const op = await startOperator({
    kubeConfig: kc,
    metrics: ports.metrics,
    namespace,
    metricsAddress: null,
    healthAddress: null,
    statusRefreshSeconds: statusRefresh,
    log: (level, message, fields) => {
      if (level === 'info') return;
      errors += 1;
      if (errors <= 5) process.stderr.write(`operator ${level}: ${message} ${JSON.stringify(fields ?? {})}\n`);
    },
  });
  const observer = op.metrics;
  const decision = observer.decision.bind(observer);
  observer.decision = (...a) => {
    decisions += 1;
    decision(...a);
  };
  process.send('ready');
  process.on('message', () => process.send({ ...op.controller.stats, decisions, errors, memory: process.memoryUsage() }));
  process.once('SIGTERM', () => op.stop().then(() => ports.close()).then(() => process.exit(0)));
}
