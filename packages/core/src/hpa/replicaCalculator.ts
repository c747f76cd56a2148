/**
 * Kubernetes' HPA replica calculator (replica_calculator.go, metrics/utilization.go;
 * reference/knative-hpa.md B.3): from one metric's reading, the replicas it asks for.
 * Integer arithmetic is done as Kubernetes does it (milli-units, truncating division),
 * so results match upstream exactly, including the missing- and unready-pod rules.
 * @module
 */
import { int32, int64, intDiv, MAX_INT64, saturatingSum } from '../goMath.js';
import { groupPods } from './groupPods.js';
import { isWithinTolerance } from './tolerances.js';
import type { HpaMetricSpec, HpaMetricValue, HpaPod, Tolerances } from './types.js';

export type MetricReplicas =
  | {
      ok: true;
      replicas: number;
      /** Usage ratio against the target from the first (ready-pods-only) pass. */
      usageRatio: number;
      /** Resource Utilization targets: the current utilisation in percent. */
      utilization?: number;
      /** The value the calculator used: per-pod average, object value or external sum (milli). */
      rawValueMilli: number;
    }
  | { ok: false; error: string };

export interface CalculatorContext {
  /** `scale.spec.replicas`. */
  currentReplicas: number;
  /** `scale.status.replicas`; per-pod Object and External targets use it. */
  statusReplicas: number;
  pods: readonly HpaPod[];
  tolerances: Tolerances;
}

/** The replicas one metric asks for. Dispatches on the metric and target type. */
export function metricReplicas(spec: HpaMetricSpec, value: HpaMetricValue, ctx: CalculatorContext): MetricReplicas {
  if ('error' in value) return fail(value.error);
  switch (spec.type) {
    case 'Resource':
    case 'Pods': {
      if (!('podValuesMilli' in value)) return fail(`${spec.type} metric ${spec.name} needs per-pod values`);
      const readinessCounts = spec.type === 'Resource';
      return spec.target.type === 'Utilization'
        ? resourceUtilizationReplicas(spec.name, spec.target.averageUtilization, value.podValuesMilli, ctx)
        : plainMetricReplicas(spec.target.averageValueMilli, value.podValuesMilli, readinessCounts, ctx);
    }
    case 'Object':
    case 'External': {
      let usage: number;
      if (spec.type === 'Object') {
        if (!('valueMilli' in value)) return fail(`Object metric ${spec.name} needs valueMilli`);
        usage = value.valueMilli;
      } else {
        if (!('valuesMilli' in value)) return fail(`External metric ${spec.name} needs valuesMilli`);
        if (value.valuesMilli.length === 0) return fail(`no values returned for external metric ${spec.name}`);
        usage = saturatingSum(value.valuesMilli);
      }
      return spec.target.type === 'Value'
        ? usageRatioReplicas(usage, spec.target.valueMilli, ctx)
        : perPodReplicas(usage, spec.target.averageValueMilli, ctx);
    }
  }
}

function fail(error: string): MetricReplicas {
  return { ok: false, error };
}

/** `GetResourceUtilizationRatio`: utilisation is an int32 percentage of the summed requests. */
function utilizationRatio(
  values: ReadonlyMap<string, number>,
  requests: ReadonlyMap<string, number>,
  targetUtilization: number,
): { ratio: number; utilization: number; rawAverage: number } | null {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [pod, v] of values) {
    const request = requests.get(pod);
    if (request === undefined) continue;
    metricsTotal += v;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0) return null;
  const utilization = int32(intDiv(metricsTotal * 100, requestsTotal));
  return { ratio: utilization / targetUtilization, utilization, rawAverage: intDiv(metricsTotal, entries) };
}

/** `GetMetricUsageRatio`: the integer average of the values against the target. */
function usageRatio(values: ReadonlyMap<string, number>, targetUsage: number): { ratio: number; average: number } {
  let total = 0;
  for (const v of values.values()) total += v;
  const average = intDiv(total, values.size);
  return { ratio: average / targetUsage, average };
}

interface PodMetricRule {
  /** First pass and re-computation of the ratio on a set of values. */
  ratio(values: ReadonlyMap<string, number>): { ratio: number; raw: number; utilization?: number } | null;
  /** Value assumed for a missing pod when scaling down. */
  scaleDownFill(pod: string): number;
}

/**
 * The shared body of `GetResourceReplicas` and `calcPlainMetricReplicas` (reference
 * B.3.3): ready pods first; then, if pods are missing or unready pods could mean a
 * scale-up, a second pass assuming missing pods at target (scale-down) or idle
 * (scale-up) and unready pods idle, which may only dampen the change, never reverse it.
 */
