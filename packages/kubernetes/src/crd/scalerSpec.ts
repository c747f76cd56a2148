/**
 * From a PodAutoscaler spec to the `ScalerSpec` of `@prescale/core`'s `createScaler`,
 * with AIBrix's defaults (reference/aibrix.md 2.9) where the spec leaves a field out:
 * 180 s stable and 60 s panic window, scale rates 2/2, tolerances 0.1/0.1, panic
 * threshold 2, cooldowns 0 s up and 300 s down. APA's are core's own (`APA_DEFAULTS`,
 * AIBrix's), as are the KPA panic threshold and scale-down delay (`KPA_DEFAULTS`); the
 * KPA windows and rates, where Knative's defaults (core's) differ from AIBrix's, are
 * set here. KPA follows Knative's semantics, as the core does: the pods' mean times the
 * ready pods is the total it divides by the target (AIBrix HEAD divides the mean;
 * reference 2.5).
 * @module
 */
import {
  APA_DEFAULTS,
  DEFAULT_LOOP_SECONDS as CORE_LOOP_SECONDS,
  type HpaBehavior,
  type HpaMetricSpec,
  KPA_DEFAULTS,
  type ReactiveSpec,
  type ScalerSpec,
  type SourceSpec,
} from '@prescale/core';
import { type Bounds, podAutoscalerTimeZone } from './schedules.js';
import type { MetricSource, PodAutoscalerSpec, ScalingRules } from './spec.js';

/** Node provisioning time a warm pool looks ahead by default, seconds (`spec.warmPool.leadSeconds`). */
export const DEFAULT_WARM_POOL_LEAD_SECONDS = 600;

/** KPA defaults of AIBrix where Knative's (core's) differ: its stable and panic windows and scale rates. */
export const DEFAULT_OBSERVE_WINDOW_SECONDS = 180;
export const DEFAULT_PANIC_WINDOW_SECONDS = 60;
export const DEFAULT_SCALE_RATE = 2;

/**
 * Loop periods per scaling strategy: core's defaults, as upstream (10 s for KPA and APA,
 * 15 s for HPA); the Optimizer's is AIBrix's load monitor's (a gateway trace record per
 * 10 s, reference/aibrix.md §5.2), as the simulator's `optimizer` scaler.
 */
export const DEFAULT_LOOP_SECONDS = { KPA: CORE_LOOP_SECONDS.kpa, APA: CORE_LOOP_SECONDS.apa, HPA: CORE_LOOP_SECONDS.hpa, Optimizer: 10 } as const;

/**
 * The name each metric source is observed under: its `targetMetric`, suffixed with
 * `#i` when an earlier source already uses that name (other label matchers).
 */
export function metricKeys(sources: readonly MetricSource[]): string[] {
  const seen = new Set<string>();
  return sources.map((s, i) => {
    const key = seen.has(s.targetMetric) ? `${s.targetMetric}#${i}` : s.targetMetric;
    seen.add(key);
    return key;
  });
}

function hpaRules(rules: ScalingRules | undefined): HpaBehavior['scaleUp'] {
  if (!rules) return undefined;
  return {
    ...(rules.stabilizationWindowSeconds !== undefined ? { stabilizationWindowSeconds: rules.stabilizationWindowSeconds } : {}),
    ...(rules.selectPolicy !== undefined ? { selectPolicy: rules.selectPolicy } : {}),
    ...(rules.policies !== undefined ? { policies: rules.policies } : {}),
    ...(rules.tolerance !== undefined ? { tolerance: rules.tolerance } : {}),
  };
}

