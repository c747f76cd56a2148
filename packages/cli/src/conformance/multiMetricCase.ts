/**
 * kind "multi-metric": several metrics (or sources) on one autoscaler, each with its
 * proposal (`null`: the metric failed), combined by the upstream's rule:
 *
 * - `rule: "kubernetes"`: `computeReplicasForMetrics` (horizontal.go; reference/knative-hpa.md
 *   B.2, B.3.5): the largest valid proposal; when every metric failed, or one failed and
 *   the largest is below `currentReplicas`, no scaling (`valid: false`). Run through
 *   core's replica calculator with External AverageValue metrics whose usage is the
 *   proposal times the target (tolerance 0), so each metric proposes exactly its number.
 * - `rule: "aibrix"`: `ComputeDesiredReplicas` (autoscaler.go at e3e10f9): the largest
 *   valid proposal; every source failed: no scaling. Run through core's `combineProposals`.
 *
 * ```json
 * { "kind": "multi-metric", "rule": "aibrix", "currentReplicas": 4, "proposals": [5, null, 3],
 *   "expect": { "replicas": 5, "valid": true } }
 * ```
 * @module
 */
import { combineProposals, replicasForMetrics } from '@prescale/core/upstream';
import type { HpaMetricSpec, HpaMetricValue } from '@prescale/core';
import { compareKeys, type Mismatch } from './compare.js';
import { arr, type Json, num, obj, str, VectorError } from './fields.js';

const TARGET_MILLI = 1000;

export function runMultiMetricCase(c: Json): Mismatch[] {
  const rule = str(c.rule, 'rule');
  const current = num(c.currentReplicas, 'currentReplicas');
  const proposals = arr(c.proposals, 'proposals').map((p, i) => (p === null ? null : num(p, `proposals[${i}]`)));
  const expect = obj(c.expect, 'expect');
  if (rule === 'aibrix') {
    const r = combineProposals(
      proposals.map((p, i) => ({ source: `m${i}`, value: null, desiredReplicas: p, reasons: [] })),
      current,
      { minReplicas: 0, maxReplicas: Number.MAX_SAFE_INTEGER },
    );
    return compareKeys('', expect, { replicas: r.valid ? r.desiredReplicas : null, valid: r.valid });
  }
  if (rule !== 'kubernetes') throw new VectorError(`unknown rule "${rule}" (kubernetes, aibrix)`);
  const specs: HpaMetricSpec[] = proposals.map((_, i) => ({ type: 'External', name: `m${i}`, target: { type: 'AverageValue', averageValueMilli: TARGET_MILLI } }));
  const values: HpaMetricValue[] = proposals.map((p) => (p === null ? { valuesMilli: [] } : { valuesMilli: [p * TARGET_MILLI] }));
  const r = replicasForMetrics(specs, values, { currentReplicas: current, statusReplicas: current, pods: [], tolerances: { scaleUp: 0, scaleDown: 0 } });
  return compareKeys('', expect, { replicas: r.ok ? r.replicas : null, valid: r.ok });
}
