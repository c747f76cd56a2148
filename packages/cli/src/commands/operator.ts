/**
 * `prescale operator`: runs the PodAutoscaler operator of `@prescale/kubernetes` until
 * SIGTERM or SIGINT, then stops gracefully (loops in flight finish, the Lease is
 * released). Logs are JSON lines on stderr.
 */
import { hostname } from 'node:os';
import { Command, Option } from '@commander-js/extra-typings';
import { KubeConfig } from '@kubernetes/client-node';
import { CONTROLLER_NAME, podAutoscalerCrd, redactUrl, startOperator, toYaml } from '@prescale/kubernetes';
import { defaultOperatorPorts } from '../operator/ports.js';

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
  printCrd?: true;
};

/** The cluster connection the flags ask for. */
export function kubeConfigFromFlags(flags: Pick<OperatorFlags, 'kubeconfig' | 'inCluster'>): KubeConfig {
  if (flags.kubeconfig && flags.inCluster) throw new Error('--kubeconfig and --in-cluster exclude each other');
  const kc = new KubeConfig();
  if (flags.inCluster) kc.loadFromCluster();
  else if (flags.kubeconfig) kc.loadFromFile(flags.kubeconfig);
  else kc.loadFromDefault();
  if (!kc.getCurrentCluster()) throw new Error('no cluster in the kubeconfig (use --kubeconfig FILE or --in-cluster)');
  return kc;
}

function seconds(text: string, flag: string): number {
  const n = Number(text.replace(/s$/, ''));
  if (!(n > 0)) throw new Error(`${flag}: expected a number of seconds, got "${text}"`);
  return n;
}

export function operatorCommand(): Command<[], OperatorFlags> {
  return new Command('operator')
    .description('run the PodAutoscaler operator (autoscaling.prescale.dev/v1alpha1) against a cluster')
    .option('--kubeconfig <file>', 'kubeconfig to use (default: $KUBECONFIG or ~/.kube/config)')
    .option('--in-cluster', 'use the pod\u2019s service account')
    .option('--namespace <ns>', 'watch PodAutoscalers in this namespace only (default: all)')
    .option(
      '--prometheus-url <url>',
      'a Prometheus (Thanos, Mimir) base URL PodAutoscalers may query, for prometheus sources and predictive history; repeat for several. Any other endpoint is not fetched',
      (url: string, previous: string[]) => [...previous, url],
      [] as string[],
    )
    .option('--leader-elect', 'elect a leader through a coordination.k8s.io Lease; only the leader scales')
    .option('--leader-elect-namespace <ns>', 'namespace of the Lease (default: $POD_NAMESPACE, else default)')
    .option('--leader-elect-id <id>', 'this instance\u2019s identity (default: $POD_NAME, else the host name)')
    .option('--lease-name <name>', 'name of the Lease', CONTROLLER_NAME)
    .option('--metrics-address <addr>', 'host:port of /metrics (empty: off)', ':8080')
    .option('--health-address <addr>', 'host:port of /healthz and /readyz (empty: off)', ':8081')
    .option('--request-timeout <seconds>', 'deadline of each API call', '10')
    .addOption(new Option('--pods <how>', 'find a target\u2019s pods from a watched cache, or with a LIST request every loop').choices(['watch', 'list']).default('watch'))
    .option('--print-crd', 'print the PodAutoscaler CustomResourceDefinition as YAML and exit')
    .action(async (flags) => {
      if (flags.printCrd) {
        process.stdout.write(toYaml(podAutoscalerCrd()));
        return;
      }
      const log = (level: string, message: string, fields?: Record<string, unknown>) =>
        process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })}\n`);
      const identity = flags.leaderElectId ?? process.env.POD_NAME ?? hostname();
      const ports = defaultOperatorPorts();
      const op = await startOperator({
        kubeConfig: kubeConfigFromFlags(flags),
        metrics: ports.metrics,
        history: ports.history,
        ...(flags.namespace ? { namespace: flags.namespace } : {}),
        allowedEndpoints: flags.prometheusUrl,
        ...(flags.leaderElect
          ? { leaderElection: { namespace: flags.leaderElectNamespace ?? process.env.POD_NAMESPACE ?? 'default', name: flags.leaseName, identity } }
          : {}),
        metricsAddress: flags.metricsAddress === '' ? null : flags.metricsAddress,
        healthAddress: flags.healthAddress === '' ? null : flags.healthAddress,
        requestTimeoutMs: seconds(flags.requestTimeout, '--request-timeout') * 1000,
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
