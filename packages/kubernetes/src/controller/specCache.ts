/**
 * What the controller derives from one PodAutoscaler's spec, kept while it stays the
 * same: the checked spec (per generation and spec) and the core scaler (per scaler
 * spec, which includes the replica bounds a schedule puts in force).
 * @module
 */
import { createScaler, type Scaler, type ScalerOptions } from '@prescale/core';
import type { PodAutoscaler } from '../crd/podAutoscaler.js';
import { DEFAULT_LOOP_SECONDS, scalerFingerprint, toOperatorScalerSpec } from '../crd/scalerSpec.js';
import { resolveBounds } from '../crd/schedules.js';
import type { AnyPodAutoscalerSpec, PodAutoscalerSpec } from '../crd/spec.js';
import { type SpecResult, validateSpec } from '../crd/validateSpec.js';
import type { ScalerSetup } from './readPhase.js';

export type Strategy = AnyPodAutoscalerSpec['scalingStrategy'];

/** The strategy `spec` names, if it is one the controller knows. */
export function strategyOf(spec: unknown): Strategy | undefined {
  const strategy = (spec as { scalingStrategy?: Strategy } | undefined)?.scalingStrategy;
  return strategy && Object.hasOwn(DEFAULT_LOOP_SECONDS, strategy) ? strategy : undefined;
}

export class SpecCache {
  private validated: { generation: number | undefined; json: string; result: SpecResult } | null = null;
  private built: { json: string; fingerprint: string; scaler: Scaler } | null = null;

  /**
   * @param loopSeconds the loop period of a strategy, seconds
   * @param scalerOptions what `createScaler` is given besides the spec (a custom forecaster)
   */
  constructor(
    private readonly loopSeconds: (strategy: Strategy) => number,
    private readonly scalerOptions: ScalerOptions = {},
  ) {}

  /** The object's spec, checked. */
  check(object: PodAutoscaler): SpecResult {
    const generation = object.metadata?.generation;
    const json = JSON.stringify(object.spec ?? null);
    if (this.validated && this.validated.generation === generation && this.validated.json === json) return this.validated.result;
    const strategy = strategyOf(object.spec);
    const result = validateSpec(object.spec, strategy ? this.loopSeconds(strategy) : undefined);
    this.validated = { generation, json, result };
    return result;
  }

  /** The scaler for a valid `spec` at `now`. */
  scalerFor(spec: PodAutoscalerSpec, now: number): ScalerSetup {
    const bounds = resolveBounds(spec, now);
    const scalerSpec = toOperatorScalerSpec(spec, bounds, this.loopSeconds(spec.scalingStrategy));
    const json = JSON.stringify(scalerSpec);
    if (!this.built || this.built.json !== json) this.built = { json, fingerprint: scalerFingerprint(scalerSpec), scaler: createScaler(scalerSpec, this.scalerOptions) };
    return { scaler: this.built.scaler, fingerprint: this.built.fingerprint, bounds };
  }
}
