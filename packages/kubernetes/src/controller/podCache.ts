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
  /** Bumped on every pod event; selections made at an older version are stale. */
  private version = 0;
  private readonly selections = new Map<string, { version: number; pods: V1Pod[] }>();

  constructor(
    kubeConfig: KubeConfig,
    listPods: (namespace?: string) => Promise<{ metadata?: { resourceVersion?: string }; items: V1Pod[] }>,
    namespace?: string,
    options: InformerOptions & { onError?: (error: unknown) => void } = {},
  ) {
    const path = namespace ? `/api/v1/namespaces/${namespace}/pods` : '/api/v1/pods';
    const changed = (): void => {
      this.version += 1;
    };
    this.informer = new Informer<V1Pod>(
      kubeConfig,
      path,
      () => listPods(namespace),
      { add: changed, update: changed, delete: changed, ...(options.onError ? { error: options.onError } : {}) },
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

  /**
   * The cached pods of `namespace` that match a label selector string. A selection is
   * reused until a pod changes, so a steady cluster costs no scan per loop.
   */
  list(namespace: string, selector: string): V1Pod[] {
    const key = `${namespace}\n${selector}`;
    const hit = this.selections.get(key);
    if (hit && hit.version === this.version) return hit.pods;
    let requirements = this.selectors.get(selector);
    if (!requirements) {
      requirements = parseLabelSelector(selector);
      if (this.selectors.size > 10_000) this.selectors.clear();
      this.selectors.set(selector, requirements);
    }
    const pods = this.informer.listNamespace(namespace).filter((p) => matchesLabels(requirements, p.metadata?.labels));
    if (this.selections.size > 10_000) this.selections.clear();
    this.selections.set(key, { version: this.version, pods });
    return pods;
  }
}
