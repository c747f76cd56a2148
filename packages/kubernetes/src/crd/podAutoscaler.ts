/**
 * A PodAutoscaler object as it arrives from the API server: the spec is not trusted
 * until validateSpec.ts has parsed it; the status is what the controller last wrote.
 * @module
 */
import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { PodAutoscalerSpec } from './spec.js';
import type { PodAutoscalerStatus } from './status.js';

export interface PodAutoscaler {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec?: unknown;
  status?: PodAutoscalerStatus;
}

/** A PodAutoscaler with a typed spec, for building manifests. */
export interface PodAutoscalerManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: PodAutoscalerSpec;
}

/** `namespace/name`. */
export function objectKey(o: { metadata?: { name?: string; namespace?: string } }): string {
  return `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}
