/**
 * `prescale operator`: runs the PodAutoscaler operator of `@prescale/kubernetes` until
 * SIGTERM or SIGINT, then stops gracefully (loops in flight finish, the Lease is
 * released). Logs are JSON lines on stderr.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import { KubeConfig } from '@kubernetes/client-node';
import { parseDuration } from '@prescale/core';
import { CONTROLLER_NAME, podAutoscalerCrd, redactUrl, startOperator, toYaml } from '@prescale/kubernetes';
import { createHighsSolver } from '@prescale/optimizer';
import { laterDefault } from '../help.js';
import { defaultOperatorPorts } from '../operator/ports.js';
import { httpUrl } from '../prometheusFlags.js';
import { UsageError } from '../usageError.js';

export type OperatorFlags = {
  kubeconfig?: string;
  inCluster?: true;
  namespace?: string;
  prometheusUrl: string[];
  leaderElect?: true;
  leaderElectNamespace?: string;
  leaderElectId?: string;
  leaseName: string;
  metricsAddress: string;
  healthAddress: string;
  requestTimeout: string;
  pods: string;
  statusRefresh: string;
  printCrd?: true;
};

/** The service account token a pod mounts (the in-cluster configuration). */
const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * Whether the default lookup of @kubernetes/client-node's `loadFromDefault` finds a
 * configuration: `$KUBECONFIG`, `~/.kube/config`, or a pod's service account. Without
 * one it would fall back to an unauthenticated http://localhost:8080 and the operator
 * would retry it forever.
 */
function defaultConfigExists(env: NodeJS.ProcessEnv): boolean {
  if (process.platform === 'win32') return true; // the client's lookup there also asks WSL
  return !!env.KUBECONFIG || (!!env.HOME && existsSync(join(env.HOME, '.kube', 'config'))) || existsSync(SERVICE_ACCOUNT_TOKEN);
}

/**
 * The cluster connection the flags ask for.
 * @throws UsageError when the flags conflict or no configuration is found.
 */
export function kubeConfigFromFlags(flags: Pick<OperatorFlags, 'kubeconfig' | 'inCluster'>, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  if (flags.kubeconfig && flags.inCluster) throw new UsageError('--kubeconfig', 'excludes --in-cluster; give one of them');
  const kc = new KubeConfig();
  if (flags.inCluster) {
    if (!env.KUBERNETES_SERVICE_HOST || !env.KUBERNETES_SERVICE_PORT) throw new UsageError('--in-cluster', 'not in a pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set');
    kc.loadFromCluster();
  } else if (flags.kubeconfig) kc.loadFromFile(flags.kubeconfig);
  else {
    if (!defaultConfigExists(env)) {
      throw new UsageError('--kubeconfig', 'no kubeconfig or in-cluster config found ($KUBECONFIG is not set, there is no ~/.kube/config, and this is not a pod with a service account): give --kubeconfig FILE, or --in-cluster in a pod');
    }
    kc.loadFromDefault();
  }
  if (!kc.getCurrentCluster()) throw new UsageError('--kubeconfig', 'the kubeconfig has no current cluster (set current-context)');
  return kc;
}

