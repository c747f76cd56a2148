/**
 * `spec.optimizer` of a PodAutoscaler with `scalingStrategy: Optimizer` (issue 19 item
 * 5; docs/operator.md "The Optimizer strategy"): one PodAutoscaler for a model served on
 * several GPU types, one Deployment (any scale target) per type. Each loop solves
 * AIBrix's GPU optimizer program (Mélange's, reference/aibrix.md §5.3; docs/optimizer.md)
 * once, through core's `fleetStep`, and sets every type's replicas from that one
 * decision. Where AIBrix runs the optimizer as a service beside the autoscaler and
 * feeds each deployment's count to a KPA as a metric (reference/aibrix.md §5.4), here
 * the PodAutoscaler is the optimizer.
 *
 * - `targets`: per GPU type its workload, bounds and (optionally) price;
 * - `profiles`: a ConfigMap with one throughput profile per type, key `<gpu>.json`, in
 *   the layout of AIBrix's `aibrix_gen_profile` and `prescale profile --grid`;
 * - `demand`: where the demand mix comes from: a Prometheus server's request rate and
 *   vLLM's prompt and generation length histograms (core's `demandFromHistograms`).
 * @module
 */
import { z } from 'zod';
import { AuthSecretRefSchema, ScaleTargetRefSchema } from './references.js';

/** A GPU type's name: also the ConfigMap key of its profile (`<gpu>.json`), so ConfigMap key characters only. */
export const GPU_NAME_PATTERN = '^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$';

export const OptimizerTargetSchema = z
  .object({
    gpu: z
      .string()
      .min(1)
      .max(63)
      .regex(new RegExp(GPU_NAME_PATTERN))
      .describe('The GPU type (e.g. A100-80GB); its profile is the ConfigMap key <gpu>.json. AIBrix names a type after its deployment.'),
    scaleTargetRef: ScaleTargetRefSchema,
    minReplicas: z.int().min(0).max(1000).describe('Fewest replicas of this type; default 0.').optional(),
    maxReplicas: z.int().min(0).max(1000).describe('Most replicas of this type.'),
    costPerHour: z.number().gt(0).max(100000).describe('US dollars per replica-hour; default the profile\u2019s cost.').optional(),
  })
  .describe('One GPU type of the fleet: the workload that runs the model on it.');

export const OptimizerDemandSchema = z
  .object({
    endpoint: z.string().min(1).max(512).describe('Base URL of Prometheus (or Thanos, Mimir); must be in the operator\u2019s allow-list.'),
    rateQuery: z
      .string()
      .min(1)
      .describe('PromQL for the model\u2019s request rate, req/s, e.g. sum(rate(vllm:request_success_total{model_name="m"}[2m])). An empty answer is missing demand (the fleet holds), never 0: add `or vector(0)` only if no series truly means no requests.'),
    promptTokensQuery: z
      .string()
      .min(1)
      .describe('PromQL for the prompt-length histogram by le, e.g. sum by (le) (rate(vllm:request_prompt_tokens_bucket{model_name="m"}[30m])).'),
    generationTokensQuery: z
      .string()
      .min(1)
      .describe('PromQL for the generation-length histogram by le, e.g. sum by (le) (rate(vllm:request_generation_tokens_bucket{model_name="m"}[30m])).'),
    authSecretRef: AuthSecretRefSchema.optional(),
  })
  .describe('Where the demand mix comes from: the request rate and the two length histograms (taken as independent).');

export const OptimizerSpecSchema = z
  .object({
    targets: z.array(OptimizerTargetSchema).min(1).max(8).describe('One entry per GPU type; all share one decision.'),
    profiles: z
      .object({
        configMapRef: z
          .object({ name: z.string().min(1).max(253) })
          .describe('A ConfigMap in the PodAutoscaler\u2019s namespace: key <gpu>.json per target, a throughput profile (AIBrix aibrix_gen_profile or prescale profile --grid), all on one token grid.'),
      })
      .describe('The throughput profiles of the GPU types.'),
    demand: OptimizerDemandSchema,
    headroom: z.number().min(0).max(10).describe('Demand is covered \u00d7 (1 + headroom); default 0.1.').optional(),
    stabilizationWindowSeconds: z
      .int()
      .min(0)
      .max(3600)
      .describe('The mix is solved for the highest request rate of this window (scale-down stabilisation on the load); default 300.')
      .optional(),
    switchTolerance: z
      .number()
      .min(0)
      .max(1)
      .describe('Keep the current mix while it covers the demand at most this share above the optimum\u2019s price (no trade between near-equal types); default 0.15.')
      .optional(),
    minTotalReplicas: z.int().min(1).max(1000).describe('The fleet never goes below this many replicas in all (the rest on the cheapest type serving the most buckets); default 1.').optional(),
  })
  .describe('The GPU optimizer (scalingStrategy Optimizer): the cheapest mix of GPU types for the traffic\u2019s token lengths under the profiles\u2019 SLO.');

export type OptimizerTarget = z.infer<typeof OptimizerTargetSchema>;
export type OptimizerDemand = z.infer<typeof OptimizerDemandSchema>;
export type OptimizerSpec = z.infer<typeof OptimizerSpecSchema>;

/** Defaults of `spec.optimizer` (the simulator's `optimizer` scaler's, docs/optimizer.md "Simulating a fleet"). */
export const OPTIMIZER_SPEC_DEFAULTS = { headroom: 0.1, stabilizationWindowSeconds: 300, switchTolerance: 0.15, minTotalReplicas: 1 } as const;
