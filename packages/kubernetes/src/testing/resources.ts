/**
 * The resource types the stand-in API server serves: what the operator uses, with the
 * subresources Kubernetes gives them (status, and scale for apps/v1 workloads).
 * @module
 */
import { GROUP, KIND, PLURAL, VERSION } from '../crd/names.js';

export interface ResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Has a `status` subresource: the main resource ignores status writes and vice versa. */
  status?: boolean;
  /** Has a `scale` subresource over `spec.replicas`, `status.replicas` and `spec.selector`. */
  scale?: boolean;
  /** Server-side validation of a whole object: a message for 422 Invalid, or null. */
  validate?: (object: Record<string, unknown>) => string | null;
}

export const apiVersionOf = (r: Pick<ResourceType, 'group' | 'version'>): string => (r.group === '' ? r.version : `${r.group}/${r.version}`);
export const resourceKey = (r: Pick<ResourceType, 'group' | 'version' | 'plural'>): string => `${r.group}/${r.version}/${r.plural}`;

/** Kubernetes' MicroTime wire format: six fractional digits (kubernetes/kubernetes#94748). */
export const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function microTimeFields(paths: string[][]): (o: Record<string, unknown>) => string | null {
  return (o) => {
    for (const path of paths) {
      let v: unknown = o;
      for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
      if (v !== undefined && v !== null && !(typeof v === 'string' && MICRO_TIME.test(v))) {
        return `${path.join('.')}: Invalid value: "${String(v)}": must be a MicroTime (2006-01-02T15:04:05.000000Z)`;
      }
    }
    return null;
  };
}

export const PODS: ResourceType = { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true, status: true };
export const CORE_EVENTS: ResourceType = { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true };
export const EVENTS: ResourceType = {
  group: 'events.k8s.io',
  version: 'v1',
  plural: 'events',
  kind: 'Event',
  namespaced: true,
  validate: (o) => (o.eventTime === undefined ? 'eventTime: Required value' : microTimeFields([['eventTime']])(o)),
};
export const DEPLOYMENTS: ResourceType = { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true, status: true, scale: true };
export const STATEFULSETS: ResourceType = { group: 'apps', version: 'v1', plural: 'statefulsets', kind: 'StatefulSet', namespaced: true, status: true, scale: true };
export const REPLICASETS: ResourceType = { group: 'apps', version: 'v1', plural: 'replicasets', kind: 'ReplicaSet', namespaced: true, status: true, scale: true };
export const LEASES: ResourceType = {
  group: 'coordination.k8s.io',
  version: 'v1',
  plural: 'leases',
  kind: 'Lease',
  namespaced: true,
  validate: microTimeFields([['spec', 'acquireTime'], ['spec', 'renewTime']]),
};
export const SECRETS: ResourceType = { group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true };
export const POD_AUTOSCALERS: ResourceType = { group: GROUP, version: VERSION, plural: PLURAL, kind: KIND, namespaced: true, status: true };

export const CONFIG_MAPS: ResourceType = { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true };
export const DEFAULT_RESOURCES: readonly ResourceType[] = [PODS, CORE_EVENTS, EVENTS, DEPLOYMENTS, STATEFULSETS, REPLICASETS, LEASES, SECRETS, CONFIG_MAPS, POD_AUTOSCALERS];

/** metrics.k8s.io PodMetrics, as metrics-server serves them (read-only there; written by tests here). */
export const POD_METRICS: ResourceType = { group: 'metrics.k8s.io', version: 'v1beta1', plural: 'pods', kind: 'PodMetrics', namespaced: true };

/** An external.metrics.k8s.io metric: the API lists `ExternalMetricValue`s under the metric's name. */
export function externalMetric(name: string): ResourceType {
  return { group: 'external.metrics.k8s.io', version: 'v1beta1', plural: name, kind: 'ExternalMetricValue', namespaced: true };
}

/** AIBrix's StormService (orchestration.aibrix.ai/v1alpha1), whose roles a PodAutoscaler can scale apart. */
export const STORM_SERVICES: ResourceType = { group: 'orchestration.aibrix.ai', version: 'v1alpha1', plural: 'stormservices', kind: 'StormService', namespaced: true, status: true, scale: true };

/** A custom workload with a scale subresource (LeaderWorkerSet, as the HPA finds it through discovery). */
export const LEADER_WORKER_SETS: ResourceType = { group: 'leaderworkerset.x-k8s.io', version: 'v1', plural: 'leaderworkersets', kind: 'LeaderWorkerSet', namespaced: true, status: true, scale: true };
