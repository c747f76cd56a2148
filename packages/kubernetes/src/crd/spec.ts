/**
 * `spec` of a PodAutoscaler: what to scale, between which bounds, on which metrics and
 * with which algorithm, plus the `predictive` block. Field names follow AIBrix's
 * `PodAutoscalerSpec` (reference/aibrix.md 1.1–1.3) where it has one; AIBrix's tuning
 * annotations (1.5) become typed fields here (`behavior`, `maxScaleUpRate`, …).
 *
 * This zod schema is the source of truth: the CRD's OpenAPI schema is generated from it
 * (crd.ts) and the controller parses objects with it. Rules that a structural schema
 * cannot say (a panic window no longer than the stable window, overlapping schedules)
 * are checked by validateSpec.ts, which names the field; those the API server can
 * check are also CEL rules in the CRD (celRules.ts), whose cost the server estimates
 * from the bounds here: hence the maximum lengths of lists and strings.
 * @module
 */
import { MODEL_CHOICES, type ModelChoice } from '@prescale/core';
import { z } from 'zod';
import { type OptimizerSpec, OptimizerSpecSchema } from './optimizerSpec.js';
import { AuthSecretRefSchema, type ScaleTargetRef, ScaleTargetRefSchema } from './references.js';

export { type AuthSecretRef, AuthSecretRefSchema, type ScaleTargetRef, ScaleTargetRefSchema } from './references.js';

/** A decimal number written as a string, as AIBrix's `targetValue` ("0.5", "100"). */
export const DECIMAL_PATTERN = '^[0-9]+(\\.[0-9]+)?$';

export const SubTargetSelectorSchema = z
  .object({
    roleName: z.string().min(1).max(63).describe('The role of a StormService to scale, as AIBrix: its replicas and pods only.'),
    mode: z
      .enum(['pool', 'replica'])
      .describe('pool (default): the role\u2019s own replicas; replica: the StormService\u2019s spec.replicas, the role\u2019s pods for metrics (AIBrix\u2019s storm-service-mode annotation).')
      .optional(),
  })
  .describe('A part of the target to scale on its own (AIBrix subTargetSelector); KPA and APA only.');

/**
 * The kinds of metric source (AIBrix `metricSourceType`, reference/aibrix.md 1.3, and
 * prescale's `prometheus`); which fields each one takes is checked per kind
 * (metricSourceRules.ts, and the CRD's CEL rules).
 */
export const METRIC_SOURCE_TYPES = ['pod', 'prometheus', 'resource', 'external', 'domain'] as const;
export type MetricSourceType = (typeof METRIC_SOURCE_TYPES)[number];

/** The resources a `resource` source reads from metrics.k8s.io (AIBrix's `cpu` and `memory`). */
export const RESOURCE_METRICS = ['cpu', 'memory'] as const;

export const MetricSourceSchema = z
  .object({
    metricSourceType: z
      .enum(METRIC_SOURCE_TYPES)
      .describe(
        'pod: scrape every pod of the target; prometheus: one value from a PromQL query; resource: cpu or memory of each pod from metrics.k8s.io; external: one value from external.metrics.k8s.io (items summed); domain: one value from an HTTP endpoint (protocolType://endpoint/path, as the GPU optimizer serves it).',
      ),
    protocolType: z.enum(['http', 'https']).describe('pod and domain sources: scheme; default http.').optional(),
    port: z.int().min(1).max(65535).describe('pod sources: the metrics port of each pod.').optional(),
    path: z.string().min(1).describe('pod sources: the metrics path, default /metrics; domain sources: the path on the endpoint.').optional(),
    targetMetric: z.string().min(1).describe('Metric name, for example vllm:num_requests_waiting; cpu or memory for resource sources.'),
    labelMatchers: z
      .record(z.string(), z.string())
      .describe('pod sources: only samples whose labels equal these, summed per pod; external sources: the metric selector.')
      .optional(),
    targetValue: z
      .string()
      .max(32)
      .regex(new RegExp(DECIMAL_PATTERN))
      .describe('Per-replica target, a decimal string (> 0). resource sources, as AIBrix: KPA and APA millicores (cpu) or bytes (memory) per pod; HPA percent of the request (cpu) or MiB per pod (memory).'),
    endpoint: z
      .string()
      .min(1)
      .describe('prometheus sources: base URL of the Prometheus server; domain sources: host[:port] (or a URL) of the HTTP endpoint.')
      .optional(),
    query: z.string().min(1).describe('prometheus sources: PromQL giving one value, the total over the target.').optional(),
    authSecretRef: AuthSecretRefSchema.optional(),
  })
  .describe('Where a metric comes from and its target per replica.');

