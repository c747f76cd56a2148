/**
 * The rules of a `scalingStrategy: Optimizer` spec (optimizerSpec.ts) that its schema
 * cannot say: the `optimizer` block is there and the single-target strategies' fields
 * are not (the targets name their own workloads and bounds), each GPU type and each
 * workload appears once, a type's minimum does not exceed its maximum, and the demand
 * endpoint is an http(s) URL. The CRD's CEL rules (celRules.ts) check the same where
 * the API server can; the profiles themselves are checked when the loop reads them.
 * @module
 */
import { API_VERSION_PATTERN, type SpecError } from './specError.js';
import type { PodAutoscalerSpecInput } from './spec.js';

/** The top-level fields a spec with `scalingStrategy: Optimizer` takes. */
export const OPTIMIZER_FIELDS = ['scalingStrategy', 'optimizer'] as const;

/** The first rule of the Optimizer strategy that `spec` breaks, or null. */
export function optimizerSpecError(spec: PodAutoscalerSpecInput): SpecError | null {
  for (const [field, value] of Object.entries(spec)) {
    if (value !== undefined && !(OPTIMIZER_FIELDS as readonly string[]).includes(field)) {
      return { field: `spec.${field}`, message: 'is not used with scalingStrategy Optimizer (each of spec.optimizer.targets names its workload and bounds)' };
    }
  }
  const o = spec.optimizer;
  if (!o) return { field: 'spec.optimizer', message: 'is required with scalingStrategy Optimizer' };
  const gpus = new Set<string>();
  const workloads = new Set<string>();
  for (const [i, t] of o.targets.entries()) {
    const at = `spec.optimizer.targets[${i}]`;
    if (gpus.has(t.gpu)) return { field: `${at}.gpu`, message: `names GPU type "${t.gpu}" twice` };
    gpus.add(t.gpu);
    const ref = t.scaleTargetRef;
    if (!API_VERSION_PATTERN.test(ref.apiVersion ?? 'apps/v1')) return { field: `${at}.scaleTargetRef.apiVersion`, message: 'must be group/version (or v1)' };
    const workload = `${ref.apiVersion ?? 'apps/v1'}.${ref.kind}/${ref.name}`;
    if (workloads.has(workload)) return { field: `${at}.scaleTargetRef`, message: `${ref.kind}/${ref.name} is the target of another GPU type` };
    workloads.add(workload);
    if ((t.minReplicas ?? 0) > t.maxReplicas) return { field: `${at}.minReplicas`, message: `must not exceed maxReplicas (${t.maxReplicas})` };
  }
  if (!/^https?:\/\//.test(o.demand.endpoint)) return { field: 'spec.optimizer.demand.endpoint', message: 'must be an http:// or https:// URL' };
  return null;
}