function podMetricReplicas(
  values: Readonly<Record<string, number | null>>,
  readinessCounts: boolean,
  rule: PodMetricRule,
  ctx: CalculatorContext,
): MetricReplicas {
  if (ctx.pods.length === 0) return fail('no pods returned by selector while calculating replica count');
  const groups = groupPods(ctx.pods, values, readinessCounts);
  const metrics = new Map<string, number>();
  for (const [pod, v] of Object.entries(values)) {
    if (v === null || groups.ignored.has(pod) || groups.unready.has(pod)) continue;
    metrics.set(pod, v);
  }
  if (metrics.size === 0) return fail('did not receive metrics for targeted pods (pods might be unready)');

  const first = rule.ratio(metrics);
  if (first === null) return fail('no metrics returned matched known pods');
  const base = { ok: true as const, usageRatio: first.ratio, rawValueMilli: first.raw, ...(first.utilization === undefined ? {} : { utilization: first.utilization }) };
  const scaleUpWithUnready = groups.unready.size > 0 && first.ratio > 1;

  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (isWithinTolerance(first.ratio, ctx.tolerances)) return { ...base, replicas: ctx.currentReplicas };
    return { ...base, replicas: int32(Math.ceil(first.ratio * groups.readyPodCount)) };
  }

  if (first.ratio < 1) for (const pod of groups.missing) metrics.set(pod, rule.scaleDownFill(pod));
  else if (first.ratio > 1) for (const pod of groups.missing) metrics.set(pod, 0);
  if (scaleUpWithUnready) for (const pod of groups.unready) metrics.set(pod, 0);

  const second = rule.ratio(metrics);
  if (second === null) return fail('no metrics returned matched known pods');
  const newRatio = second.ratio;
  if (
    isWithinTolerance(newRatio, ctx.tolerances) ||
    (first.ratio < 1 && newRatio > 1) ||
    (first.ratio > 1 && newRatio < 1)
  ) {
    return { ...base, replicas: ctx.currentReplicas };
  }
  const newReplicas = int32(Math.ceil(newRatio * metrics.size));
  if ((newRatio < 1 && newReplicas > ctx.currentReplicas) || (newRatio > 1 && newReplicas < ctx.currentReplicas)) {
    return { ...base, replicas: ctx.currentReplicas };
  }
  return { ...base, replicas: newReplicas };
}

/** `GetResourceReplicas`: a Resource metric with a Utilization target (percent of request). */
export function resourceUtilizationReplicas(
  resource: string,
  targetUtilization: number,
  values: Readonly<Record<string, number | null>>,
  ctx: CalculatorContext,
): MetricReplicas {
  const requests = new Map<string, number>();
  for (const pod of ctx.pods) {
    const request = pod.requestsMilli?.[resource];
    if (request === undefined) return fail(`missing request for ${resource} in pod ${pod.name}`);
    requests.set(pod.name, request);
  }
  const fallback = Math.max(100, targetUtilization);
  return podMetricReplicas(values, true, {
    ratio: (metrics) => {
      const r = utilizationRatio(metrics, requests, targetUtilization);
      return r && { ratio: r.ratio, raw: r.rawAverage, utilization: r.utilization };
    },
    scaleDownFill: (pod) => intDiv((requests.get(pod) ?? 0) * fallback, 100),
  }, ctx);
}

/** `calcPlainMetricReplicas`: Pods metrics and Resource AverageValue targets. */
export function plainMetricReplicas(
  targetUsageMilli: number,
  values: Readonly<Record<string, number | null>>,
  readinessCounts: boolean,
  ctx: CalculatorContext,
): MetricReplicas {
  return podMetricReplicas(values, readinessCounts, {
    ratio: (metrics) => {
      const r = usageRatio(metrics, targetUsageMilli);
      return { ratio: r.ratio, raw: r.average };
    },
    scaleDownFill: () => targetUsageMilli,
  }, ctx);
}

/**
 * Object and External metrics with a Value target (`GetObjectMetricReplicas`,
 * `GetExternalMetricReplicas` → `getUsageRatioReplicaCount`): the ratio times the number
 * of Running, ready pods; from zero replicas, `ceil(ratio)` with no tolerance.
 */
export function usageRatioReplicas(usageMilli: number, targetMilli: number, ctx: CalculatorContext): MetricReplicas {
  const ratio = usageMilli / targetMilli;
  const base = { ok: true as const, usageRatio: ratio, rawValueMilli: usageMilli };
  if (ctx.currentReplicas === 0) return { ...base, replicas: int32(Math.ceil(ratio)) };
  if (isWithinTolerance(ratio, ctx.tolerances)) return { ...base, replicas: ctx.currentReplicas };
  if (ctx.pods.length === 0) return fail('no pods returned by selector while calculating replica count');
  const readyPods = ctx.pods.filter((p) => p.phase === 'Running' && p.ready).length;
  return { ...base, replicas: int32(Math.ceil(ratio * readyPods)) };
}

/**
 * Object and External metrics with an AverageValue target (`GetObjectPerPodMetricReplicas`,
 * `GetExternalPerPodMetricReplicas`): `ceil(usage / target)` unless `status.replicas`
 * already carries it within tolerance. Readiness plays no part.
 */
export function perPodReplicas(usageMilli: number, targetAverageMilli: number, ctx: CalculatorContext): MetricReplicas {
  const status = ctx.statusReplicas;
  const ratio = usageMilli / (targetAverageMilli * status);
  const replicas = isWithinTolerance(ratio, ctx.tolerances) ? status : int32(Math.ceil(usageMilli / targetAverageMilli));
  const perPod = status === 0 ? 0 : int64(Math.ceil(usageMilli / status));
  return { ok: true, replicas, usageRatio: ratio, rawValueMilli: Math.min(perPod, MAX_INT64) };
}
