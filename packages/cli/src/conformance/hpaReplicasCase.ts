/** kind "hpa-replicas": Kubernetes' replica calculator for one metric (FORMAT.md). */
import { DEFAULT_TOLERANCE, type HpaMetricSpec, type HpaMetricValue, type HpaPod, type PodPhase } from '@prescale/core';
import { metricReplicas } from '@prescale/core/upstream';
import { compareKeys, type Mismatch } from './compare.js';
import { arr, type Json, num, obj, optNum, str, VectorError } from './fields.js';

/** The upstream tests' resource metrics are CPU. */
const RESOURCE = 'cpu';

function metricSpec(metric: Json): HpaMetricSpec {
  const type = str(metric.type, 'metric.type');
  const target = obj(metric.target, 'metric.target');
  const targetType = str(target.type, 'metric.target.type');
  const value = num(target.value, 'metric.target.value');
  const t =
    targetType === 'Utilization'
      ? { type: 'Utilization' as const, averageUtilization: value }
      : targetType === 'AverageValue'
        ? { type: 'AverageValue' as const, averageValueMilli: value }
        : targetType === 'Value'
          ? { type: 'Value' as const, valueMilli: value }
          : null;
  if (t === null) throw new VectorError(`unknown target type "${targetType}"`);
  const spec = { type, name: type === 'Resource' ? RESOURCE : 'metric', target: t };
  const allowed: Record<string, string[]> = {
    Resource: ['Utilization', 'AverageValue'],
    Pods: ['AverageValue'],
    Object: ['Value', 'AverageValue'],
    External: ['Value', 'AverageValue'],
  };
  if (!allowed[type]?.includes(t.type)) throw new VectorError(`metric type "${type}" with target "${t.type}" is not a Kubernetes combination`);
  return spec as HpaMetricSpec;
}

export function runHpaReplicasCase(c: Json): Mismatch[] {
  const spec = metricSpec(obj(c.metric, 'metric'));
  const podsJson = arr(c.pods ?? [], 'pods').map((p, i) => obj(p, `pods[${i}]`));
  const pods: HpaPod[] = podsJson.map((p, i) => {
    const request = optNum(p.requestMilli, `pods[${i}].requestMilli`);
    return {
      name: str(p.name, `pods[${i}].name`),
      phase: str(p.phase ?? 'Running', `pods[${i}].phase`) as PodPhase,
      ready: p.ready !== false,
      ...(p.deleting === true ? { deleting: true } : {}),
      ...(request === null ? {} : { requestsMilli: { [RESOURCE]: request } }),
    };
  });
  let value: HpaMetricValue;
  if (spec.type === 'Object') {
    const v = optNum(c.objectValueMilli, 'objectValueMilli');
    value = v === null ? { error: 'object metric unavailable' } : { valueMilli: v };
  } else if (spec.type === 'External') {
    value = c.externalValuesMilli == null
      ? { error: 'external metric unavailable' }
      : { valuesMilli: arr(c.externalValuesMilli, 'externalValuesMilli').map((v, i) => num(v, `externalValuesMilli[${i}]`)) };
  } else {
    const podValuesMilli: Record<string, number | null> = {};
    podsJson.forEach((p, i) => {
      if (p.valueMilli !== undefined) podValuesMilli[pods[i]!.name] = optNum(p.valueMilli, `pods[${i}].valueMilli`);
    });
    value = { podValuesMilli };
  }
  // `tolerance` is the HPA's: per direction, or one number for both.
  const tol = c.tolerance == null ? {} : typeof c.tolerance === 'number' ? { scaleUp: c.tolerance, scaleDown: c.tolerance } : obj(c.tolerance, 'tolerance');
  const currentReplicas = num(c.currentReplicas, 'currentReplicas');
  const result = metricReplicas(spec, value, {
    currentReplicas,
    statusReplicas: num(c.statusReplicas ?? currentReplicas, 'statusReplicas'),
    pods,
    tolerances: {
      scaleUp: num(tol.scaleUp ?? DEFAULT_TOLERANCE, 'tolerance.scaleUp'),
      scaleDown: num(tol.scaleDown ?? DEFAULT_TOLERANCE, 'tolerance.scaleDown'),
    },
  });
  const expect = obj(c.expect, 'expect');
  if (expect.error === true) {
    return result.ok ? [{ at: 'error', expected: true, actual: `replicas ${result.replicas}` }] : [];
  }
  if (!result.ok) return [{ at: 'replicas', expected: expect.replicas, actual: `error: ${result.error}` }];
  return compareKeys('', expect, {
    replicas: result.replicas,
    utilization: result.utilization,
    rawValueMilli: result.rawValueMilli,
  });
}
