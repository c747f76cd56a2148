/**
 * `prescale convert` of AIBrix's optimizer-based autoscaling (reference/aibrix.md §5.4;
 * its samples `samples/autoscaling/optimizer-kpa.yaml` and `samples/heterogeneous/*`):
 * AIBrix runs the GPU optimizer as a service and puts a KPA per deployment over the
 * replicas it publishes (`vllm:deployment_replicas` in 1/100 units, `targetValue:
 * "100"`). A PodAutoscaler whose every source is that service becomes prescale's
 * `scalingStrategy: Optimizer` with the deployment as one GPU type (AIBrix names a type
 * after its deployment, and keys its profile by it); the PodAutoscalers of one namespace
 * that read the same optimizer service are merged into one (one decision for every
 * type), when they are converted together. What AIBrix keeps outside the manifest (the
 * profiles in Redis, the gateway's request traces, the deployments' `min_replicas`
 * label) is named in the notes with where it goes. A PodAutoscaler that mixes the
 * optimizer's source with others, or sets anything the Optimizer strategy does not take,
 * is converted as before (the optimizer's page read as a `domain` source).
 * @module
 */
import { API_VERSION, KIND } from '../crd/names.js';
import { formatSpecError, validateSpec } from '../crd/validateSpec.js';
import type { Converted } from './converted.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The metric AIBrix's GPU optimizer publishes per deployment (reference/aibrix.md §5.4). */
export const OPTIMIZER_METRIC = 'vllm:deployment_replicas';
/** Where the converted demand queries point until the user sets their Prometheus. */
export const DEFAULT_DEMAND_ENDPOINT = 'http://prometheus.monitoring.svc:9090';
const SPEC_FIELDS = new Set(['scaleTargetRef', 'minReplicas', 'maxReplicas', 'scalingStrategy', 'metricsSources']);

/** An Optimizer conversion: the result, and what merges it with the same fleet's other types. */
export interface FleetConversion extends Converted {
  fleet: { key: string; namespace: string | undefined; name: string; targets: Obj[]; labels: Obj | undefined; annotations: Record<string, string> };
}

const isOptimizerSource = (s: unknown): boolean =>
  isObj(s) && (s.metricSourceType === 'domain' || s.metricSourceType === 'external') && typeof s.endpoint === 'string' && s.endpoint !== '' && s.targetMetric === OPTIMIZER_METRIC;

/** The longest dash-separated prefix the names share (the model, from its deployments' names), else the first name. */
export function commonName(names: readonly string[]): string {
  const parts = names.map((n) => n.split('-'));
  const first = parts[0] ?? [];
  let k = 0;
  while (k < first.length && parts.every((p) => p[k] === first[k])) k++;
  return k > 0 ? first.slice(0, k).join('-') : (names[0] ?? 'model');
}

/** The spec of an Optimizer fleet over `targets` (names derived from their deployments). */
function fleetSpec(targets: readonly Obj[]): { spec: Obj; model: string } {
  const model = commonName(targets.map((t) => String((t.scaleTargetRef as Obj).name)));
  const sel = `{model_name="${model}"}`;
  return {
    model,
    spec: {
      scalingStrategy: 'Optimizer',
      optimizer: {
        targets,
        profiles: { configMapRef: { name: `${model}-profiles` } },
        demand: {
          endpoint: DEFAULT_DEMAND_ENDPOINT,
          rateQuery: `sum(rate(vllm:request_success_total${sel}[2m]))`,
          promptTokensQuery: `sum by (le) (rate(vllm:request_prompt_tokens_bucket${sel}[30m]))`,
          generationTokensQuery: `sum by (le) (rate(vllm:request_generation_tokens_bucket${sel}[30m]))`,
        },
      },
    },
  };
}

function fleetNotes(targets: readonly Obj[], model: string, endpoint: string): string[] {
  const gpus = targets.map((t) => String(t.gpu));
  return [
    `spec.metricsSources: AIBrix's GPU optimizer service (${endpoint}) becomes scalingStrategy Optimizer: prescale solves the same program in the PodAutoscaler and scales ${gpus.length > 1 ? 'each deployment' : 'the deployment'} directly, with no KPA over a replicas metric (targetValue "100", AIBrix's 1/100 units, is not needed)`,
    `spec.optimizer.targets: AIBrix names a GPU type after its deployment (${gpus.join(', ')}); the profiles come from ConfigMap ${model}-profiles, key <gpu>.json, in aibrix_gen_profile's layout (AIBrix kept them in Redis): kubectl create configmap ${model}-profiles ${gpus.map((g) => `--from-file=${g}.json`).join(' ')}`,
    `spec.optimizer.demand: AIBrix counts the gateway's requests in Redis; prescale reads vLLM's request rate and length histograms from Prometheus: set endpoint to yours (it must be in the operator's --prometheus-url allow-list) and check model_name="${model}" (taken from the deployment names)`,
    "spec.optimizer.minTotalReplicas: AIBrix's model.aibrix.ai/min_replicas label on the deployments (not in this manifest) is the fleet's minimum; set it here (default 1)",
  ];
}