/** The KPA of one source. */
function kpaSource(spec: PodAutoscalerSpec, bounds: Bounds, loopSeconds: number, metric: string, targetValue: number): SourceSpec {
  const { minReplicas, maxReplicas } = bounds;
  const stable = spec.observeWindowSeconds ?? DEFAULT_OBSERVE_WINDOW_SECONDS;
  const panic = spec.panicWindowSeconds ?? DEFAULT_PANIC_WINDOW_SECONDS;
  return {
    algorithm: 'kpa',
    metric,
    config: {
      targetValue,
      minReplicas,
      maxReplicas,
      stableWindowSeconds: stable,
      panicWindowPercentage: (panic / stable) * 100,
      granularitySeconds: Math.max(1, Math.round(loopSeconds)),
      maxScaleUpRate: spec.maxScaleUpRate ?? DEFAULT_SCALE_RATE,
      maxScaleDownRate: spec.maxScaleDownRate ?? DEFAULT_SCALE_RATE,
      panicThreshold: spec.panicThreshold ?? KPA_DEFAULTS.panicThreshold,
      scaleDownDelaySeconds: spec.behavior?.scaleDown?.stabilizationWindowSeconds ?? KPA_DEFAULTS.scaleDownDelaySeconds,
    },
  };
}

/** The APA of one source. */
function apaSource(spec: PodAutoscalerSpec, bounds: Bounds, metric: string, targetValue: number): SourceSpec {
  const { minReplicas, maxReplicas } = bounds;
  return {
    algorithm: 'apa',
    metric,
    config: {
      targetValue,
      minReplicas,
      maxReplicas,
      windowSeconds: spec.observeWindowSeconds ?? APA_DEFAULTS.windowSeconds,
      maxScaleUpRate: spec.maxScaleUpRate ?? APA_DEFAULTS.maxScaleUpRate,
      maxScaleDownRate: spec.maxScaleDownRate ?? APA_DEFAULTS.maxScaleDownRate,
      ...(spec.behavior?.scaleUp?.tolerance !== undefined ? { upFluctuationTolerance: spec.behavior.scaleUp.tolerance } : {}),
      ...(spec.behavior?.scaleDown?.tolerance !== undefined ? { downFluctuationTolerance: spec.behavior.scaleDown.tolerance } : {}),
      ...(spec.behavior?.scaleUp?.stabilizationWindowSeconds !== undefined ? { scaleUpCooldownSeconds: spec.behavior.scaleUp.stabilizationWindowSeconds } : {}),
      ...(spec.behavior?.scaleDown?.stabilizationWindowSeconds !== undefined ? { scaleDownCooldownSeconds: spec.behavior.scaleDown.stabilizationWindowSeconds } : {}),
    },
  };
}

/** Bytes in a MiB: AIBrix's HPA wrapper reads a memory target as MiB per pod (reference/aibrix.md 2.10). */
const MIB = 1024 * 1024;

/**
 * The HPA metric of one source, as AIBrix's HPA wrapper maps it (reference/aibrix.md
 * 2.10): `resource` cpu is a Utilization target of `ceil(targetValue)` percent, memory an
 * AverageValue of `targetValue` MiB per pod; `pod` a Pods AverageValue; a source with one
 * value for the target (`prometheus`, `external`, `domain`) an External AverageValue,
 * so the replicas are `ceil(value / targetValue)`.
 */
function hpaMetric(s: MetricSource, name: string): HpaMetricSpec {
  const target = { type: 'AverageValue' as const, averageValueMilli: Math.round(Number(s.targetValue) * 1000) };
  switch (s.metricSourceType) {
    case 'pod':
      return { type: 'Pods', name, target };
    case 'resource':
      return s.targetMetric === 'cpu'
        ? { type: 'Resource', name: 'cpu', target: { type: 'Utilization', averageUtilization: Math.ceil(Number(s.targetValue)) } }
        : { type: 'Resource', name: 'memory', target: { type: 'AverageValue', averageValueMilli: Math.round(Number(s.targetValue) * MIB * 1000) } };
    case 'prometheus':
    case 'external':
    case 'domain':
      return { type: 'External', name, target };
  }
}

/**
 * The core scaler for `spec` under `bounds`, deciding every `loopSeconds`. KPA and APA
 * on several sources run one scaler per source and take the largest proposal (core's
 * `multi`); the HPA takes several metrics itself.
 * Core validates the result; validateSpec.ts maps its errors back to spec fields.
 */