/**
 * What wakes a target from 0 replicas: a source that counts the requests waiting while
 * no pod exists (a gateway's or activator's pending requests), never the pods (there are
 * none). docs/operator.md "Scale to zero" wires Envoy Gateway, Knative's activator and
 * KEDA's HTTP add-on to it.
 */
export const WakeUpSchema = z
  .object({
    metricSourceType: z
      .enum(['prometheus', 'scrape'])
      .describe('prometheus: one value from a PromQL query; scrape: a metrics page (Prometheus text format) at a fixed URL, the samples of targetMetric summed.'),
    endpoint: z
      .string()
      .min(1)
      .max(512)
      .describe('prometheus: base URL of Prometheus; scrape: the URL of the page, e.g. http://keda-add-ons-http-interceptor-admin.keda:9090/metrics. Must be in the operator\u2019s allow-list.'),
    query: z.string().min(1).describe('prometheus: PromQL giving the requests waiting for this target.').optional(),
    targetMetric: z.string().min(1).describe('scrape: the metric of waiting requests.').optional(),
    labelMatchers: z.record(z.string(), z.string()).describe('scrape: only samples whose labels equal these.').optional(),
    authSecretRef: AuthSecretRefSchema.optional(),
  })
  .describe('Where the requests waiting while no pod exists are counted: what wakes the target from 0 replicas (KPA; required with minReplicas 0 unless a metric source is not per pod).');

/**
 * A warm pool the Kubernetes way (issue 21): a placeholder ("balloon") Deployment whose
 * low-priority pods keep nodes provisioned for the target's replicas, scaled ahead of
 * the forecast (controller/warmPool.ts; examples/operator/warm-pool.yaml).
 */
export const WarmPoolSchema = z
  .object({
    balloonRef: z
      .object({ name: z.string().min(1).max(253) })
      .describe('A Deployment in the PodAutoscaler\u2019s namespace whose pods reserve a replica\u2019s node at a priority below every real pod.'),
    leadSeconds: z.int().min(0).max(86400).describe('Node provisioning time: warm nodes are kept for what the forecast needs this long beyond predictive.leadTimeSeconds; default 600.').optional(),
    podsPerReplica: z.int().min(1).max(64).describe('Balloon pods that reserve one replica\u2019s capacity; default 1.').optional(),
    maxReplicas: z.int().min(0).describe('Most balloon pods; default maxReplicas \u00d7 podsPerReplica.').optional(),
  })
  .describe('A warm pool: the balloon Deployment prescale sizes ahead of the forecast (predictive mode auto).');

export const ScalingPolicySchema = z.object({
  type: z.enum(['Pods', 'Percent']),
  value: z.int().min(1),
  periodSeconds: z.int().min(1).max(1800),
});

export const ScalingRulesSchema = z.object({
  stabilizationWindowSeconds: z
    .int()
    .min(0)
    .max(3600)
    .describe('HPA: stabilisation window; APA: cooldown; KPA scaleDown: the scale-down delay.')
    .optional(),
  selectPolicy: z.enum(['Max', 'Min', 'Disabled']).describe('HPA only.').optional(),
  policies: z.array(ScalingPolicySchema).min(1).describe('HPA only.').optional(),
  tolerance: z.number().min(0).describe('HPA and APA: no change while the usage ratio is within 1 ± tolerance.').optional(),
});

export const BehaviorSchema = z
  .object({ scaleUp: ScalingRulesSchema.optional(), scaleDown: ScalingRulesSchema.optional() })
  .describe('HPA-style scaling behaviour (autoscaling/v2).');

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export const HHMM_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$';
export const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

