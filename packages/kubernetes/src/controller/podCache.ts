/**
 * The pods of the watched namespaces, kept by a list+watch informer, as the Kubernetes
 * HPA reads them (a pod lister over a shared informer) instead of one LIST request per
 * PodAutoscaler per loop. Each pod is cut down to the fields the controller reads (name,
 * namespace, labels, deletion, phase, IP, readiness), so a large cluster's pods cost a few
 * hundred bytes each. Pods of a target are selected by the Scale's `status.selector`.
 * @module
 */
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { Informer, type InformerOptions } from './informer.js';
import { matchesLabels, parseLabelSelector, type Requirement } from './labelSelector.js';

/** The fields of a pod the controller reads. */
export function slimPod(pod: V1Pod): V1Pod {
  const m = pod.metadata ?? {};
  const s = pod.status ?? {};
  const ready = s.conditions?.find((c) => c.type === 'Ready');
  return {
    metadata: {
      ...(m.name !== undefined ? { name: m.name } : {}),
      ...(m.namespace !== undefined ? { namespace: m.namespace } : {}),
      ...(m.resourceVersion !== undefined ? { resourceVersion: m.resourceVersion } : {}),
      ...(m.labels !== undefined ? { labels: m.labels } : {}),
      ...(m.deletionTimestamp ? { deletionTimestamp: m.deletionTimestamp } : {}),
    },
    status: {
      ...(s.phase !== undefined ? { phase: s.phase } : {}),
      ...(s.podIP !== undefined ? { podIP: s.podIP } : {}),
      ...(ready ? { conditions: [{ type: 'Ready', status: ready.status }] } : {}),
    },
  };
}

export class PodCache {
  private readonly informer: Informer<V1Pod>;
  private readonly selectors = new Map<string, Requirement[]>();

  constructor(
    kubeConfig: KubeConfig,
    listPods: (namespace?: string) => Promise<{ metadata?: { resourceVersion?: string }; items: V1Pod[] }>,
    namespace?: string,
    options: InformerOptions & { onError?: (error: unknown) => void } = {},
  ) {
    const path = namespace ? `/api/v1/namespaces/${namespace}/pods` : '/api/v1/pods';
    const ignore = (): void => {};
    this.informer = new Informer<V1Pod>(
      kubeConfig,
      path,
      () => listPods(namespace),
      { add: ignore, update: ignore, delete: ignore, ...(options.onError ? { error: options.onError } : {}) },
      options,
      slimPod,
    );
  }

  get synced(): boolean {
    return this.informer.synced;
  }

  start(): Promise<void> {
    return this.informer.start();
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }

  /** The cached pods of `namespace` that match a label selector string. */
  list(namespace: string, selector: string): V1Pod[] {
    let requirements = this.selectors.get(selector);
    if (!requirements) {
      requirements = parseLabelSelector(selector);
      if (this.selectors.size > 10_000) this.selectors.clear();
      this.selectors.set(selector, requirements);
    }
    return this.informer.listNamespace(namespace).filter((p) => matchesLabels(requirements, p.metadata?.labels));
  }
}
