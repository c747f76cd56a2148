/**
 * kind "apa-pending": AIBrix's APA formula followed by the pending-replica rule (AIBrix
 * PR #2671; RFC #2670's cascade): with `readyPods` below `currentReplicas`, a scale-up is
 * sized from the ready pods that measured the metric, and the replicas on the way count.
 * Config as kind "apa" (FORMAT.md).
 *
 * ```json
 * { "kind": "apa-pending", "config": { "targetValue": 0.5 }, "currentReplicas": 4, "readyPods": 2,
 *   "metricPerPod": 1, "expect": { "desiredReplicas": 4 } }
 * ```
 * @module
 */
import { apaRecommend, guardPendingReplicas } from '@prescale/core/upstream';
import { apaParameters } from './apaCase.js';
import { compareKeys, type Mismatch } from './compare.js';
import { type Json, num, obj } from './fields.js';

export function runApaPendingCase(c: Json): Mismatch[] {
  const current = num(c.currentReplicas, 'currentReplicas');
  const rec = apaRecommend(apaParameters(obj(c.config, 'config')), current, num(c.metricPerPod, 'metricPerPod'));
  const guarded = guardPendingReplicas(rec.replicas, current, rec.ratio, num(c.readyPods, 'readyPods'));
  return compareKeys('', obj(c.expect, 'expect'), { desiredReplicas: guarded.replicas });
}
