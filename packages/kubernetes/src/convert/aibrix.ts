/**
 * `prescale convert`: AIBrix `autoscaling.aibrix.ai/v1alpha1` PodAutoscaler manifests
 * to prescale's, with the list of what could not be carried over. Field meanings and
 * annotation keys: reference/aibrix.md 1.1–1.5 (HEAD keys and the legacy v0.4.1 keys,
 * including the sample keys AIBrix never parsed).
 * @module
 */
import { API_VERSION, KIND } from '../crd/names.js';
import type { Behavior, MetricSource, ScalingRules } from '../crd/spec.js';
import { formatSpecError, validateSpec } from '../crd/validateSpec.js';
import { parseGoDuration } from './goDuration.js';

export const AIBRIX_API_VERSION = 'autoscaling.aibrix.ai/v1alpha1';

/** AIBrix's short metric names and the vLLM metric each one reads (`pkg/metrics/metrics.go`). */
export const AIBRIX_METRIC_NAMES: Record<string, string> = {
  gpu_cache_usage_perc: 'vllm:gpu_cache_usage_perc',
  kv_cache_usage_perc: 'vllm:kv_cache_usage_perc',
  num_requests_waiting: 'vllm:num_requests_waiting',
  num_requests_running: 'vllm:num_requests_running',
  num_requests_swapped: 'vllm:num_requests_swapped',
};

export interface Converted {
  /** The prescale PodAutoscaler, or null when the input was not an AIBrix PodAutoscaler. */
  manifest: Record<string, unknown> | null;
  /** What could not be carried over, or changes meaning, one sentence each. */
  notes: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const KNOWN_SPEC_FIELDS = new Set([
  'scaleTargetRef', 'minReplicas', 'maxReplicas', 'scalingStrategy', 'metricsSources', 'observeWindowSeconds', 'panicWindowSeconds', 'schedules',
  'subTargetSelector',
]);

/** Converts one parsed manifest. */
export function convertAibrix(input: unknown): Converted {
  const notes: string[] = [];
  if (!isObj(input) || input.apiVersion !== AIBRIX_API_VERSION || input.kind !== 'PodAutoscaler') {
    const what = isObj(input) ? `${String(input.apiVersion)} ${String(input.kind)}` : typeof input;
    return { manifest: null, notes: [`skipped: not an ${AIBRIX_API_VERSION} PodAutoscaler (${what})`] };
  }
  const meta = isObj(input.metadata) ? input.metadata : {};
  const src = isObj(input.spec) ? input.spec : {};
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(isObj(meta.annotations) ? meta.annotations : {})) annotations[k] = String(v);
  const strategy = String(src.scalingStrategy ?? 'KPA').toUpperCase();
  if (src.scalingStrategy === undefined) notes.push('spec.scalingStrategy: missing; AIBrix falls back to KPA, so KPA is used');

  const spec: Obj = {};
  // scaleTargetRef
  const ref = isObj(src.scaleTargetRef) ? src.scaleTargetRef : {};
  spec.scaleTargetRef = { apiVersion: String(ref.apiVersion ?? 'apps/v1'), kind: String(ref.kind ?? ''), name: String(ref.name ?? '') };
  if (!['Deployment', 'StatefulSet', 'ReplicaSet'].includes(String(ref.kind))) {
    notes.push(`spec.scaleTargetRef.kind: ${String(ref.kind)} is not supported by prescale (apps/v1 Deployment, StatefulSet, ReplicaSet only)`);
  }
  if (src.subTargetSelector !== undefined) notes.push('spec.subTargetSelector: StormService roles are not supported; dropped');
  for (const k of Object.keys(src)) if (!KNOWN_SPEC_FIELDS.has(k)) notes.push(`spec.${k}: not part of AIBrix's PodAutoscaler API as prescale knows it; dropped`);
  spec.minReplicas = src.minReplicas === undefined ? 1 : src.minReplicas;
  spec.maxReplicas = src.maxReplicas;
  spec.scalingStrategy = strategy;

