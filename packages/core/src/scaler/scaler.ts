/**
 * One interface for every scaler, so an operator, a simulator or a predictive blend can
 * drive any of them the same way: each loop it observes the target's pods and their
 * metrics, and the scaler decides. The mapping from an observation to each algorithm's
 * own input follows what the upstream systems measure:
 *
 * - **kpa**: a revision-wide total, as Knative's scraper estimates it: the mean of the
 *   ready pods that reported, times the number of ready pods (a pod without a sample is
 *   not read as zero). A global value in `external[metric]` is used as the total instead.
 * - **apa**: the mean over the ready pods that reported (AIBrix).
 * - **hpa**: every pod with its phase and readiness; per-pod values in milli-units; Object
 *   and External metrics from `external`.
 * - **fixed**: always the same count; a baseline for comparisons.
 * - **blend**: a reactive scaler plus prediction (predictive/blend.ts); it learns its
 *   demand history from `requestRate`.
 *
 * Observed values are in the metric's own units (3 waiting requests, 0.42 KV-cache
 * usage); the HPA's milli-units are derived here.
 * @module
 */
import { apaConfig, type ApaConfigInput } from '../apa/apaConfig.js';
import { apaInit, type ApaState, apaStep } from '../apa/apa.js';
import { type Decision, makeDecision, type ScalerName, type StepResult } from '../decision.js';
import { PrescaleError } from '../errors.js';
import { hpaConfig, type HpaConfigInput } from '../hpa/hpaConfig.js';
import { hpaInit, type HpaState, hpaStep } from '../hpa/hpa.js';
import type { HpaMetricValue, HpaPod, PodPhase } from '../hpa/types.js';
import { kpaConfig, type KpaConfigInput } from '../kpa/kpaConfig.js';
import { kpaInit, type KpaState, kpaStep } from '../kpa/kpa.js';
import { nonNegativeInt, oneOf, timestamp } from '../validate.js';
import { type BlendState, createBlendScaler } from '../blend/blend.js';
import type { PredictiveConfigInput } from '../blend/predictiveConfig.js';

/** A pod of the scale target as an adapter sees it. */
export interface PodSample {
  name: string;
  phase: PodPhase;
  /** The pod's Ready condition. */
  ready: boolean;
  /** The pod has a deletion timestamp. */
  deleting?: boolean;
  /** Metric values by name, in the metric's units; absent or null: not observed. */
  metrics: Readonly<Record<string, number | null>>;
  /** Summed container requests per resource, milli-units (for HPA Resource utilisation). */
  requestsMilli?: Readonly<Record<string, number>>;
}

/** What a scaler sees each loop. */
export interface Observation {
  /** Milliseconds since the epoch. */
  now: number;
  /** The target's replicas (`scale.spec.replicas`). */
  currentReplicas: number;
  pods: readonly PodSample[];
  /** Metrics that are not per pod (a queue length at the gateway, an Object or External metric), by name; null: failed. */
  external?: Readonly<Record<string, number | null>>;
  /**
   * Requests per second arriving at the target (gateway or load-balancer count),
   * observed now. Only the predictive blend reads it, to learn its demand history;
   * absent or null: not observed.
   */
  requestRate?: number | null;
}

export type ScalerSpec =
  | { algorithm: 'kpa'; /** The pod metric to scale on. */ metric: string; config: KpaConfigInput }
  | { algorithm: 'apa'; metric: string; config: ApaConfigInput }
  | { algorithm: 'hpa'; config: HpaConfigInput }
  | { algorithm: 'fixed'; replicas: number }
  | { algorithm: 'blend'; /** The reactive scaler (kpa, hpa, apa). */ reactive: ScalerSpec; predictive: PredictiveConfigInput };

export type ScalerState =
  | { algorithm: 'kpa'; kpa: KpaState }
  | { algorithm: 'apa'; apa: ApaState }
  | { algorithm: 'hpa'; hpa: HpaState }
  | { algorithm: 'fixed' }
  | { algorithm: 'blend'; blend: BlendState };

export type ScalerDecision = Decision<ScalerName, unknown>;

export interface Scaler {
  readonly spec: ScalerSpec;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** A fresh state, for a target that has `readyPods` ready pods at `now`. */
  init(at: { now: number; readyPods: number }): ScalerState;
  step(state: ScalerState, observation: Observation): StepResult<ScalerState, ScalerDecision>;
}

/** A pod that serves: Running, ready and not being deleted. */
export function isServing(pod: PodSample): boolean {
  return pod.phase === 'Running' && pod.ready && pod.deleting !== true;
}