export function operatorCommand(): Command<[], OperatorFlags> {
  return new Command('operator')
    .description('run the PodAutoscaler operator (autoscaling.prescale.dev/v1alpha1) against a cluster')
    .addOption(laterDefault(new Option('--kubeconfig <file>', 'kubeconfig to use'), '$KUBECONFIG, else ~/.kube/config, else the pod\u2019s service account'))
    .option('--in-cluster', 'use the pod\u2019s service account')
    .addOption(laterDefault(new Option('--namespace <ns>', 'watch PodAutoscalers in this namespace only'), 'every namespace'))
    .option(
      '--prometheus-url <url>',
      'a Prometheus (Thanos, Mimir) base URL PodAutoscalers may query, for prometheus sources and predictive history; repeat for several. Any other endpoint is not fetched',
      (url: string, previous: string[]) => [...previous, url],
      [] as string[],
    )
    .option('--leader-elect', 'elect a leader through a coordination.k8s.io Lease; only the leader scales')
    .addOption(laterDefault(new Option('--leader-elect-namespace <ns>', 'namespace of the Lease'), '$POD_NAMESPACE, else "default"'))
    .addOption(laterDefault(new Option('--leader-elect-id <id>', 'this instance\u2019s identity'), '$POD_NAME, else the host name'))
    .option('--lease-name <name>', 'name of the Lease', CONTROLLER_NAME)
    .option('--metrics-address <addr>', 'host:port of /metrics; empty turns it off', ':8080')
    .option('--health-address <addr>', 'host:port of /healthz and /readyz; empty turns them off', ':8081')
    .option('--request-timeout <duration>', 'deadline of each API call', '10s')
    .option('--status-refresh <duration>', 'how often a status that means the same (replicas, conditions, reasons) is rewritten with fresh numbers; 0 writes every loop', '60s')
    .addOption(new Option('--pods <how>', 'find a target\u2019s pods from a watched cache, or with a LIST request every loop').choices(['watch', 'list']).default('watch'))
    .option('--print-crd', 'print the PodAutoscaler CustomResourceDefinition as YAML and exit')
    .action(async (flags) => {
      if (flags.printCrd) {
        process.stdout.write(toYaml(podAutoscalerCrd()));
        return;
      }
      const requestTimeoutMs = parseDuration(flags.requestTimeout, '--request-timeout');
      if (requestTimeoutMs <= 0) throw new UsageError('--request-timeout', `must be longer than 0 (got "${flags.requestTimeout}")`);
      const statusRefreshMs = flags.statusRefresh === '0' ? 0 : parseDuration(flags.statusRefresh, '--status-refresh');
      for (const url of flags.prometheusUrl) httpUrl(url, '--prometheus-url');
      const kubeConfig = kubeConfigFromFlags(flags);
      const log = (level: string, message: string, fields?: Record<string, unknown>) =>
        process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })}\n`);
      const identity = flags.leaderElectId ?? process.env.POD_NAME ?? hostname();
      const ports = defaultOperatorPorts();
      // HiGHS (WebAssembly) for Optimizer PodAutoscalers: loaded once, a fresh instance per solve. Should it
      // fail to load, the other strategies still run and Optimizer PodAutoscalers hold, saying NoSolver.
      const solver = await createHighsSolver().catch((error: unknown) => {
        log('error', 'the HiGHS solver did not load; Optimizer PodAutoscalers will hold', { error: error instanceof Error ? error.message : String(error) });
        return undefined;
      });
      const op = await startOperator({
        ...(solver ? { solver } : {}),
        kubeConfig,
        metrics: ports.metrics,
        history: ports.history,
        ...(flags.namespace ? { namespace: flags.namespace } : {}),
        allowedEndpoints: flags.prometheusUrl,
        ...(flags.leaderElect
          ? { leaderElection: { namespace: flags.leaderElectNamespace ?? process.env.POD_NAMESPACE ?? 'default', name: flags.leaseName, identity } }
          : {}),
        metricsAddress: flags.metricsAddress === '' ? null : flags.metricsAddress,
        healthAddress: flags.healthAddress === '' ? null : flags.healthAddress,
        requestTimeoutMs,
        statusRefreshSeconds: statusRefreshMs / 1000,
        pods: flags.pods === 'list' ? 'list' : 'watch',
        log,
      });
      log('info', 'operator started', {
        identity,
        metrics: op.metricsUrl,
        health: op.healthUrl,
        leaderElection: !!flags.leaderElect,
        allowedEndpoints: flags.prometheusUrl.map(redactUrl),
      });
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log('info', `${signal} received`);
          op.stop()
            .then(() => ports.close())
            .then(resolve, (error: unknown) => {
            log('error', 'stop failed', { error: String(error) });
            resolve();
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
}
