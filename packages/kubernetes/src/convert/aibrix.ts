/**
 * `prescale convert`: AIBrix `autoscaling.aibrix.ai/v1alpha1` PodAutoscaler manifests
 * to prescale's, saying what changes meaning (`notes`) and what could not be carried
 * over (`lost`). Every field of AIBrix's spec (reference/aibrix.md 1.1–1.3: any scale
 * target, StormService roles, every source kind, several sources for every strategy,
 * windows, schedules) and every annotation key (1.5: HEAD's, the legacy v0.4.1 keys and
 * the sample keys AIBrix never parsed) is either carried over or named in `lost`; the
 * result is complete when nothing is lost and it validates.
 * @module
 */
import { API_VERSION, KIND } from '../crd/names.js';
import type { Behavior, MetricSource, ScalingRules } from '../crd/spec.js';
import { formatSpecError, validateSpec } from '../crd/validateSpec.js';
import { convertOptimizerPodAutoscaler } from './aibrixOptimizer.js';
import { convertSource } from './aibrixSources.js';
import type { Converted } from './converted.js';
import { parseGoDuration } from './goDuration.js';

export { AIBRIX_METRIC_NAMES } from './aibrixSources.js';
export { mergeOptimizerFleets } from './aibrixOptimizer.js';
export type { Converted } from './converted.js';

export const AIBRIX_API_VERSION = 'autoscaling.aibrix.ai/v1alpha1';