/**
 * The Optimizer conversion of an AIBrix PodAutoscaler that only reads the GPU optimizer
 * (every source `vllm:deployment_replicas` from its endpoint, nothing the Optimizer
 * strategy does not take), or null.
 */
export function convertOptimizerPodAutoscaler(input: Obj): FleetConversion | null {
  const src = isObj(input.spec) ? input.spec : {};
  const sources = Array.isArray(src.metricsSources) ? src.metricsSources : [];
  if (sources.length === 0 || !sources.every(isOptimizerSource)) return null;
  if (!Object.keys(src).every((k) => SPEC_FIELDS.has(k))) return null;
  const meta = isObj(input.metadata) ? input.metadata : {};
  const annotations: Record<string, string> = {};
  const notes: string[] = [];
  for (const [k, v] of Object.entries(isObj(meta.annotations) ? meta.annotations : {})) {
    if (k === 'autoscaling.aibrix.ai/storm-service-mode') return null;
    if (k.includes('autoscaling.aibrix.ai/')) {
      notes.push(`annotation ${k}: tuned the autoscaler AIBrix put between its optimizer and the deployment, which prescale does not have; the optimizer's own smoothing is spec.optimizer.stabilizationWindowSeconds (default 300 s)`);
    } else annotations[k] = String(v);
  }
  const ref = isObj(src.scaleTargetRef) ? src.scaleTargetRef : {};
  const name = String(ref.name ?? '');
  const target: Obj = {
    gpu: name,
    scaleTargetRef: { apiVersion: String(ref.apiVersion ?? 'apps/v1'), kind: String(ref.kind ?? ''), name },
    minReplicas: src.minReplicas === undefined ? 1 : src.minReplicas,
    maxReplicas: src.maxReplicas,
  };
  const endpoint = String((sources[0] as Obj).endpoint);
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  const labels = isObj(meta.labels) ? meta.labels : undefined;
  const result = fleetResult({ key: `${namespace ?? ''}\n${endpoint}`, namespace, name: String(meta.name ?? name), targets: [target], labels, annotations }, endpoint, notes);
  result.notes.push(`one GPU type: convert the PodAutoscalers of the model's other types in the same run (prescale convert A.yaml B.yaml) and they share one decision`);
  return result;
}

function fleetResult(fleet: FleetConversion['fleet'], endpoint: string, extraNotes: readonly string[]): FleetConversion {
  const { spec, model } = fleetSpec(fleet.targets);
  const metadata: Obj = { name: fleet.name };
  if (fleet.namespace !== undefined) metadata.namespace = fleet.namespace;
  if (fleet.labels) metadata.labels = fleet.labels;
  if (Object.keys(fleet.annotations).length > 0) metadata.annotations = fleet.annotations;
  const notes = [...fleetNotes(fleet.targets, model, endpoint), ...extraNotes];
  const checked = validateSpec(spec);
  if (!checked.ok) notes.push(`the result is not valid yet: ${formatSpecError(checked.error)}`);
  return { manifest: { apiVersion: API_VERSION, kind: KIND, metadata, spec }, notes, lost: [], valid: checked.ok, fleet };
}

/**
 * Merges the Optimizer conversions of one namespace that read the same optimizer
 * service into one PodAutoscaler per fleet (named after what the originals' names
 * share), keeping every other result as it is, in order (a fleet where its first member was).
 */
export function mergeOptimizerFleets(results: readonly Converted[]): Converted[] {
  const groups = new Map<string, FleetConversion[]>();
  for (const r of results) {
    const f = (r as Partial<FleetConversion>).fleet;
    if (f) groups.set(f.key, [...(groups.get(f.key) ?? []), r as FleetConversion]);
  }
  const out: Converted[] = [];
  for (const r of results) {
    const f = (r as Partial<FleetConversion>).fleet;
    if (!f) {
      out.push(r);
      continue;
    }
    const members = groups.get(f.key) ?? [];
    if (members.length <= 1) {
      out.push(r);
      continue;
    }
    if (members[0] !== r) continue;
    const names = members.map((m) => m.fleet.name);
    const endpoint = f.key.split('\n')[1] ?? '';
    const annotations = Object.assign({}, ...members.map((m) => m.fleet.annotations)) as Record<string, string>;
    const tuning = [...new Set(members.flatMap((m) => m.notes.filter((n) => n.startsWith('annotation '))))];
    const merged = fleetResult({ ...f, name: commonName(names), targets: members.flatMap((m) => m.fleet.targets), annotations }, endpoint, [
      `merged from ${names.join(', ')}: one decision for all ${members.length} GPU types`,
      ...tuning,
    ]);
    out.push(merged);
  }
  return out;
}
