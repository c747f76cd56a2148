/**
 * One interface for every scaler, so an operator or a simulator drives any of them the
 * same way: each loop it observes the target's pods and their metrics
 * ({@link Observation}) and the scaler decides. The reactive scalers map the observation
 * to their own input as their upstream measures it (scaler/reactive.ts); the predictive
 * blend adds a forecast of the demand it learns from `observation.requestRate`
 * (blend/blend.ts). Decisions are a discriminated union on `scaler`, so a caller reads
 * each one's detail without a cast.
 * @module
 */
import type { StepResult } from '../decision.js';
import { PrescaleError } from '../errors.js';
import type { BinnedSeries } from '../series/binnedSeries.js';
import { oneOf } from '../validate.js';
import { type BlendConfig, blendConfig, type BlendDecision, type BlendForecaster, blendInit, blendSeed, type BlendSpec, type BlendState, blendStep } from '../blend/blend.js';
import type { Observation } from './observation.js';
import { reactiveBounds, reactiveConfig, type ReactiveDecision, reactiveInit, type ReactiveSpec, type ReactiveState, reactiveStep } from './reactive.js';

export type ScalerSpec = ReactiveSpec | BlendSpec;
export type ScalerState = ReactiveState | { algorithm: 'blend'; blend: BlendState };
export type ScalerDecision = ReactiveDecision | BlendDecision;

export interface Scaler {
  readonly spec: ScalerSpec;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /**
   * The bin of the demand history the scaler keeps, ms (the predictive blend's forecast
   * bin); null when it keeps none. An adapter loads history for {@link Scaler.seed} at
   * this step.
   */
  readonly demandBinMs: number | null;
  /**
   * The step an adapter should load that history at, ms: the blend's burst window while
   * it learns bursts (`burstQuantile` > 0: a bin's peak needs steps that fine), else
   * `demandBinMs`; null when it keeps none.
   */
  readonly demandStepMs: number | null;
  /** A fresh state, for a target that has `readyPods` ready pods at `now`. */
  init(at: { now: number; readyPods: number }): ScalerState;
  step(state: ScalerState, observation: Observation): StepResult<ScalerState, ScalerDecision>;
  /**
   * Merges a longer demand history into the state: requests per second at the series'
   * own step (a trace's warm-up, a Prometheus range). A scaler that keeps no demand
   * history returns the state as it is.
   * @throws PrescaleError `InvalidTrace` when the series' step does not divide `demandBinMs`.
   */
  seed(state: ScalerState, demand: BinnedSeries): ScalerState;
}

export interface ScalerOptions {
  /** The blend's forecaster, called afresh at every new bin instead of the fitted built-in one. */
  forecaster?: BlendForecaster;
}

function blendState(state: ScalerState): BlendState {
  if (state.algorithm !== 'blend') throw new PrescaleError('InvalidConfig', 'state.algorithm', state.algorithm, 'must be "blend" for this scaler');
  return state.blend;
}

function blendScaler(spec: BlendSpec, config: BlendConfig): Scaler {
  return {
    spec,
    minReplicas: config.minReplicas,
    maxReplicas: config.maxReplicas,
    demandBinMs: config.predictive.binMs,
    demandStepMs: config.predictive.burstQuantile > 0 ? config.predictive.burstWindowMs : config.predictive.binMs,
    init: (at) => ({ algorithm: 'blend', blend: blendInit(config, at) }),
    step(state, observation) {
      const r = blendStep(config, blendState(state), observation);
      return { state: { algorithm: 'blend', blend: r.state }, decision: r.decision };
    },
    seed: (state, demand) => ({ algorithm: 'blend', blend: blendSeed(config, blendState(state), demand) }),
  };
}

/**
 * Builds a scaler from its spec, validating the configuration.
 * @throws PrescaleError naming the first bad field.
 */
export function createScaler(spec: ScalerSpec, options: ScalerOptions = {}): Scaler {
  const algorithm = oneOf('spec.algorithm', spec?.algorithm, ['kpa', 'apa', 'hpa', 'fixed', 'multi', 'blend'] as const);
  if (algorithm === 'blend') return blendScaler(spec as BlendSpec, blendConfig(spec as BlendSpec, options.forecaster));
  const config = reactiveConfig(spec as ReactiveSpec);
  return {
    spec,
    ...reactiveBounds(config),
    demandBinMs: null,
    demandStepMs: null,
    init: (at) => reactiveInit(config, at),
    step(state, observation) {
      if (state.algorithm === 'blend') throw new PrescaleError('InvalidConfig', 'state.algorithm', state.algorithm, `must be "${algorithm}" for this scaler`);
      return reactiveStep(config, state, observation);
    },
    seed: (state) => state,
  };
}