/** Mean of `metric` over the serving pods that reported it, and how many serve. */
export function servingMean(pods: readonly PodSample[], metric: string): { mean: number | null; serving: number } {
  let serving = 0;
  let reported = 0;
  let total = 0;
  for (const pod of pods) {
    if (!isServing(pod)) continue;
    serving++;
    const v = pod.metrics[metric];
    if (v == null) continue;
    reported++;
    total += v;
  }
  return { mean: reported === 0 ? null : total / reported, serving };
}

function wrongState(expected: string, state: ScalerState): never {
  throw new PrescaleError('InvalidConfig', 'state.algorithm', state.algorithm, `must be "${expected}" for this scaler`);
}

function milli(v: number | null | undefined): number | null {
  return v == null ? null : Math.round(v * 1000);
}

/**
 * Builds a scaler from its spec, validating the configuration.
 * @throws PrescaleError naming the first bad field.
 */
export function createScaler(spec: ScalerSpec): Scaler {
  const algorithm = oneOf('spec.algorithm', spec?.algorithm, ['kpa', 'apa', 'hpa', 'fixed', 'blend'] as const);
  switch (algorithm) {
    case 'kpa': {
      const s = spec as Extract<ScalerSpec, { algorithm: 'kpa' }>;
      const config = kpaConfig(s.config);
      return {
        spec,
        minReplicas: config.minReplicas,
        maxReplicas: config.maxReplicas,
        init: (at) => ({ algorithm: 'kpa', kpa: kpaInit(config, at) }),
        step(state, obs) {
          if (state.algorithm !== 'kpa') wrongState('kpa', state);
          const { mean, serving } = servingMean(obs.pods, s.metric);
          const total = obs.external?.[s.metric];
          const value = total !== undefined ? total : mean === null ? null : mean * serving;
          const r = kpaStep(config, state.kpa, { now: obs.now, currentReplicas: obs.currentReplicas, readyPods: serving, value });
          return { state: { algorithm: 'kpa', kpa: r.state }, decision: r.decision };
        },
      };
    }
    case 'apa': {
      const s = spec as Extract<ScalerSpec, { algorithm: 'apa' }>;
      const config = apaConfig(s.config);
      return {
        spec,
        minReplicas: config.minReplicas,
        maxReplicas: config.maxReplicas,
        init: () => ({ algorithm: 'apa', apa: apaInit(config) }),
        step(state, obs) {
          if (state.algorithm !== 'apa') wrongState('apa', state);
          const r = apaStep(config, state.apa, { now: obs.now, currentReplicas: obs.currentReplicas, value: servingMean(obs.pods, s.metric).mean });
          return { state: { algorithm: 'apa', apa: r.state }, decision: r.decision };
        },
      };
    }
    case 'hpa': {
      const config = hpaConfig((spec as Extract<ScalerSpec, { algorithm: 'hpa' }>).config);
      return {
        spec,
        minReplicas: config.minReplicas,
        maxReplicas: config.maxReplicas,
        init: () => ({ algorithm: 'hpa', hpa: hpaInit() }),
        step(state, obs) {
          if (state.algorithm !== 'hpa') wrongState('hpa', state);
          const pods: HpaPod[] = obs.pods.map((p) => ({
            name: p.name,
            phase: p.phase,
            ready: p.ready,
            deleting: p.deleting === true,
            ...(p.requestsMilli ? { requestsMilli: p.requestsMilli } : {}),
          }));
          const metrics = config.metrics.map((m): HpaMetricValue => {
            if (m.type === 'Resource' || m.type === 'Pods') {
              const podValuesMilli: Record<string, number | null> = {};
              for (const p of obs.pods) podValuesMilli[p.name] = milli(p.metrics[m.name]);
              return { podValuesMilli };
            }
            const v = milli(obs.external?.[m.name]);
            if (v === null) return { error: `no value for ${m.type} metric ${m.name}` };
            return m.type === 'Object' ? { valueMilli: v } : { valuesMilli: [v] };
          });
          const r = hpaStep(config, state.hpa, { now: obs.now, currentReplicas: obs.currentReplicas, pods, metrics });
          return { state: { algorithm: 'hpa', hpa: r.state }, decision: r.decision };
        },
      };
    }
    case 'blend': {
      const s = spec as Extract<ScalerSpec, { algorithm: 'blend' }>;
      return createBlendScaler(s.reactive, s.predictive);
    }
    case 'fixed': {
      const replicas = nonNegativeInt('spec.replicas', (spec as Extract<ScalerSpec, { algorithm: 'fixed' }>).replicas);
      return {
        spec,
        minReplicas: replicas,
        maxReplicas: replicas,
        init: () => ({ algorithm: 'fixed' }),
        step(state, obs) {
          const now = timestamp('observation.now', obs.now);
          const current = nonNegativeInt('observation.currentReplicas', obs.currentReplicas, 'InvalidReplicaCount');
          return { state, decision: makeDecision('fixed', now, current, replicas, ['Fixed'], {}) };
        },
      };
    }
  }
}