export function toScalerSpec(spec: PodAutoscalerSpec, bounds: Bounds, loopSeconds: number): ReactiveSpec {
  const keys = metricKeys(spec.metricsSources);
  switch (spec.scalingStrategy) {
    case 'KPA':
    case 'APA': {
      const sources = spec.metricsSources.map((s, i) => {
        const key = keys[i] ?? s.targetMetric;
        return spec.scalingStrategy === 'KPA' ? kpaSource(spec, bounds, loopSeconds, key, Number(s.targetValue)) : apaSource(spec, bounds, key, Number(s.targetValue));
      });
      return sources.length === 1 ? sources[0]! : { algorithm: 'multi', sources };
    }
    case 'HPA': {
      const { minReplicas, maxReplicas } = bounds;
      const metrics = spec.metricsSources.map((s, i) => hpaMetric(s, keys[i] ?? s.targetMetric));
      const behavior = spec.behavior
        ? { scaleUp: hpaRules(spec.behavior.scaleUp) ?? null, scaleDown: hpaRules(spec.behavior.scaleDown) ?? null }
        : null;
      return { algorithm: 'hpa', config: { minReplicas, maxReplicas, metrics, behavior } };
    }
  }
}

/**
 * The core scaler for `spec`: the reactive one, wrapped in core's predictive blend when
 * `spec.predictive.mode` is preview or auto (prediction can only add capacity).
 */
export function toOperatorScalerSpec(spec: PodAutoscalerSpec, bounds: Bounds, loopSeconds: number): ScalerSpec {
  const reactive = toScalerSpec(spec, bounds, loopSeconds);
  const p = spec.predictive;
  if (!p || p.mode === 'off') return reactive;
  const timeZone = podAutoscalerTimeZone(spec);
  return {
    algorithm: 'blend',
    reactive,
    predictive: {
      mode: p.mode,
      capacityPerReplica: p.capacityPerReplica ?? Number.NaN,
      ...(p.model !== undefined ? { model: p.model } : {}),
      ...(p.targetUtilization !== undefined ? { targetUtilization: p.targetUtilization } : {}),
      ...(p.leadTimeSeconds !== undefined ? { leadTimeSeconds: p.leadTimeSeconds } : {}),
      ...(p.history?.stepSeconds !== undefined ? { binSeconds: p.history.stepSeconds } : {}),
      ...(p.quantile !== undefined ? { settings: { quantile: p.quantile } } : {}),
      ...(p.scaleDownFloorSeconds !== undefined ? { scaleDownFloorSeconds: p.scaleDownFloorSeconds } : {}),
      ...(p.burstQuantile !== undefined ? { burstQuantile: p.burstQuantile } : {}),
      ...(p.burstWindowSeconds !== undefined ? { burstWindowSeconds: p.burstWindowSeconds } : {}),
      ...(p.wakeUpHoldSeconds !== undefined ? { wakeUpHoldSeconds: p.wakeUpHoldSeconds } : {}),
      ...(p.wakeUpWaitsPerGpuHour !== undefined ? { wakeUpWaitsPerGpuHour: p.wakeUpWaitsPerGpuHour } : {}),
      ...(timeZone !== null ? { timeZone } : {}),
      // A warm pool is sized by core's pre-warm term over the provisioning time (controller/warmPool.ts).
      ...(spec.warmPool ? { prewarmSeconds: spec.warmPool.leadSeconds ?? DEFAULT_WARM_POOL_LEAD_SECONDS } : {}),
    },
  };
}

/**
 * A fingerprint of everything in the scaler spec except the replica bounds, which
 * schedules change over the day without invalidating the scaler's state.
 */
export function scalerFingerprint(scaler: ScalerSpec): string {
  if (scaler.algorithm === 'fixed') return 'fixed';
  if (scaler.algorithm === 'blend') return JSON.stringify({ algorithm: 'blend', reactive: scalerFingerprint(scaler.reactive), predictive: scaler.predictive });
  if (scaler.algorithm === 'multi') return JSON.stringify({ algorithm: 'multi', sources: scaler.sources.map((s) => scalerFingerprint(s)) });
  const { minReplicas: _min, maxReplicas: _max, ...rest } = scaler.config as { minReplicas?: number; maxReplicas?: number };
  return JSON.stringify({ algorithm: scaler.algorithm, metric: 'metric' in scaler ? scaler.metric : null, config: rest });
}
