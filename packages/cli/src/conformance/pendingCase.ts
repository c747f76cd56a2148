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
import { APA_DEFAULTS } from '@prescale/core';
import { apaRecommend, guardPendingReplicas } from '@prescale/core/upstream';
import { compareKeys, type Mismatch } from './compare.js';
import { type Json, num, obj } from './fields.js';

export function runApaPendingCase(c: Json): Mismatch[] {
  const config = obj(c.config, 'config');
  const param = (key: keyof typeof APA_DEFAULTS & string): number => num(config[key] ?? APA_DEFAULTS[key], `config.${key}`);
  const current = num(c.currentReplicas, 'currentReplicas');
  const rec = apaRecommend(
    {
      targetValue: num(config.targetValue, 'config.targetValue'),
      upFluctuationTolerance: param('upFluctuationTolerance'),
      downFluctuationTolerance: param('downFluctuationTolerance'),
      maxScaleUpRate: param('maxScaleUpRate'),
      maxScaleDownRate: param('maxScaleDownRate'),
    },
    current,
    num(c.metricPerPod, 'metricPerPod'),
  );
  const guarded = guardPendingReplicas(rec.replicas, current, rec.ratio, num(c.readyPods, 'readyPods'));
  return compareKeys('', obj(c.expect, 'expect'), { desiredReplicas: guarded.replicas });
}