export const ScheduleSchema = z
  .object({
    name: z.string().regex(new RegExp(DNS_LABEL_PATTERN)).max(63),
    timezone: z.string().max(64).describe('IANA time zone; empty: UTC. All schedules share one.').optional(),
    daysOfWeek: z.array(z.string().max(3)).min(1).max(7).describe('sun..sat (any case); absent: every day.').optional(),
    startTime: z.string().max(5).regex(new RegExp(HHMM_PATTERN)).describe('HH:MM, inclusive.'),
    endTime: z.string().max(5).regex(new RegExp(HHMM_PATTERN)).describe('HH:MM, exclusive, after startTime.'),
    minReplicas: z.int().min(0).optional(),
    maxReplicas: z.int().min(1).optional(),
  })
  .describe('Replica bounds in force during a daily time window (AIBrix spec.schedules).');

/** The forecasters of `@prescale/core` and `auto`, which picks one per workload. */
export const PREDICTIVE_MODELS = MODEL_CHOICES as readonly [ModelChoice, ...ModelChoice[]];

export const PredictiveSchema = z
  .object({
    mode: z.enum(['off', 'preview', 'auto']).describe('off; preview: report, change nothing; auto: blend.'),
    history: z
      .object({
        endpoint: z.string().min(1).describe('Base URL of Prometheus (or Thanos, Mimir).'),
        query: z.string().min(1).describe('PromQL for the request rate (req/s), e.g. sum(rate(vllm:request_success_total[5m])); also read every loop.'),
        lookbackDays: z.int().min(1).max(84).describe('History to load at start; default 28.').optional(),
        stepSeconds: z.int().min(60).max(3600).describe('Bin width of history and forecast, dividing a day; default 600.').optional(),
        authSecretRef: AuthSecretRefSchema.optional(),
      })
      .optional(),
    capacityPerReplica: z.number().gt(0).describe('Requests per second one replica serves at the SLO.').optional(),
    targetUtilization: z.number().gt(0).max(1).describe('Share of that capacity to plan for; default 1.').optional(),
    leadTimeSeconds: z.int().min(0).max(86400).describe('Cold start + loop period + metric lag; default 480.').optional(),
    quantile: z.number().gt(0).lt(1).describe('Forecast quantile to plan for; default 0.9.').optional(),
    scaleDownFloorSeconds: z
      .int()
      .min(0)
      .max(86400)
      .describe('Hold a scale-down at what the forecast needs over the next this-many seconds (never above the current count); default 0: off.')
      .optional(),
    model: z.enum(PREDICTIVE_MODELS).describe('Forecaster; default auto.').optional(),
    burstQuantile: z
      .number()
      .min(0)
      .max(1)
      .describe('Plan for the learned peak within a bin: this quantile of the peak-to-mean ratios at the same time of the week multiplies the forecast; default 0 (off).')
      .optional(),
    burstWindowSeconds: z
      .int()
      .min(1)
      .max(3600)
      .describe('The window whose mean rate is the peak of a bin, dividing stepSeconds; history is loaded at this step while burstQuantile > 0; default 60.')
      .optional(),
    wakeUpHoldSeconds: z
      .int()
      .min(0)
      .max(86400)
      .describe('minReplicas 0: how long a predicted wake-up waits for traffic beyond the lead time before the target is released (and not woken again in the same stretch); default 600.')
      .optional(),
    wakeUpWaitsPerGpuHour: z
      .number()
      .min(0)
      .max(1000000)
      .describe('minReplicas 0: requests waiting for a cold start worth one GPU-hour; a predicted wake-up, and the hold of a paused target, only while the waits the forecast expects are worth it; default 10; 0: no limit.')
      .optional(),
  })
  .describe('Forecast-driven scaling: prediction can only add capacity to the reactive decision.');

/** The strategies: the single-target scalers (KPA, APA, HPA) and the GPU optimizer, which scales one target per GPU type. */
export const SCALING_STRATEGIES = ['HPA', 'KPA', 'APA', 'Optimizer'] as const;

