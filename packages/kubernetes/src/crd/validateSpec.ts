/**
 * Validates a PodAutoscaler spec and names the offending field, so the controller can
 * write a `ValidSpec=False` condition that tells the user what to fix and scale nothing
 * (AIBrix's `validateSpec`, reference/aibrix.md 1.6, with its messages where it has
 * one). Three layers: the zod schema (types, ranges, patterns), the rules between
 * fields, and `@prescale/core`'s own checks of the scaler configuration, whose field
 * paths are mapped back to spec fields.
 * @module
 */
import { createScaler, isPrescaleError } from '@prescale/core';
import { DEFAULT_MIN_REPLICAS, isKnownTimeZone, minutesOfDay, scheduleDays } from './schedules.js';
import { DEFAULT_LOOP_SECONDS, DEFAULT_OBSERVE_WINDOW_SECONDS, DEFAULT_PANIC_WINDOW_SECONDS, toOperatorScalerSpec } from './scalerSpec.js';
import { metricSourceError } from './metricSourceRules.js';
import { type AnyPodAutoscalerSpec, type PodAutoscalerSpec, type PodAutoscalerSpecInput, PodAutoscalerSpecSchema, WEEKDAYS } from './spec.js';
import { API_VERSION_PATTERN, type SpecError } from './specError.js';
import { optimizerSpecError } from './validateOptimizer.js';

export { API_VERSION_PATTERN, type SpecError } from './specError.js';

/** A spec checked: valid (of any strategy, unless narrowed), or the first problem. */
export type SpecResult<S extends AnyPodAutoscalerSpec = AnyPodAutoscalerSpec> = { ok: true; spec: S } | { ok: false; error: SpecError };

function fieldPath(path: readonly PropertyKey[]): string {
  let out = 'spec';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return out;
}

/** Where each core config field comes from in the spec. */
const CORE_FIELDS: Record<string, string> = {
  'config.targetValue': 'spec.metricsSources[0].targetValue',
  'config.stableWindowSeconds': 'spec.observeWindowSeconds',
  'config.windowSeconds': 'spec.observeWindowSeconds',
  'config.panicWindowPercentage': 'spec.panicWindowSeconds',
  'config.maxScaleUpRate': 'spec.maxScaleUpRate',
  'config.maxScaleDownRate': 'spec.maxScaleDownRate',
  'config.panicThreshold': 'spec.panicThreshold',
  'config.scaleDownDelaySeconds': 'spec.behavior.scaleDown.stabilizationWindowSeconds',
  'config.upFluctuationTolerance': 'spec.behavior.scaleUp.tolerance',
  'config.downFluctuationTolerance': 'spec.behavior.scaleDown.tolerance',
  'config.scaleUpCooldownSeconds': 'spec.behavior.scaleUp.stabilizationWindowSeconds',
  'config.scaleDownCooldownSeconds': 'spec.behavior.scaleDown.stabilizationWindowSeconds',
  'config.minReplicas': 'spec.minReplicas',
  'config.maxReplicas': 'spec.maxReplicas',
  'predictive.binSeconds': 'spec.predictive.history.stepSeconds',
  'predictive.settings.quantile': 'spec.predictive.quantile',
};

function coreField(field: string): string {
  const mapped = CORE_FIELDS[field];
  if (mapped) return mapped;
  const metric = /^config\.metrics\[(\d+)\]/.exec(field);
  if (metric) return `spec.metricsSources[${metric[1]}].targetValue`;
  if (field.startsWith('config.behavior.')) return `spec.${field.slice('config.'.length)}`;
  if (field.startsWith('predictive.')) return `spec.${field}`;
  return `spec (${field})`;
}

/**
 * Scale to zero: a target at 0 replicas has no pods to report metrics, so something else
 * must see the requests that wait for it (issue 21): `spec.wakeUp`, or a metric source
 * that is not per pod. Only the KPA (Knative's scale-to-zero) reads such a total with no
 * pod ready; APA cannot scale to zero (AIBrix #476 is open).
 */