/** Carried over completely: nothing lost and a valid result. */
export function isComplete(c: Converted): boolean {
  return c.manifest !== null && c.lost.length === 0 && c.valid === true;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const KNOWN_SPEC_FIELDS = new Set([
  'scaleTargetRef', 'minReplicas', 'maxReplicas', 'scalingStrategy', 'metricsSources', 'observeWindowSeconds', 'panicWindowSeconds', 'schedules',
  'subTargetSelector', 'behavior', 'targetMetric', 'targetValue',
]);

/** Converts one parsed manifest. */
export function convertAibrix(input: unknown): Converted {
  const notes: string[] = [];
  const lost: string[] = [];
  if (!isObj(input) || input.apiVersion !== AIBRIX_API_VERSION || input.kind !== 'PodAutoscaler') {
    const what = isObj(input) ? `${String(input.apiVersion)} ${String(input.kind)}` : typeof input;
    return { manifest: null, notes: [`skipped: not an ${AIBRIX_API_VERSION} PodAutoscaler (${what})`], lost: [], valid: null };
  }
  // Only AIBrix's GPU optimizer as its sources: prescale's Optimizer strategy (aibrixOptimizer.ts).
  const fleet = convertOptimizerPodAutoscaler(input);
  if (fleet) return fleet;
  const meta = isObj(input.metadata) ? input.metadata : {};
  const src = isObj(input.spec) ? input.spec : {};
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(isObj(meta.annotations) ? meta.annotations : {})) annotations[k] = String(v);
  const strategy = String(src.scalingStrategy ?? 'KPA').toUpperCase();
  if (src.scalingStrategy === undefined) notes.push('spec.scalingStrategy: missing; AIBrix falls back to KPA, so KPA is used');

  const spec: Obj = {};
  // scaleTargetRef: any kind with a scale subresource; a StormService role (AIBrix's subTargetSelector and storm-service-mode).
  const ref = isObj(src.scaleTargetRef) ? src.scaleTargetRef : {};
  spec.scaleTargetRef = { apiVersion: String(ref.apiVersion ?? 'apps/v1'), kind: String(ref.kind ?? ''), name: String(ref.name ?? '') };
  const mode = annotations['autoscaling.aibrix.ai/storm-service-mode'];
  delete annotations['autoscaling.aibrix.ai/storm-service-mode'];
  const role = isObj(src.subTargetSelector) && typeof src.subTargetSelector.roleName === 'string' && src.subTargetSelector.roleName !== '' ? src.subTargetSelector.roleName : null;
  if (src.subTargetSelector !== undefined && role === null) lost.push('spec.subTargetSelector: no roleName; dropped');
  if (role !== null) spec.subTargetSelector = { roleName: role, ...(mode === 'replica' || mode === 'pool' ? { mode } : {}) };
  if (mode !== undefined && !(role !== null && (mode === 'replica' || mode === 'pool'))) {
    if (role === null && (mode === 'replica' || mode === 'pool')) notes.push(`annotation autoscaling.aibrix.ai/storm-service-mode: ${mode} without a role scales the whole StormService through its scale subresource, as AIBrix does`);
    else lost.push(`annotation autoscaling.aibrix.ai/storm-service-mode: "${mode}" is neither pool nor replica; dropped`);
  }
  for (const k of Object.keys(src)) if (!KNOWN_SPEC_FIELDS.has(k)) lost.push(`spec.${k}: not part of AIBrix's PodAutoscaler API as prescale knows it; dropped`);
  spec.minReplicas = src.minReplicas === undefined ? 1 : src.minReplicas;
  spec.maxReplicas = src.maxReplicas;
  spec.scalingStrategy = strategy;

  // metricsSources: every source, for every strategy (the largest proposal wins).
  const sources: MetricSource[] = [];
  const list = Array.isArray(src.metricsSources) ? [...src.metricsSources] : [];
  // The API before metricsSources: spec.targetMetric and spec.targetValue (config/samples' HPA on "CPU").
  if (list.length === 0 && src.targetMetric !== undefined) {
    const metric = String(src.targetMetric).toLowerCase();
    if (metric === 'cpu' || metric === 'memory') {
      list.push({ metricSourceType: 'resource', targetMetric: metric, targetValue: src.targetValue });
      notes.push(`spec.targetMetric/targetValue: the API before metricsSources; carried as a resource source on ${metric}`);
    } else lost.push(`spec.targetMetric: ${String(src.targetMetric)} without a metricsSources entry names no pod port or endpoint; dropped`);
  }
  list.forEach((raw, i) => {
    const c = convertSource(raw, i);
    notes.push(...c.notes);
    lost.push(...c.lost);
    if (c.source) sources.push(c.source);
  });
  spec.metricsSources = sources;
  if (strategy === 'KPA' && sources.some((s) => s.metricSourceType === 'pod' || s.metricSourceType === 'resource')) {
    notes.push('scalingStrategy KPA: prescale follows Knative, desired = ceil(sum over ready pods / targetValue); AIBrix HEAD divided the per-pod mean, so review targetValue');
  }

  // windows, rates, tolerances, cooldowns: spec fields first, then annotations.
  const behavior: { scaleUp: ScalingRules; scaleDown: ScalingRules } = { scaleUp: {}, scaleDown: {} };
  const take = (key: string): string | undefined => {
    const v = annotations[key];
    delete annotations[key];
    return v;
  };
  const num = (key: string): number | undefined => {
    const v = take(key);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) {
      lost.push(`annotation ${key}: "${v}" is not a number; dropped`);
      return undefined;
    }
    return n;
  };
  const seconds = (key: string): number | undefined => {
    const v = take(key);
    if (v === undefined) return undefined;
    const s = parseGoDuration(v);
    if (s === null) {
      lost.push(`annotation ${key}: "${v}" is not a Go duration; dropped`);
      return undefined;
    }
    return Math.round(s);
  };
  const notFor = (key: string, value: unknown, why: string): void => {
    if (value !== undefined) lost.push(`annotation ${key}: ${why}; dropped`);
  };

  let observe = typeof src.observeWindowSeconds === 'number' ? src.observeWindowSeconds : undefined;
  let panic = typeof src.panicWindowSeconds === 'number' ? src.panicWindowSeconds : undefined;
  const stableLegacy = seconds('kpa.autoscaling.aibrix.ai/stable-window');
  const panicLegacy = seconds('kpa.autoscaling.aibrix.ai/panic-window');
  const apaWindow = seconds('apa.autoscaling.aibrix.ai/window');
  if (strategy === 'KPA') {
    observe ??= stableLegacy;
    panic ??= panicLegacy;
    notFor('apa.autoscaling.aibrix.ai/window', apaWindow, 'APA setting on a KPA autoscaler');
  } else if (strategy === 'APA') {
    observe ??= apaWindow;
    notFor('kpa.autoscaling.aibrix.ai/stable-window', stableLegacy, 'KPA setting on an APA autoscaler');
    notFor('kpa.autoscaling.aibrix.ai/panic-window', panicLegacy, 'KPA setting on an APA autoscaler');
    if (panic !== undefined) lost.push('spec.panicWindowSeconds: APA has no panic window; dropped');
    panic = undefined;
  } else {
    for (const [k, v] of [['kpa.autoscaling.aibrix.ai/stable-window', stableLegacy], ['kpa.autoscaling.aibrix.ai/panic-window', panicLegacy], ['apa.autoscaling.aibrix.ai/window', apaWindow]] as const) {
      notFor(k, v, 'HPA has no metric window');
    }
    if (observe !== undefined || panic !== undefined) lost.push('spec.observeWindowSeconds/panicWindowSeconds: HPA has no metric window; dropped');
    observe = undefined;
    panic = undefined;
  }
  if (strategy === 'KPA' && panic !== undefined && panic < 10) {
    notes.push(`panic window ${panic} s: raised to 10 s, the loop period (a shorter window would hold no sample)`);
    panic = 10;
  }
  if (strategy === 'KPA' && observe !== undefined && panic === undefined && observe < 60) {
    panic = Math.max(10, Math.min(observe, Math.round(observe / 6)));
    notes.push(`panicWindowSeconds: set to ${panic} s (the default 60 s exceeds the ${observe} s stable window)`);
  }
  if (observe !== undefined) spec.observeWindowSeconds = observe;
  if (panic !== undefined) spec.panicWindowSeconds = panic;

  const upRate = num('autoscaling.aibrix.ai/max-scale-up-rate');
  const downRate = num('autoscaling.aibrix.ai/max-scale-down-rate');
  if (strategy === 'HPA') {
    // As AIBrix's HPA wrapper (reference/aibrix.md 2.10): Percent policies per 60 s.
    if (upRate !== undefined) behavior.scaleUp.policies = [{ type: 'Percent', value: Math.max(1, Math.trunc((upRate - 1) * 100)), periodSeconds: 60 }];
    if (downRate !== undefined) behavior.scaleDown.policies = [{ type: 'Percent', value: Math.max(1, Math.trunc((1 - 1 / downRate) * 100)), periodSeconds: 60 }];
  } else {
    if (upRate !== undefined) spec.maxScaleUpRate = upRate;
    if (downRate !== undefined) spec.maxScaleDownRate = downRate;
  }

  const panicHead = num('autoscaling.aibrix.ai/panic-threshold');
  const panicThreshold = panicHead ?? num('kpa.autoscaling.aibrix.ai/panic-threshold');
  take('kpa.autoscaling.aibrix.ai/panic-threshold');
  if (strategy === 'KPA' && panicThreshold !== undefined) spec.panicThreshold = panicThreshold;
  else notFor('autoscaling.aibrix.ai/panic-threshold', panicThreshold, `only KPA has a panic threshold, not ${strategy}`);

  const headUp = num('autoscaling.aibrix.ai/scale-up-tolerance');
  const legacyUp = num('apa.autoscaling.aibrix.ai/up-fluctuation-tolerance');
  const headDown = num('autoscaling.aibrix.ai/scale-down-tolerance');
  const legacyDown = num('apa.autoscaling.aibrix.ai/down-fluctuation-tolerance');
  const tolUp = headUp ?? legacyUp;
  const tolDown = headDown ?? legacyDown;
  const sampleUp = num('autoscaling.aibrix.ai/up-fluctuation-tolerance');
  const sampleDown = num('autoscaling.aibrix.ai/down-fluctuation-tolerance');
  if (sampleUp !== undefined || sampleDown !== undefined) {
    notes.push('annotations autoscaling.aibrix.ai/*-fluctuation-tolerance: AIBrix never parsed these keys (its defaults applied); prescale carries them as tolerances');
  }
  const up = tolUp ?? sampleUp;
  const down = tolDown ?? sampleDown;
  if (strategy === 'KPA') {
    notFor('scale-up/down-tolerance', up ?? down, 'prescale\u2019s KPA follows Knative and has no tolerance band');
  } else {
    if (up !== undefined) behavior.scaleUp.tolerance = up;
    if (down !== undefined) behavior.scaleDown.tolerance = down;
  }

  const upCooldown = seconds('autoscaling.aibrix.ai/scale-up-cooldown-window');
  const downCooldown = seconds('autoscaling.aibrix.ai/scale-down-cooldown-window');
  const downDelay = seconds('kpa.autoscaling.aibrix.ai/scale-down-delay');
  if (strategy === 'KPA') {
    if (upCooldown) lost.push('annotation autoscaling.aibrix.ai/scale-up-cooldown-window: prescale\u2019s KPA scales up at once; dropped');
    const delay = downDelay ?? downCooldown;
    if (delay) behavior.scaleDown.stabilizationWindowSeconds = delay;
    if (downCooldown && downDelay === undefined) {
      notes.push('annotation autoscaling.aibrix.ai/scale-down-cooldown-window: carried as the KPA scale-down delay (prescale keeps the highest recent count; AIBrix HEAD took the lowest)');
    }
  } else {
    notFor('kpa.autoscaling.aibrix.ai/scale-down-delay', downDelay, `KPA setting on an ${strategy} autoscaler`);
    if (upCooldown !== undefined) behavior.scaleUp.stabilizationWindowSeconds = upCooldown;
    if (downCooldown !== undefined) {
      behavior.scaleDown.stabilizationWindowSeconds = downCooldown;
      notes.push('annotation autoscaling.aibrix.ai/scale-down-cooldown-window: prescale keeps the highest recommendation of the window, as Kubernetes does (AIBrix HEAD took the lowest)');
    }
  }
  notFor('kpa.autoscaling.aibrix.ai/target-burst-capacity', take('kpa.autoscaling.aibrix.ai/target-burst-capacity'), 'burst capacity only matters with an activator, which prescale does not route');
  notFor('kpa.autoscaling.aibrix.ai/activation-scale', take('kpa.autoscaling.aibrix.ai/activation-scale'), 'not supported');
  const toZero = take('autoscaling.aibrix.ai/scale-to-zero');
  if (toZero !== undefined) notes.push('annotation autoscaling.aibrix.ai/scale-to-zero: AIBrix never read it (minReplicas decides); not carried');
  for (const k of Object.keys(annotations)) {
    if (k.includes('autoscaling.aibrix.ai/')) {
      lost.push(`annotation ${k}: unknown AIBrix key; dropped`);
      delete annotations[k];
    }
  }
  const rules = (r: ScalingRules): ScalingRules | undefined => (Object.keys(r).length > 0 ? r : undefined);
  const b: Behavior = {};
  const bu = rules(behavior.scaleUp);
  const bd = rules(behavior.scaleDown);
  if (bu) b.scaleUp = bu;
  if (bd) b.scaleDown = bd;
  if (bu || bd) spec.behavior = b;
  if (Array.isArray(src.schedules)) spec.schedules = src.schedules;
  // spec.behavior is not in AIBrix's API (its CRD prunes it); its samples write it, so it is carried where prescale has the field.
  if (src.behavior !== undefined) carryBehavior(src.behavior, strategy, spec, notes, lost);

  const metadata: Obj = { name: meta.name };
  if (meta.namespace !== undefined) metadata.namespace = meta.namespace;
  if (isObj(meta.labels)) metadata.labels = meta.labels;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  const manifest = { apiVersion: API_VERSION, kind: KIND, metadata, spec };
  const checked = validateSpec(spec);
  if (!checked.ok) notes.push(`the result is not valid yet: ${formatSpecError(checked.error)}`);
  return { manifest, notes, lost, valid: checked.ok };
}

