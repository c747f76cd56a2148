/**
 * `status` of a PodAutoscaler. AIBrix's fields (reference/aibrix.md 1.4: desired and
 * actual scale, last scale time, conditions, a scaling history of at most 5 entries,
 * the bounds a schedule put in force) plus what prescale adds: the last decision with
 * its reason codes, the prediction (reactive, predicted and would-be replicas, history
 * state, model and forecast) and the scaler's persisted state.
 * @module
 */
import { z } from 'zod';

/**
 * Condition types the controller sets: AIBrix's (reference/aibrix.md 1.4) and
 * `MetricsAvailable` (False names the metric sources that failed and why); `Active`
 * (Knative's), on a PodAutoscaler that can be at 0 replicas (controller/wakeUp.ts);
 * `WarmPool`, with a warm pool (controller/warmPool.ts); `CircuitBreaker` (True while
 * repeated failed loops hold the scale, controller/circuitBreaker.ts); `DemandCovered`
 * (scalingStrategy Optimizer: False when the types' maxima, or their profiles, cannot
 * cover the demand, controller/optimizerStatus.ts).
 */
export const CONDITION_TYPES = ['ValidSpec', 'MultiPodAutoscalerConflict', 'AbleToScale', 'ScalingActive', 'Ready', 'MetricsAvailable', 'Active', 'WarmPool', 'CircuitBreaker', 'DemandCovered'] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

export const ConditionSchema = z.object({
  type: z.string().min(1),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: z.string().describe('RFC 3339 time the status last changed.').optional(),
  observedGeneration: z.int().min(0).optional(),
});

export const ScalingHistoryEntrySchema = z.object({
  timestamp: z.string(),
  previousScale: z.int().min(0),
  newScale: z.int().min(0),
  reason: z.string(),
  success: z.boolean(),
  error: z.string().optional(),
});

export const ScheduledBoundsSchema = z.object({
  activeSchedule: z.string().optional(),
  effectiveMinReplicas: z.int().min(0),
  effectiveMaxReplicas: z.int().min(0),
});

export const LastDecisionSchema = z.object({
  time: z.string(),
  algorithm: z.string(),
  valid: z.boolean(),
  reasons: z.array(z.string()),
  message: z.string(),
});

export const MetricSourceStatusSchema = z
  .object({
    source: z.string().describe('metricsSources[i].'),
    type: z.string(),
    metric: z.string(),
    value: z.number().describe('The value the source’s scaler decided on (its window’s, per pod or total as the strategy reads it).').optional(),
    desiredReplicas: z.int().min(0).describe('What this source proposed; absent when it proposed nothing (failed or no data: left out, never 0).').optional(),
    error: z.string().max(1024).describe('Why the source failed this loop.').optional(),
  })
  .describe('One metric source in the last decision: the largest proposal wins.');

export const ForecastPointSchema = z.object({ time: z.string(), value: z.number() });

export const PredictionStatusSchema = z.object({
  mode: z.enum(['off', 'preview', 'auto']),
  reactiveReplicas: z.int().min(0).optional(),
  predictedReplicas: z.int().min(0).optional(),
  wouldBeReplicas: z.int().min(0).describe('What the blend would set; in preview mode it is not applied.').optional(),
  historyState: z.string().describe('NotEnoughHistory, DailyPattern, WeeklyPattern or Unavailable.').optional(),
  message: z.string().optional(),
  model: z.string().optional(),
  burstFactor: z.number().min(1).describe('With burstQuantile: what the forecast is multiplied by to plan for the peak within a bin.').optional(),
  forecast: z.array(ForecastPointSchema).max(32).optional(),
});

export const OptimizerTypeStatusSchema = z.object({
  gpu: z.string(),
  target: z.string().describe('kind/name of the type’s workload.'),
  desiredReplicas: z.int().min(0),
  currentReplicas: z.int().min(0).describe('Replicas of the scale subresource as read this loop.'),
  readyReplicas: z.int().min(0).describe('Its pods that are Running and Ready.'),
  recommendedReplicas: z.int().min(0).describe('The solve’s own count (or the current mix kept), before make-before-break and the fleet minimum.').optional(),
  minReplicas: z.int().min(0),
  maxReplicas: z.int().min(0),
  costPerHour: z.number().min(0).describe('US dollars per replica-hour.').optional(),
  servedRps: z.number().min(0).describe('Requests per second of the solved demand placed on this type.').optional(),
  utilization: z.number().min(0).describe('Share of the desired replicas’ profiled capacity that demand uses.').optional(),
});

export const OptimizerStatusSchema = z
  .object({
    status: z.string().describe('The solve’s: Optimal, Feasible, PartiallyCovered, NoDemand, InvalidDemand, SolverFailed; or Held (no decision: demand missing, no solver).'),
    reasons: z.array(z.string()).max(16),
    message: z.string(),
    solver: z.string().describe('Solver, formulation, model size and nodes.').optional(),
    costPerHour: z.number().min(0).describe('The objective: Σ price × replicas of the solve, US dollars per hour.').optional(),
    lowerBoundPerHour: z.number().min(0).optional(),
    observedRps: z.number().min(0).describe('The request rate read this loop.').optional(),
    solvedRps: z.number().min(0).describe('The rate solved for (the highest of the stabilisation window, headroom not included).').optional(),
    uncoveredRps: z.number().min(0).describe('Demand the maxima (or the profiles) could not cover.').optional(),
    types: z.array(OptimizerTypeStatusSchema).max(8),
  })
  .describe('scalingStrategy Optimizer: the shared decision and each GPU type’s replicas.');

export const PodAutoscalerStatusSchema = z.object({
  observedGeneration: z.int().min(0).optional(),
  desiredScale: z.int().min(0).optional(),
  actualScale: z.int().min(0).optional(),
  lastScaleTime: z.string().optional(),
  conditions: z.array(ConditionSchema).optional(),
  scalingHistory: z.array(ScalingHistoryEntrySchema).max(5).optional(),
  scheduledBounds: ScheduledBoundsSchema.optional(),
  lastDecision: LastDecisionSchema.optional(),
  metrics: z.array(MetricSourceStatusSchema).max(16).optional(),
  prediction: PredictionStatusSchema.optional(),
  optimizer: OptimizerStatusSchema.optional(),
  scalerState: z
    .string()
    .describe('The scaler state as JSON, so that a restarted or newly elected operator resumes it.')
    .optional(),
});

export type Condition = z.infer<typeof ConditionSchema>;
export type ScalingHistoryEntry = z.infer<typeof ScalingHistoryEntrySchema>;
export type ScheduledBounds = z.infer<typeof ScheduledBoundsSchema>;
export type LastDecision = z.infer<typeof LastDecisionSchema>;
export type MetricSourceStatus = z.infer<typeof MetricSourceStatusSchema>;
export type PredictionStatus = z.infer<typeof PredictionStatusSchema>;
export type OptimizerStatus = z.infer<typeof OptimizerStatusSchema>;
export type OptimizerTypeStatus = z.infer<typeof OptimizerTypeStatusSchema>;
export type PodAutoscalerStatus = z.infer<typeof PodAutoscalerStatusSchema>;