function zeroError(spec: PodAutoscalerSpec, min: number): SpecError | null {
  const w = spec.wakeUp;
  if (w) {
    const at = 'spec.wakeUp';
    if (spec.scalingStrategy !== 'KPA') return { field: `${at}`, message: 'is read by scalingStrategy KPA only (Knative\u2019s scale-to-zero)' };
    if (!/^https?:\/\//.test(w.endpoint)) return { field: `${at}.endpoint`, message: 'must be an http:// or https:// URL' };
    if (w.metricSourceType === 'prometheus') {
      if (w.query === undefined) return { field: `${at}.query`, message: 'is required for metricSourceType prometheus' };
      for (const f of ['targetMetric', 'labelMatchers'] as const) if (w[f] !== undefined) return { field: `${at}.${f}`, message: 'is used only with metricSourceType scrape' };
    } else {
      if (w.targetMetric === undefined) return { field: `${at}.targetMetric`, message: 'is required for metricSourceType scrape' };
      for (const f of ['query', 'authSecretRef'] as const) if (w[f] !== undefined) return { field: `${at}.${f}`, message: 'is used only with metricSourceType prometheus' };
    }
  }
  const zeroAt = min === 0 ? 'spec.minReplicas' : (spec.schedules ?? []).findIndex((s) => s.minReplicas === 0);
  if (zeroAt === -1) return null;
  const field = typeof zeroAt === 'string' ? zeroAt : `spec.schedules[${zeroAt}].minReplicas`;
  if (spec.scalingStrategy === 'APA') return { field, message: '0 is not supported with scalingStrategy APA (it reads per-pod values only); use KPA' };
  const seesWithoutPods = w !== undefined || spec.metricsSources.some((s) => s.metricSourceType !== 'pod');
  if (!seesWithoutPods) {
    return {
      field,
      message: '0 needs a source that sees requests while no pod exists: set spec.wakeUp (a gateway\u2019s or activator\u2019s pending requests) or a prometheus metric source; pods that are not there report nothing, so the target would stay at 0',
    };
  }
  return null;
}

/** The first rule between fields that `spec` breaks, or null. */
function crossFieldError(spec: PodAutoscalerSpec, loopSeconds: number): SpecError | null {
  const err = (field: string, message: string): SpecError => ({ field, message });
  const ref = spec.scaleTargetRef;
  if (!API_VERSION_PATTERN.test(ref.apiVersion ?? 'apps/v1')) return err('spec.scaleTargetRef.apiVersion', 'must be group/version (or v1)');
  const min = spec.minReplicas ?? DEFAULT_MIN_REPLICAS;
  if (min > spec.maxReplicas) return err('spec.minReplicas', `must not exceed maxReplicas (${spec.maxReplicas})`);

  const strategy = spec.scalingStrategy;
  const observe = spec.observeWindowSeconds ?? DEFAULT_OBSERVE_WINDOW_SECONDS;
  const panic = spec.panicWindowSeconds ?? DEFAULT_PANIC_WINDOW_SECONDS;
  if (strategy === 'KPA' && panic > observe) return err('spec.panicWindowSeconds', 'must be less than or equal to observeWindowSeconds');
  if (strategy === 'KPA' && panic < loopSeconds) {
    return err('spec.panicWindowSeconds', `must be at least the loop period (${loopSeconds} s)`);
  }
  if (strategy === 'HPA') {
    for (const f of ['observeWindowSeconds', 'panicWindowSeconds', 'maxScaleUpRate', 'maxScaleDownRate', 'panicThreshold'] as const) {
      if (spec[f] !== undefined) return err(`spec.${f}`, 'is not used with scalingStrategy HPA; use behavior');
    }
  } else {
    if (strategy === 'APA' && spec.panicWindowSeconds !== undefined) return err('spec.panicWindowSeconds', 'is used only with scalingStrategy KPA');
    if (strategy === 'APA' && spec.panicThreshold !== undefined) return err('spec.panicThreshold', 'is used only with scalingStrategy KPA');
    for (const dir of ['scaleUp', 'scaleDown'] as const) {
      const rules = spec.behavior?.[dir];
      if (rules?.policies !== undefined) return err(`spec.behavior.${dir}.policies`, 'is used only with scalingStrategy HPA; use maxScaleUpRate and maxScaleDownRate');
      if (rules?.selectPolicy !== undefined) return err(`spec.behavior.${dir}.selectPolicy`, 'is used only with scalingStrategy HPA');
      if (strategy === 'KPA' && rules?.tolerance !== undefined) return err(`spec.behavior.${dir}.tolerance`, 'is not used with scalingStrategy KPA');
    }
    if (strategy === 'KPA' && spec.behavior?.scaleUp?.stabilizationWindowSeconds !== undefined) {
      return err('spec.behavior.scaleUp.stabilizationWindowSeconds', 'is not used with scalingStrategy KPA (scale-up is immediate)');
    }
  }
  if (strategy === 'HPA' && spec.subTargetSelector !== undefined) {
    return err('spec.subTargetSelector.roleName', 'is not supported with scalingStrategy=HPA; use APA or KPA for StormService role-level autoscaling.');
  }

  for (const [i, s] of spec.metricsSources.entries()) {
    const e = metricSourceError(s, strategy);
    if (e) return err(`spec.metricsSources[${i}]${e.field}`, e.message);
  }

  if (spec.timeZone !== undefined && !isKnownTimeZone(spec.timeZone)) return err('spec.timeZone', `unknown IANA time zone "${spec.timeZone}"`);
  if (spec.schedules) {
    const names = new Set<string>();
    const zone = spec.schedules[0]?.timezone ?? '';
    for (const [i, s] of spec.schedules.entries()) {
      const at = `spec.schedules[${i}]`;
      if (names.has(s.name)) return err(`${at}.name`, `duplicates schedule "${s.name}"`);
      names.add(s.name);
      if ((s.timezone ?? '') !== zone) return err(`${at}.timezone`, 'mixed timezone values are not supported');
      if (s.timezone && !isKnownTimeZone(s.timezone)) return err(`${at}.timezone`, `unknown IANA time zone "${s.timezone}"`);
      if (s.timezone && spec.timeZone && s.timezone !== spec.timeZone) return err(`${at}.timezone`, `differs from spec.timeZone ("${spec.timeZone}"); leave it out`);
      for (const [j, d] of (s.daysOfWeek ?? []).entries()) {
        if (!(WEEKDAYS as readonly string[]).includes(d.toLowerCase())) return err(`${at}.daysOfWeek[${j}]`, `must be one of ${WEEKDAYS.join(', ')}`);
      }
      if (minutesOfDay(s.startTime) >= minutesOfDay(s.endTime)) return err(`${at}.endTime`, 'must be after startTime (no window across midnight)');
      if (s.minReplicas === undefined && s.maxReplicas === undefined) return err(at, 'must set minReplicas or maxReplicas');
      if ((s.minReplicas ?? min) > (s.maxReplicas ?? spec.maxReplicas)) return err(`${at}.minReplicas`, 'must not exceed the effective maxReplicas');
      for (const [k, other] of spec.schedules.slice(0, i).entries()) {
        const sharesDay = scheduleDays(s).some((d) => scheduleDays(other).includes(d));
        const overlaps = minutesOfDay(s.startTime) < minutesOfDay(other.endTime) && minutesOfDay(other.startTime) < minutesOfDay(s.endTime);
        if (sharesDay && overlaps) return err(`${at}.startTime`, `overlaps schedule "${other.name}" (spec.schedules[${k}])`);
      }
    }
  }

  const zero = zeroError(spec, min);
  if (zero) return zero;
  if (spec.warmPool) {
    if (!spec.predictive || spec.predictive.mode === 'off') return err('spec.warmPool', 'needs spec.predictive (mode preview or auto): the pool is sized from the forecast');
    if (spec.warmPool.balloonRef.name === ref.name && ref.kind === 'Deployment') return err('spec.warmPool.balloonRef.name', 'must not be the scale target');
  }

  const p = spec.predictive;
  if (p && p.mode !== 'off') {
    if (!p.history) return err('spec.predictive.history', `is required with mode ${p.mode}`);
    if (!/^https?:\/\//.test(p.history.endpoint)) return err('spec.predictive.history.endpoint', 'must be an http:// or https:// URL');
    if (p.capacityPerReplica === undefined) return err('spec.predictive.capacityPerReplica', `is required with mode ${p.mode}`);
  }
  return null;
}

/** A KPA, APA or HPA spec has a target, a maximum and metric sources, and no `optimizer` block. */
function singleTargetSpec(input: PodAutoscalerSpecInput): SpecResult<PodAutoscalerSpec> {
  const strategy = input.scalingStrategy as PodAutoscalerSpec['scalingStrategy'];
  const { scaleTargetRef, maxReplicas, metricsSources, optimizer, ...rest } = input;
  const missing = (field: string): SpecResult<PodAutoscalerSpec> => ({ ok: false, error: { field: `spec.${field}`, message: `is required with scalingStrategy ${strategy}` } });
  if (scaleTargetRef === undefined) return missing('scaleTargetRef');
  if (maxReplicas === undefined) return missing('maxReplicas');
  if (metricsSources === undefined) return missing('metricsSources');
  if (optimizer !== undefined) return { ok: false, error: { field: 'spec.optimizer', message: 'is used only with scalingStrategy Optimizer' } };
  return { ok: true, spec: { ...rest, scalingStrategy: strategy, scaleTargetRef, maxReplicas, metricsSources } };
}

/**
 * Parses and validates `raw` (the object's `spec`).
 * @param loopSeconds the loop period the scaler will run at; default as upstream.
 */
export function validateSpec(raw: unknown, loopSeconds?: number): SpecResult {
  const parsed = PodAutoscalerSpecSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: { field: fieldPath(issue?.path ?? []), message: issue?.message ?? 'is invalid' } };
  }
  const input = parsed.data;
  if (input.scalingStrategy === 'Optimizer') {
    const problem = optimizerSpecError(input);
    return problem ? { ok: false, error: problem } : { ok: true, spec: { scalingStrategy: 'Optimizer', optimizer: input.optimizer! } };
  }
  const single = singleTargetSpec(input);
  if (!single.ok) return single;
  const spec = single.spec;
  const period = loopSeconds ?? DEFAULT_LOOP_SECONDS[spec.scalingStrategy];
  const cross = crossFieldError(spec, period);
  if (cross) return { ok: false, error: cross };
  const base = { minReplicas: spec.minReplicas ?? DEFAULT_MIN_REPLICAS, maxReplicas: spec.maxReplicas };
  const bounds = [base];
  for (const s of spec.schedules ?? []) bounds.push({ minReplicas: s.minReplicas ?? base.minReplicas, maxReplicas: s.maxReplicas ?? base.maxReplicas });
  try {
    for (const b of bounds) createScaler(toOperatorScalerSpec(spec, b, period));
  } catch (error) {
    if (isPrescaleError(error)) {
      const detail = error.message.slice(error.message.indexOf(error.field) + error.field.length).trim();
      return { ok: false, error: { field: coreField(error.field), message: detail } };
    }
    throw error;
  }
  return { ok: true, spec };
}

/** `field: message`, the text of the ValidSpec condition. */
export function formatSpecError(error: SpecError): string {
  return `${error.field}: ${error.message}`;
}
