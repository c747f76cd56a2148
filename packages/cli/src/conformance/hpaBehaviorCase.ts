/** kind "hpa-behavior": Kubernetes' stabilisation and rate limits (FORMAT.md). */
import { type HpaBehavior, MAX_INT32, type Recommendation, type ScaleEvent } from '@prescale/core';
import { DEFAULT_DOWNSCALE_STABILIZATION_SECONDS, limitLegacy, limitWithBehavior, normalizeDesiredReplicas, resolveBehavior, stabilizeLegacy, stabilizeWithBehavior } from '@prescale/core/upstream';
import { compareKeys, type Mismatch } from './compare.js';
import { arr, type Json, num, obj, optNum, str, VectorError } from './fields.js';

function aged<T>(list: unknown, name: string, now: number, make: (item: Json, at: number, i: number) => T): T[] {
  return arr(list ?? [], name).map((raw, i) => {
    const item = obj(raw, `${name}[${i}]`);
    return make(item, now - num(item.ageSeconds, `${name}[${i}].ageSeconds`) * 1000, i);
  });
}

export function runHpaBehaviorCase(c: Json, t0: number): Mismatch[] {
  const now = t0;
  const stage = str(c.stage, 'stage');
  const behavior = c.behavior == null ? null : resolveBehavior(obj(c.behavior, 'behavior') as HpaBehavior);
  const desired = num(c.desiredReplicas, 'desiredReplicas');
  const current = optNum(c.currentReplicas, 'currentReplicas');
  const min = optNum(c.minReplicas, 'minReplicas') ?? 0;
  const max = optNum(c.maxReplicas, 'maxReplicas') ?? MAX_INT32;
  const recommendations: Recommendation[] = aged(c.recommendations, 'recommendations', now, (r, at, i) => ({
    replicas: num(r.replicas, `recommendations[${i}].replicas`),
    at,
  }));
  const event = (name: string) => (e: Json, at: number, i: number): ScaleEvent => ({
    change: num(e.change, `${name}[${i}].change`),
    at,
    outdated: e.outdated === true,
  });
  const scaleUpEvents = aged(c.scaleUpEvents, 'scaleUpEvents', now, event('scaleUpEvents'));
  const scaleDownEvents = aged(c.scaleDownEvents, 'scaleDownEvents', now, event('scaleDownEvents'));
  const needCurrent = (): number => {
    if (current === null) throw new VectorError(`stage "${stage}" needs currentReplicas`);
    return current;
  };

  let actual: { replicas: number; reason?: string };
  if (stage === 'stabilize') {
    actual = behavior === null
      ? { replicas: stabilizeLegacy(recommendations, now, desired, DEFAULT_DOWNSCALE_STABILIZATION_SECONDS).replicas }
      : { replicas: stabilizeWithBehavior(recommendations, now, needCurrent(), desired, behavior).replicas };
  } else if (stage === 'rate') {
    actual = behavior === null
      ? limitLegacy(needCurrent(), desired, min, max)
      : limitWithBehavior(needCurrent(), desired, min, max, behavior, { scaleUp: scaleUpEvents, scaleDown: scaleDownEvents }, now);
  } else if (stage === 'full') {
    const n = normalizeDesiredReplicas({
      now,
      currentReplicas: needCurrent(),
      desiredReplicas: desired,
      minReplicas: min,
      maxReplicas: max,
      behavior,
      downscaleStabilizationSeconds: DEFAULT_DOWNSCALE_STABILIZATION_SECONDS,
      recommendations,
      scaleUpEvents,
      scaleDownEvents,
    });
    actual = { replicas: n.replicas, reason: n.limitReason };
  } else {
    throw new VectorError(`unknown stage "${stage}"`);
  }
  return compareKeys('', obj(c.expect, 'expect'), actual);
}