export const PodAutoscalerSpecSchema = z.object({
  scaleTargetRef: ScaleTargetRefSchema.describe('The workload whose scale subresource is set; required unless scalingStrategy is Optimizer (its targets name theirs).').optional(),
  subTargetSelector: SubTargetSelectorSchema.optional(),
  minReplicas: z.int().min(0).describe('Default 1.').optional(),
  maxReplicas: z.int().min(1).describe('Required unless scalingStrategy is Optimizer.').optional(),
  scalingStrategy: z.enum(SCALING_STRATEGIES),
  metricsSources: z
    .array(MetricSourceSchema)
    .min(1)
    .max(16)
    .describe('Each source proposes a count; the largest wins (a source that fails is left out, never read as 0). Required unless scalingStrategy is Optimizer.')
    .optional(),
  observeWindowSeconds: z.int().min(1).max(3600).describe('Stable window (KPA, APA); default 180.').optional(),
  panicWindowSeconds: z.int().min(1).max(3600).describe('KPA panic window; default 60.').optional(),
  maxScaleUpRate: z.number().gt(1).describe('KPA, APA: at most this many times the replicas per step; default 2.').optional(),
  maxScaleDownRate: z.number().gt(1).describe('KPA, APA: at least replicas / this per step; default 2.').optional(),
  panicThreshold: z.number().min(1.1).max(10).describe('KPA: panic when the panic window exceeds this many times the replicas; default 2.').optional(),
  behavior: BehaviorSchema.optional(),
  schedules: z.array(ScheduleSchema).min(1).max(32).optional(),
  predictive: PredictiveSchema.optional(),
  wakeUp: WakeUpSchema.optional(),
  warmPool: WarmPoolSchema.optional(),
  optimizer: OptimizerSpecSchema.optional(),
  timeZone: z
    .string()
    .max(64)
    .describe('IANA time zone of the PodAutoscaler (e.g. Europe/Berlin): schedules and the forecaster\u2019s weekly pattern follow its wall clock, daylight saving included; default: the schedules\u2019 timezone, else UTC.')
    .optional(),
  circuitBreaker: z
    .object({
      failureThreshold: z.int().min(1).max(100).describe('Consecutive loops with a failed metric source before the scale is held; default 3.').optional(),
    })
    .describe('Hold the scale after repeated failed loops, until every source answers again (AIBrix #2444).')
    .optional(),
});

export type SubTargetSelector = z.infer<typeof SubTargetSelectorSchema>;
export type MetricSource = z.infer<typeof MetricSourceSchema>;
export type ScalingRules = z.infer<typeof ScalingRulesSchema>;
export type Behavior = z.infer<typeof BehaviorSchema>;
export type Schedule = z.infer<typeof ScheduleSchema>;
export type Predictive = z.infer<typeof PredictiveSchema>;
export type WakeUp = z.infer<typeof WakeUpSchema>;
export type WarmPool = z.infer<typeof WarmPoolSchema>;
/** A spec as the schema parses it, before validateSpec.ts has checked which strategy's fields it has. */
export type PodAutoscalerSpecInput = z.infer<typeof PodAutoscalerSpecSchema>;
/** Fields only the GPU optimizer takes, or only the single-target strategies. */
type StrategyFields = 'scalingStrategy' | 'scaleTargetRef' | 'maxReplicas' | 'metricsSources' | 'optimizer';
/** A valid spec of a single-target strategy (KPA, APA, HPA). */
export type PodAutoscalerSpec = Omit<PodAutoscalerSpecInput, StrategyFields> & {
  scalingStrategy: 'HPA' | 'KPA' | 'APA';
  scaleTargetRef: ScaleTargetRef;
  maxReplicas: number;
  metricsSources: MetricSource[];
  optimizer?: undefined;
};
/** A valid spec of the GPU optimizer: its targets, profiles and demand in `optimizer`; the other strategies' fields absent. */
export type OptimizerPodAutoscalerSpec = { scalingStrategy: 'Optimizer'; optimizer: OptimizerSpec };
/** Any valid spec. */
export type AnyPodAutoscalerSpec = PodAutoscalerSpec | OptimizerPodAutoscalerSpec;