  // metricsSources
  const sources: MetricSource[] = [];
  const list = Array.isArray(src.metricsSources) ? src.metricsSources : [];
  list.forEach((raw, i) => {
    const m = isObj(raw) ? raw : {};
    const at = `spec.metricsSources[${i}]`;
    const type = String(m.metricSourceType ?? '');
    if (type !== 'pod') {
      const why = type === 'resource' ? 'metrics.k8s.io CPU/memory sources are not supported' : type === 'domain' || type === 'external'
        ? m.endpoint ? 'external HTTP endpoints (the GPU optimizer) are not supported' : 'the external.metrics API is not supported; use metricSourceType prometheus with a query'
        : 'custom.metrics sources are not supported; use metricSourceType prometheus with a query';
      notes.push(`${at} (${type || 'no type'} ${String(m.targetMetric)}): ${why}; dropped`);
      return;
    }
    const name = String(m.targetMetric ?? '');
    const metric = AIBRIX_METRIC_NAMES[name] ?? name;
    if (metric !== name) notes.push(`${at}.targetMetric: AIBrix's ${name} is vLLM's ${metric}; prescale scrapes the full name`);
    const path = m.path === undefined ? '/metrics' : `/${String(m.path).replace(/^\/+/, '')}`;
    if (m.path !== undefined && path !== '/metrics') notes.push(`${at}.path: AIBrix ignored path and scraped /metrics; prescale scrapes ${path}`);
    const source: MetricSource = {
      metricSourceType: 'pod',
      protocolType: m.protocolType === 'https' ? 'https' : 'http',
      port: Number(m.port),
      path,
      targetMetric: metric,
      targetValue: String(m.targetValue ?? ''),
    };
    sources.push(source);
  });
  if ((strategy === 'KPA' || strategy === 'APA') && sources.length > 1) {
    notes.push(`spec.metricsSources: prescale's ${strategy} scales on one metric; kept the first of ${sources.length} (AIBrix took the maximum over them; HPA can use several)`);
    sources.length = 1;
  }
  spec.metricsSources = sources;
  if (strategy === 'KPA' && sources.length > 0) {
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
      notes.push(`annotation ${key}: "${v}" is not a number; dropped`);
      return undefined;
    }
    return n;
  };
  const seconds = (key: string): number | undefined => {
    const v = take(key);
    if (v === undefined) return undefined;
    const s = parseGoDuration(v);
    if (s === null) {
      notes.push(`annotation ${key}: "${v}" is not a Go duration; dropped`);
      return undefined;
    }
    return Math.round(s);
  };
  const notFor = (key: string, value: unknown, why: string): void => {
    if (value !== undefined) notes.push(`annotation ${key}: ${why}; dropped`);
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
    if (panic !== undefined) notes.push('spec.panicWindowSeconds: APA has no panic window; dropped');
    panic = undefined;
  } else {
    for (const [k, v] of [['kpa.autoscaling.aibrix.ai/stable-window', stableLegacy], ['kpa.autoscaling.aibrix.ai/panic-window', panicLegacy], ['apa.autoscaling.aibrix.ai/window', apaWindow]] as const) {
      notFor(k, v, 'HPA has no metric window');
    }
    if (observe !== undefined || panic !== undefined) notes.push('spec.observeWindowSeconds/panicWindowSeconds: HPA has no metric window; dropped');
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
    if (upCooldown) notes.push('annotation autoscaling.aibrix.ai/scale-up-cooldown-window: prescale\u2019s KPA scales up at once; dropped');
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
  notFor('autoscaling.aibrix.ai/scale-to-zero', take('autoscaling.aibrix.ai/scale-to-zero'), 'AIBrix never read it; use minReplicas: 0');
  notFor('autoscaling.aibrix.ai/storm-service-mode', take('autoscaling.aibrix.ai/storm-service-mode'), 'StormService is not supported');
  for (const k of Object.keys(annotations)) {
    if (k.includes('autoscaling.aibrix.ai/')) {
      notes.push(`annotation ${k}: unknown AIBrix key; dropped`);
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

  const metadata: Obj = { name: meta.name };
  if (meta.namespace !== undefined) metadata.namespace = meta.namespace;
  if (isObj(meta.labels)) metadata.labels = meta.labels;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  const manifest = { apiVersion: API_VERSION, kind: KIND, metadata, spec };
  const checked = validateSpec(spec);
  if (!checked.ok) notes.push(`the result is not valid yet: ${formatSpecError(checked.error)}`);
  return { manifest, notes };
}