/**
 * `spec.behavior` as AIBrix's samples write it (stormservice-pool.yaml): AIBrix's CRD has
 * no such field and prunes it; prescale's behavior takes the same shape, so each rule
 * the strategy takes is carried (APA: stabilisation windows as cooldowns, tolerances;
 * KPA: the scale-down window as the scale-down delay; HPA: all of it).
 */
function carryBehavior(raw: unknown, strategy: string, spec: Obj, notes: string[], lost: string[]): void {
  const b: Record<string, ScalingRules> = { ...((spec.behavior as Record<string, ScalingRules> | undefined) ?? {}) };
  for (const dir of ['scaleUp', 'scaleDown'] as const) {
    const r = isObj(raw) && isObj(raw[dir]) ? raw[dir] : null;
    if (!r) continue;
    const out: ScalingRules = { ...(b[dir] ?? {}) };
    for (const [k, v] of Object.entries(r)) {
      const takes = strategy === 'HPA' || (k === 'stabilizationWindowSeconds' && (strategy === 'APA' || dir === 'scaleDown')) || (k === 'tolerance' && strategy === 'APA');
      if (!takes) {
        lost.push(`spec.behavior.${dir}.${k}: ${strategy} has no such rule; dropped`);
        continue;
      }
      (out as Record<string, unknown>)[k] = v;
    }
    if (Object.keys(out).length > 0) b[dir] = out;
  }
  if (Object.keys(b).length > 0) spec.behavior = b;
  notes.push('spec.behavior: not in AIBrix\u2019s API (its CRD drops it); carried as prescale\u2019s behavior');
}

