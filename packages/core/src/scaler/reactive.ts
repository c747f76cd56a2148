/**
 * The reactive scalers (kpa, apa, hpa and the `fixed` baseline) over an
 * {@link Observation}: each one's config, state and decision in one tagged union, and
 * the mapping from what an adapter observes to each algorithm's own input, following
 * what the upstream systems measure:
 *
 * - **kpa**: a revision-wide total, as Knative's scraper estimates it: the mean of the
 *   ready pods that reported, times the number of ready pods (a pod without a sample is
 *   not read as zero). A global value in `external[metric]` is used as the total instead.
 * - **apa**: the mean over the ready pods that reported (AIBrix), with the count of ready
 *   pods for the pending-replica rule; a value in `external[metric]` (an external or HTTP
 *   source, one number for the target) is used as that mean, as AIBrix reads it.
 * - **hpa**: every pod with its phase and readiness; per-pod values in milli-units;
 *   Object and External metrics from `external`.
 * - **fixed**: always the same count; a baseline for comparisons.
 * - **multi**: several kpa or apa sources, each with its own metric, target and state;
 *   the largest proposal wins and a source without one is left out (multiSource.ts).
 * @module
 */
import { apaConfig, type ApaConfig, type ApaConfigInput } from '../apa/apaConfig.js';
import { type ApaDecision, apaInit, type ApaState, apaStep } from '../apa/apa.js';
import { type Decision, makeDecision, type StepResult } from '../decision.js';
import { PrescaleError } from '../errors.js';
import { hpaConfig, type HpaConfig, type HpaConfigInput } from '../hpa/hpaConfig.js';
import { type HpaDecision, hpaInit, type HpaState, hpaStep } from '../hpa/hpa.js';
import type { HpaMetricValue } from '../hpa/types.js';
import { kpaConfig, type KpaConfig, type KpaConfigInput } from '../kpa/kpaConfig.js';
import { type KpaDecision, kpaInit, type KpaState, kpaStep } from '../kpa/kpa.js';
import { nonNegativeInt, oneOf, timestamp } from '../validate.js';
import { combineProposals, type SourceProposal } from './multiSource.js';
import { type Observation, servingMean } from './observation.js';

/** A scaler on one metric source: a KPA or an APA (the parts of a `multi` scaler). */
export type SourceSpec =
  | { algorithm: 'kpa'; /** The metric to scale on. */ metric: string; config: KpaConfigInput }
  | { algorithm: 'apa'; metric: string; config: ApaConfigInput };

export type ReactiveSpec =
  | SourceSpec
  | { algorithm: 'hpa'; config: HpaConfigInput }
  | { algorithm: 'fixed'; replicas: number }
  | { algorithm: 'multi'; /** One scaler per metric source, all with the same replica bounds. */ sources: readonly SourceSpec[] };

type SourceConfig = { algorithm: 'kpa'; metric: string; kpa: KpaConfig } | { algorithm: 'apa'; metric: string; apa: ApaConfig };
type SourceState = { algorithm: 'kpa'; kpa: KpaState } | { algorithm: 'apa'; apa: ApaState };

/** A validated {@link ReactiveSpec}, defaults filled. */
export type ReactiveConfig =
  | SourceConfig
  | { algorithm: 'hpa'; hpa: HpaConfig }
  | { algorithm: 'fixed'; replicas: number }
  | { algorithm: 'multi'; sources: SourceConfig[] };

export type ReactiveState = SourceState | { algorithm: 'hpa'; hpa: HpaState } | { algorithm: 'fixed' } | { algorithm: 'multi'; sources: SourceState[] };

export type FixedDecision = Decision<'fixed', Record<string, never>>;

/** Every source's proposal and which one won (null: none had one, the count is held). */
export interface MultiDetail {
  sources: SourceProposal[];
  winner: number | null;
}
export type MultiDecision = Decision<'multi', MultiDetail>;
export type ReactiveDecision = KpaDecision | ApaDecision | HpaDecision | FixedDecision | MultiDecision;

export const REACTIVE_ALGORITHMS = ['kpa', 'apa', 'hpa', 'fixed', 'multi'] as const;

function sameBounds(sources: readonly SourceConfig[]): void {
  const first = sources[0]!;
  const bounds = (c: SourceConfig) => (c.algorithm === 'kpa' ? c.kpa : c.apa);
  sources.forEach((s, i) => {
    if (bounds(s).minReplicas !== bounds(first).minReplicas || bounds(s).maxReplicas !== bounds(first).maxReplicas) {
      throw new PrescaleError('InvalidConfig', `spec.sources[${i}].config`, `${bounds(s).minReplicas}..${bounds(s).maxReplicas}`, 'every source must have the same minReplicas and maxReplicas');
    }
  });
}

