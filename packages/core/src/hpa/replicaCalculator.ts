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
      /** Resource Utilization targets: the current utilisation in percent; null otherwise. */
      utilization: number | null;
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
        if (!usable(value.valueMilli)) return fail(INVALID_METRIC_VALUE);
        usage = value.valueMilli;
      } else {
        if (!('valuesMilli' in value)) return fail(`External metric ${spec.name} needs valuesMilli`);
        if (value.valuesMilli.length === 0) return fail(`no values returned for external metric ${spec.name}`);
        if (!value.valuesMilli.every(usable)) return fail(INVALID_METRIC_VALUE);
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

/** The error of a Value target while no pod is ready: the ratio has no pods to apply to (see {@link usageRatioReplicas}). */
export const NO_READY_PODS = 'no ready pod to apply the usage ratio to (replicas still starting): no proposal, never 0';

/** The error of a metric whose reading holds a NaN, infinite or negative number. */
export const INVALID_METRIC_VALUE = 'InvalidMetricValue: a value is NaN, infinite or negative';

function usable(v: number): boolean {
  return Number.isFinite(v) && v >= 0;
}

/** Per-pod samples as parallel lists; missing and unready pods are appended when filled in. */
interface PodSamples {
  pods: string[];
  values: number[];
}

/** `GetResourceUtilizationRatio`: utilisation is an int32 percentage of the summed requests. */
function utilizationRatio(
  samples: PodSamples,
  requests: Readonly<Record<string, number>>,
  targetUtilization: number,
): { ratio: number; raw: number; utilization: number } | null {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (let i = 0; i < samples.pods.length; i++) {
    const request = requests[samples.pods[i]!];
    if (request === undefined) continue;
    metricsTotal += samples.values[i]!;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0) return null;
  const utilization = int32(intDiv(metricsTotal * 100, requestsTotal));
  return { ratio: utilization / targetUtilization, utilization, raw: intDiv(metricsTotal, entries) };
}

/** `GetMetricUsageRatio`: the integer average of the values against the target. */
function usageRatio(samples: PodSamples, targetUsage: number): { ratio: number; raw: number; utilization: null } {
  let total = 0;
  for (const v of samples.values) total += v;
  const average = intDiv(total, samples.values.length);
  return { ratio: average / targetUsage, raw: average, utilization: null };
}

interface PodMetricRule {
  /** First pass and re-computation of the ratio on a set of samples. */
  ratio(samples: PodSamples): { ratio: number; raw: number; utilization: number | null } | null;
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
  // Samples of every pod but the ignored and unready ones, including samples of pods
  // the lister does not know (upstream keeps those too).
  const excluded = groups.ignored.length + groups.unready.length === 0 ? null : new Set([...groups.ignored, ...groups.unready]);
  const samples: PodSamples = { pods: [], values: [] };
  for (const pod in values) {
    const v = values[pod];
    if (v == null) continue;
    if (!usable(v)) return fail(INVALID_METRIC_VALUE);
    if (excluded?.has(pod) === true) continue;
    samples.pods.push(pod);
    samples.values.push(v);
  }
  if (samples.pods.length === 0) return fail('did not receive metrics for targeted pods (pods might be unready)');

  const first = rule.ratio(samples);
  if (first === null) return fail('no metrics returned matched known pods');
  const result = (replicas: number): MetricReplicas => ({
    ok: true,
    replicas,
    usageRatio: first.ratio,
    utilization: first.utilization,
    rawValueMilli: first.raw,
  });
  const scaleUpWithUnready = groups.unready.length > 0 && first.ratio > 1;

  if (!scaleUpWithUnready && groups.missing.length === 0) {
    if (isWithinTolerance(first.ratio, ctx.tolerances)) return result(ctx.currentReplicas);
    return result(int32(Math.ceil(first.ratio * groups.readyPodCount)));
  }

  const fill = (pod: string, v: number): void => {
    samples.pods.push(pod);
    samples.values.push(v);
  };
  if (first.ratio < 1) for (const pod of groups.missing) fill(pod, rule.scaleDownFill(pod));
  else if (first.ratio > 1) for (const pod of groups.missing) fill(pod, 0);
  if (scaleUpWithUnready) for (const pod of groups.unready) fill(pod, 0);

  const second = rule.ratio(samples);
  if (second === null) return fail('no metrics returned matched known pods');
  const newRatio = second.ratio;
  if (
    isWithinTolerance(newRatio, ctx.tolerances) ||
    (first.ratio < 1 && newRatio > 1) ||
    (first.ratio > 1 && newRatio < 1)
  ) {
    return result(ctx.currentReplicas);
  }
  const newReplicas = int32(Math.ceil(newRatio * samples.pods.length));
  if ((newRatio < 1 && newReplicas > ctx.currentReplicas) || (newRatio > 1 && newReplicas < ctx.currentReplicas)) {
    return result(ctx.currentReplicas);
  }
  return result(newReplicas);
}

/** `GetResourceReplicas`: a Resource metric with a Utilization target (percent of request). */
export function resourceUtilizationReplicas(
  resource: string,
  targetUtilization: number,
  values: Readonly<Record<string, number | null>>,
  ctx: CalculatorContext,
): MetricReplicas {
  const requests: Record<string, number> = {};
  for (const pod of ctx.pods) {
    const request = pod.requestsMilli?.[resource];
    if (request === undefined) return fail(`missing request for ${resource} in pod ${pod.name}`);
    requests[pod.name] = request;
  }
  const fallback = Math.max(100, targetUtilization);
  return podMetricReplicas(values, true, {
    ratio: (samples) => utilizationRatio(samples, requests, targetUtilization),
    scaleDownFill: (pod) => intDiv((requests[pod] ?? 0) * fallback, 100),
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
    ratio: (samples) => usageRatio(samples, targetUsageMilli),
    scaleDownFill: () => targetUsageMilli,
  }, ctx);
}

/**
 * Object and External metrics with a Value target (`GetObjectMetricReplicas`,
 * `GetExternalMetricReplicas` → `getUsageRatioReplicaCount`): the ratio times the number
 * of Running, ready pods; from zero replicas, `ceil(ratio)` with no tolerance.
 *
 * Where prescale differs from Kubernetes, on purpose: with replicas but none of them
 * ready yet (a cold start of minutes), upstream multiplies by 0 and proposes 0, which the
 * bounds turn into a scale-down to `minReplicas` while the load is still there (reference
 * B.3.4). prescale proposes nothing instead (the metric fails with {@link NO_READY_PODS}):
 * it cannot cause a scale-down, and the other metrics decide, or the count holds. The
 * same rule as AIBrix's: a missing reading is never a zero (PR #2592), and replicas
 * still starting count as capacity (PR #2671).
 */
export function usageRatioReplicas(usageMilli: number, targetMilli: number, ctx: CalculatorContext): MetricReplicas {
  const ratio = usageMilli / targetMilli;
  const result = (replicas: number): MetricReplicas => ({ ok: true, replicas, usageRatio: ratio, utilization: null, rawValueMilli: usageMilli });
  if (ctx.currentReplicas === 0) return result(int32(Math.ceil(ratio)));
  if (isWithinTolerance(ratio, ctx.tolerances)) return result(ctx.currentReplicas);
  if (ctx.pods.length === 0) return fail('no pods returned by selector while calculating replica count');
  const readyPods = ctx.pods.filter((p) => p.phase === 'Running' && p.ready).length;
  if (readyPods === 0) return fail(NO_READY_PODS);
  return result(int32(Math.ceil(ratio * readyPods)));
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
  return { ok: true, replicas, usageRatio: ratio, utilization: null, rawValueMilli: Math.min(perPod, MAX_INT64) };
}
