/**
 * The other way round from scalerSpec.ts: a PodAutoscaler spec for a core scaler, so a
 * configuration found offline (`prescale tune --emit`) deploys unchanged. Every setting
 * is written out explicitly (the CRD's defaults are AIBrix's, not the simulator's), and
 * only what a PodAutoscaler can say is accepted: a KPA whose bucket granularity is not
 * the operator's loop period, or an HPA metric the CRD has no source for, is refused with
 * the field named. Reading the result back with {@link toOperatorScalerSpec} gives a core
 * spec that decides the same (tested; the KPA's panic window percentage may differ in
 * its digits, the panic window in seconds it gives does not).
 * @module
 */
import { DEFAULT_LOOP_SECONDS, type HpaScalingRules, type ReactiveSpec, type ScalerSpec } from '@prescale/core';
import { panicWindowSeconds } from '@prescale/core/upstream';
import { API_VERSION, KIND } from './names.js';
import type { PodAutoscalerManifest } from './podAutoscaler.js';
import type { MetricSource, PodAutoscalerSpec, ScalingRules } from './spec.js';

export interface ManifestTarget {
  name: string;
  namespace?: string;
  /** The workload to scale. */
  scaleTargetRef: { apiVersion?: string; kind: string; name: string };
  /** Where each pod serves its metrics: port and path. */
  metrics: { port: number; path?: string };
  /** The Prometheus series of the request rate a predictive scaler learns from (required for `blend`). */
  history?: { endpoint: string; query: string; lookbackDays?: number };
}

export class ManifestError extends Error {
  override readonly name = 'ManifestError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** A decimal string as the CRD's `targetValue` takes it (no exponent). */
function decimal(field: string, x: number): string {
  if (!(Number.isFinite(x) && x > 0)) throw new ManifestError(field, `must be a positive number (got ${x})`);
  const text = String(Number(x.toFixed(6)));
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text)) throw new ManifestError(field, `cannot be written as a decimal string (got ${x})`);
  return text;
}

function wholeSeconds(field: string, x: number): number {
  const r = Math.round(x);
  if (Math.abs(r - x) > 1e-6) throw new ManifestError(field, `must be a whole number of seconds (got ${x})`);
  return r;
}

function podSource(metric: string, targetValue: number, at: ManifestTarget, field: string): MetricSource {
  return { metricSourceType: 'pod', protocolType: 'http', port: at.metrics.port, path: at.metrics.path ?? '/metrics', targetMetric: metric, targetValue: decimal(field, targetValue) };
}

function rules(r: HpaScalingRules | null | undefined): ScalingRules | undefined {
  if (!r) return undefined;
  return {
    ...(r.stabilizationWindowSeconds != null ? { stabilizationWindowSeconds: r.stabilizationWindowSeconds } : {}),
    ...(r.selectPolicy != null ? { selectPolicy: r.selectPolicy } : {}),
    ...(r.policies != null ? { policies: r.policies.map((p) => ({ ...p })) } : {}),
    ...(r.tolerance != null ? { tolerance: r.tolerance } : {}),
  };
}

type Reactive = Pick<PodAutoscalerSpec, 'scalingStrategy' | 'metricsSources' | 'minReplicas' | 'maxReplicas'> & Partial<PodAutoscalerSpec>;