/**
 * Validates a reactive spec and fills its defaults.
 * @throws PrescaleError naming the first bad field.
 */
export function reactiveConfig(spec: ReactiveSpec): ReactiveConfig {
  const algorithm = oneOf('spec.algorithm', spec?.algorithm, REACTIVE_ALGORITHMS);
  switch (algorithm) {
    case 'kpa': {
      const s = spec as Extract<ReactiveSpec, { algorithm: 'kpa' }>;
      return { algorithm, metric: s.metric, kpa: kpaConfig(s.config) };
    }
    case 'apa': {
      const s = spec as Extract<ReactiveSpec, { algorithm: 'apa' }>;
      return { algorithm, metric: s.metric, apa: apaConfig(s.config) };
    }
    case 'hpa':
      return { algorithm, hpa: hpaConfig((spec as Extract<ReactiveSpec, { algorithm: 'hpa' }>).config) };
    case 'fixed':
      return { algorithm, replicas: nonNegativeInt('spec.replicas', (spec as Extract<ReactiveSpec, { algorithm: 'fixed' }>).replicas) };
    case 'multi': {
      const list = (spec as Extract<ReactiveSpec, { algorithm: 'multi' }>).sources;
      if (!Array.isArray(list) || list.length === 0) throw new PrescaleError('InvalidConfig', 'spec.sources', String(list), 'must list at least one source');
      const sources = list.map((s: SourceSpec, i) => {
        const a = oneOf(`spec.sources[${i}].algorithm`, s?.algorithm, ['kpa', 'apa'] as const);
        return a === 'kpa' ? { algorithm: a, metric: s.metric, kpa: kpaConfig((s as Extract<SourceSpec, { algorithm: 'kpa' }>).config) } : { algorithm: a, metric: s.metric, apa: apaConfig((s as Extract<SourceSpec, { algorithm: 'apa' }>).config) };
      });
      sameBounds(sources);
      return { algorithm, sources };
    }
  }
}

/** The replica bounds a reactive config decides within. */
export function reactiveBounds(config: ReactiveConfig): { minReplicas: number; maxReplicas: number } {
  if (config.algorithm === 'fixed') return { minReplicas: config.replicas, maxReplicas: config.replicas };
  if (config.algorithm === 'multi') return reactiveBounds(config.sources[0]!);
  const c = config.algorithm === 'kpa' ? config.kpa : config.algorithm === 'apa' ? config.apa : config.hpa;
  return { minReplicas: c.minReplicas, maxReplicas: c.maxReplicas };
}

/** The least non-zero count the reactive scaler scales to: KPA's `activationScale` (at least 1); 1 for the others. */
export function reactiveActivationScale(config: ReactiveConfig): number {
  return config.algorithm === 'kpa' ? Math.max(1, config.kpa.activationScale) : 1;
}

/** A fresh state, for a target that has `readyPods` ready pods at `now`. */
export function reactiveInit(config: ReactiveConfig, at: { now: number; readyPods: number }): ReactiveState {
  switch (config.algorithm) {
    case 'kpa':
      return { algorithm: 'kpa', kpa: kpaInit(config.kpa, at) };
    case 'apa':
      return { algorithm: 'apa', apa: apaInit(config.apa) };
    case 'hpa':
      return { algorithm: 'hpa', hpa: hpaInit() };
    case 'fixed':
      return { algorithm: 'fixed' };
    case 'multi':
      return { algorithm: 'multi', sources: config.sources.map((c) => reactiveInit(c, at) as SourceState) };
  }
}

function wrongState(expected: string, state: { algorithm: string }): never {
  throw new PrescaleError('InvalidConfig', 'state.algorithm', state.algorithm, `must be "${expected}" for this scaler`);
}

function milli(v: number | null | undefined): number | null {
  return v == null ? null : Math.round(v * 1000);
}

/** The HPA's reading of each configured metric: per-pod values in milli-units, Object and External metrics from `external`. */
function hpaMetrics(config: HpaConfig, obs: Observation): HpaMetricValue[] {
  return config.metrics.map((m): HpaMetricValue => {
    if (m.type === 'Resource' || m.type === 'Pods') {
      const podValuesMilli: Record<string, number | null> = {};
      for (const p of obs.pods) podValuesMilli[p.name] = milli(p.metrics[m.name]);
      return { podValuesMilli };
    }
    const v = milli(obs.external?.[m.name]);
    if (v === null) return { error: `no value for ${m.type} metric ${m.name}` };
    return m.type === 'Object' ? { valueMilli: v } : { valuesMilli: [v] };
  });
}

