/**
 * The shapes the HPA works on, named after `autoscaling/v2` (reference/knative-hpa.md B).
 * Metric quantities are in milli-units, as Kubernetes computes them: a CPU request of
 * 2 cores is 2000, a queue length of 15 is 15000.
 * @module
 */

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** A pod of the scale target, as the HPA's pod lister sees it. */
export interface HpaPod {
  name: string;
  phase: PodPhase;
  /**
   * Ready as the HPA judges it. For CPU metrics that is after the CPU initialisation
   * rules ({@link hpaCpuPodReady}); for other resources pass the pod's readiness or true.
   * Only Resource metrics consult it, as upstream.
   */
  ready: boolean;
  /** The pod has a deletion timestamp. */
  deleting?: boolean;
  /** Summed container requests per resource name, in milli-units (`{ cpu: 2000 }`). */
  requestsMilli?: Readonly<Record<string, number>>;
}

export type HpaMetricTarget =
  | { type: 'Utilization'; averageUtilization: number }
  | { type: 'AverageValue'; averageValueMilli: number }
  | { type: 'Value'; valueMilli: number };

export type HpaMetricSpec =
  | { type: 'Resource'; name: string; target: Extract<HpaMetricTarget, { type: 'Utilization' | 'AverageValue' }> }
  | { type: 'Pods'; name: string; target: Extract<HpaMetricTarget, { type: 'AverageValue' }> }
  | { type: 'Object'; name: string; target: Extract<HpaMetricTarget, { type: 'Value' | 'AverageValue' }> }
  | { type: 'External'; name: string; target: Extract<HpaMetricTarget, { type: 'Value' | 'AverageValue' }> };

/**
 * One reading of a metric, aligned with its spec:
 * - Resource and Pods metrics: per-pod values by pod name; a pod that is absent or null is *missing*;
 * - Object metrics: the object's value;
 * - External metrics: the values returned (summed);
 * - `error`: the metric could not be read this time.
 */
export type HpaMetricValue =
  | { podValuesMilli: Readonly<Record<string, number | null>> }
  | { valueMilli: number }
  | { valuesMilli: readonly number[] }
  | { error: string };

/** Per-direction tolerance around a usage ratio of 1 (default 0.1 each way). */
export interface Tolerances {
  scaleUp: number;
  scaleDown: number;
}

export type HpaScalingPolicy = { type: 'Pods' | 'Percent'; value: number; periodSeconds: number };
export type SelectPolicy = 'Max' | 'Min' | 'Disabled';

/** `HPAScalingRules`; unset fields take the Kubernetes defaults. */
export interface HpaScalingRules {
  stabilizationWindowSeconds?: number | null;
  selectPolicy?: SelectPolicy | null;
  policies?: readonly HpaScalingPolicy[] | null;
  /** Per-direction tolerance (KEP-4951); unset uses the controller's. */
  tolerance?: number | null;
}

export interface HpaBehavior {
  scaleUp?: HpaScalingRules | null;
  scaleDown?: HpaScalingRules | null;
}

/** Scaling rules with every default filled in. */
export interface ResolvedScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: SelectPolicy;
  policies: readonly HpaScalingPolicy[];
  tolerance: number | null;
}

export interface ResolvedBehavior {
  scaleUp: ResolvedScalingRules;
  scaleDown: ResolvedScalingRules;
}

export interface Recommendation {
  replicas: number;
  /** When it was made, ms since the epoch. */
  at: number;
}

export interface ScaleEvent {
  /** Size of the change, always ≥ 0; direction is given by the list it is in. */
  change: number;
  at: number;
  outdated: boolean;
}