function reactiveFields(spec: ReactiveSpec, at: ManifestTarget): Reactive {
  switch (spec.algorithm) {
    case 'kpa': {
      const c = spec.config;
      const granularity = c.granularitySeconds ?? 1;
      if (granularity !== DEFAULT_LOOP_SECONDS.kpa) throw new ManifestError('config.granularitySeconds', `must be the operator's KPA loop period, ${DEFAULT_LOOP_SECONDS.kpa} s (got ${granularity})`);
      const stable = wholeSeconds('config.stableWindowSeconds', c.stableWindowSeconds ?? 60);
      // The panic window in force: Knative's rounding to whole seconds (core's panicWindowSeconds).
      const panic = panicWindowSeconds(stable, c.panicWindowPercentage ?? 10);
      return {
        scalingStrategy: 'KPA',
        minReplicas: c.minReplicas ?? 1,
        maxReplicas: c.maxReplicas,
        metricsSources: [podSource(spec.metric, c.targetValue, at, 'config.targetValue')],
        observeWindowSeconds: stable,
        panicWindowSeconds: panic,
        ...(c.maxScaleUpRate !== undefined ? { maxScaleUpRate: c.maxScaleUpRate } : {}),
        ...(c.maxScaleDownRate !== undefined ? { maxScaleDownRate: c.maxScaleDownRate } : {}),
        ...(c.panicThreshold !== undefined ? { panicThreshold: c.panicThreshold } : {}),
        behavior: { scaleDown: { stabilizationWindowSeconds: wholeSeconds('config.scaleDownDelaySeconds', c.scaleDownDelaySeconds ?? 0) } },
      };
    }
    case 'apa': {
      const c = spec.config;
      const scaleUp: ScalingRules = {
        ...(c.upFluctuationTolerance !== undefined ? { tolerance: c.upFluctuationTolerance } : {}),
        ...(c.scaleUpCooldownSeconds !== undefined ? { stabilizationWindowSeconds: wholeSeconds('config.scaleUpCooldownSeconds', c.scaleUpCooldownSeconds) } : {}),
      };
      const scaleDown: ScalingRules = {
        ...(c.downFluctuationTolerance !== undefined ? { tolerance: c.downFluctuationTolerance } : {}),
        ...(c.scaleDownCooldownSeconds !== undefined ? { stabilizationWindowSeconds: wholeSeconds('config.scaleDownCooldownSeconds', c.scaleDownCooldownSeconds) } : {}),
      };
      return {
        scalingStrategy: 'APA',
        minReplicas: c.minReplicas ?? 1,
        maxReplicas: c.maxReplicas,
        metricsSources: [podSource(spec.metric, c.targetValue, at, 'config.targetValue')],
        ...(c.windowSeconds !== undefined ? { observeWindowSeconds: wholeSeconds('config.windowSeconds', c.windowSeconds) } : {}),
        ...(c.maxScaleUpRate !== undefined ? { maxScaleUpRate: c.maxScaleUpRate } : {}),
        ...(c.maxScaleDownRate !== undefined ? { maxScaleDownRate: c.maxScaleDownRate } : {}),
        behavior: { scaleUp, scaleDown },
      };
    }
    case 'hpa': {
      const c = spec.config;
      if (c.tolerance !== undefined) throw new ManifestError('config.tolerance', 'a PodAutoscaler sets tolerances per direction: use behavior.scaleUp/scaleDown.tolerance');
      const metricsSources = (c.metrics ?? []).map((m, i): MetricSource => {
        if (m.type !== 'Pods' || m.target.type !== 'AverageValue') throw new ManifestError(`config.metrics[${i}]`, 'only Pods metrics with an AverageValue target have a PodAutoscaler source');
        return podSource(m.name, m.target.averageValueMilli / 1000, at, `config.metrics[${i}].target.averageValueMilli`);
      });
      const scaleUp = rules(c.behavior?.scaleUp);
      const scaleDown = rules(c.behavior?.scaleDown);
      return {
        scalingStrategy: 'HPA',
        minReplicas: c.minReplicas ?? 1,
        maxReplicas: c.maxReplicas,
        metricsSources,
        ...(c.behavior != null ? { behavior: { ...(scaleUp ? { scaleUp } : {}), ...(scaleDown ? { scaleDown } : {}) } } : {}),
      };
    }
    case 'fixed':
      throw new ManifestError('algorithm', 'a fixed replica count has no PodAutoscaler: set the Deployment’s replicas');
    case 'multi':
      throw new ManifestError('algorithm', 'a scaler on several sources is written as a PodAutoscaler with several metricsSources by hand (no tuned spec has one)');
  }
}

/**
 * A PodAutoscaler for a core scaler spec.
 * @throws ManifestError naming the setting a PodAutoscaler cannot say.
 */
export function podAutoscalerFor(spec: ScalerSpec, at: ManifestTarget): PodAutoscalerManifest {
  const metadata = { name: at.name, ...(at.namespace !== undefined ? { namespace: at.namespace } : {}) };
  const scaleTargetRef = { ...at.scaleTargetRef };
  if (spec.algorithm !== 'blend') return { apiVersion: API_VERSION, kind: KIND, metadata, spec: { scaleTargetRef, ...reactiveFields(spec, at) } };
  const p = spec.predictive;
  if (at.history === undefined) throw new ManifestError('history', 'a predictive scaler needs the Prometheus series of its request rate');
  const binSeconds = p.binSeconds ?? 600;
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata,
    spec: {
      scaleTargetRef,
      ...reactiveFields(spec.reactive, at),
      predictive: {
        mode: p.mode ?? 'preview',
        history: { ...at.history, stepSeconds: wholeSeconds('predictive.binSeconds', binSeconds) },
        capacityPerReplica: p.capacityPerReplica,
        ...(p.model !== undefined ? { model: p.model } : {}),
        ...(p.targetUtilization !== undefined ? { targetUtilization: p.targetUtilization } : {}),
        ...(p.leadTimeSeconds !== undefined ? { leadTimeSeconds: Math.round(p.leadTimeSeconds) } : {}),
        ...(p.settings?.quantile !== undefined ? { quantile: p.settings.quantile } : {}),
        ...(p.scaleDownFloorSeconds !== undefined ? { scaleDownFloorSeconds: wholeSeconds('predictive.scaleDownFloorSeconds', p.scaleDownFloorSeconds) } : {}),
        ...(p.burstQuantile !== undefined ? { burstQuantile: p.burstQuantile } : {}),
        ...(p.burstWindowSeconds !== undefined ? { burstWindowSeconds: wholeSeconds('predictive.burstWindowSeconds', p.burstWindowSeconds) } : {}),
        ...(p.wakeUpHoldSeconds !== undefined ? { wakeUpHoldSeconds: wholeSeconds('predictive.wakeUpHoldSeconds', p.wakeUpHoldSeconds) } : {}),
        ...(p.wakeUpWaitsPerGpuHour !== undefined ? { wakeUpWaitsPerGpuHour: p.wakeUpWaitsPerGpuHour } : {}),
      },
      ...(p.timeZone !== undefined ? { timeZone: p.timeZone } : {}),
    },
  };
}