/**
 * One decision of a reactive scaler from an observation.
 * @throws PrescaleError when the state belongs to another algorithm, or on unusable replica counts or times.
 */
export function reactiveStep(config: ReactiveConfig, state: ReactiveState, obs: Observation): StepResult<ReactiveState, ReactiveDecision> {
  if (state.algorithm !== config.algorithm) wrongState(config.algorithm, state);
  switch (config.algorithm) {
    case 'kpa': {
      const { mean, serving } = servingMean(obs.pods, config.metric);
      const total = obs.external?.[config.metric];
      const value = total !== undefined ? total : mean === null ? null : mean * serving;
      const r = kpaStep(config.kpa, (state as Extract<ReactiveState, { algorithm: 'kpa' }>).kpa, { now: obs.now, currentReplicas: obs.currentReplicas, readyPods: serving, value });
      return { state: { algorithm: 'kpa', kpa: r.state }, decision: r.decision };
    }
    case 'apa': {
      const { mean, serving } = servingMean(obs.pods, config.metric);
      const external = obs.external?.[config.metric];
      // An external value (one number for the target) is read as the per-pod value, as AIBrix's APA reads it.
      const value = external !== undefined ? external : mean;
      const r = apaStep(config.apa, (state as Extract<ReactiveState, { algorithm: 'apa' }>).apa, { now: obs.now, currentReplicas: obs.currentReplicas, value, readyPods: serving });
      return { state: { algorithm: 'apa', apa: r.state }, decision: r.decision };
    }
    case 'hpa': {
      const pods = obs.pods.map((p) => ({
        name: p.name,
        phase: p.phase,
        ready: p.ready,
        deleting: p.deleting === true,
        ...(p.requestsMilli ? { requestsMilli: p.requestsMilli } : {}),
      }));
      const input = { now: obs.now, currentReplicas: obs.currentReplicas, pods, metrics: hpaMetrics(config.hpa, obs) };
      const r = hpaStep(config.hpa, (state as Extract<ReactiveState, { algorithm: 'hpa' }>).hpa, input);
      return { state: { algorithm: 'hpa', hpa: r.state }, decision: r.decision };
    }
    case 'fixed': {
      const now = timestamp('observation.now', obs.now);
      const current = nonNegativeInt('observation.currentReplicas', obs.currentReplicas, 'InvalidReplicaCount');
      return { state, decision: makeDecision('fixed', now, current, config.replicas, ['Fixed'], {}) };
    }
    case 'multi':
      return multiStep(config, state as Extract<ReactiveState, { algorithm: 'multi' }>, obs);
  }
}

/** The value a source's decision was made on: KPA's stable-window total, APA's window mean per pod. */
function decidedValue(d: KpaDecision | ApaDecision): number | null {
  const v = d.scaler === 'kpa' ? d.detail.decider?.stable : d.detail.metricPerPod;
  return v === undefined || v === null ? null : v;
}

/** Every source steps its own scaler; the largest valid proposal wins (multiSource.ts). */
function multiStep(
  config: Extract<ReactiveConfig, { algorithm: 'multi' }>,
  state: Extract<ReactiveState, { algorithm: 'multi' }>,
  obs: Observation,
): StepResult<ReactiveState, MultiDecision> {
  if (state.sources.length !== config.sources.length) wrongState(`multi with ${config.sources.length} sources`, { algorithm: `multi with ${state.sources.length}` });
  const steps = config.sources.map((c, i) => reactiveStep(c, state.sources[i]!, obs) as StepResult<SourceState, KpaDecision | ApaDecision>);
  const proposals: SourceProposal[] = steps.map(({ decision: d }, i) => ({
    source: config.sources[i]!.metric,
    value: decidedValue(d),
    desiredReplicas: d.valid ? d.desiredReplicas : null,
    reasons: d.reasons,
  }));
  const current = steps[0]!.decision.currentReplicas;
  const combined = combineProposals(proposals, current, reactiveBounds(config));
  const winner = combined.winner === null ? null : steps[combined.winner]!.decision;
  // The winner's own reasons, or, when every source held, the first source's hold reasons.
  const reasons = [...(winner ?? steps[0]!.decision).reasons];
  return {
    state: { algorithm: 'multi', sources: steps.map((s) => s.state) },
    decision: makeDecision('multi', obs.now, current, combined.desiredReplicas, reasons, { sources: proposals, winner: combined.winner }, combined.valid),
  };
}
