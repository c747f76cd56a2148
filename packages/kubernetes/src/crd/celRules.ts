/**
 * The rules between a PodAutoscaler's fields that the API server checks itself, as CEL
 * `x-kubernetes-validations` in the CRD (Kubernetes "Validation rules",
 * https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-rules,
 * `fieldPath` and `reason` since 1.28): an object that breaks one is refused at create
 * or update with the field's path, before the controller ever sees it. They are the
 * rules of validateSpec.ts that need no more than the object: the controller keeps
 * checking all of them too (objects stored before the CRD had the rules, the API
 * server stand-in, which runs no CEL), and alone checks what the server cannot (IANA
 * time zones, overlapping schedules, the panic window against the loop period, core's
 * own limits). The e2e suite (packages/kubernetes/e2e) holds the two to the same paths.
 * @module
 */
import { kindsTaking, REQUIRED_SOURCE_FIELDS, SOURCE_FIELDS } from './metricSourceRules.js';
import { METRIC_SOURCE_TYPES, PodAutoscalerSpecSchema, RESOURCE_METRICS, WEEKDAYS } from './spec.js';
import { OPTIMIZER_FIELDS } from './validateOptimizer.js';

/** A node of the CRD's OpenAPI schema (crd.ts's JsonSchema; not imported, crd.ts imports this file). */
type JsonSchema = { [key: string]: unknown };

/** One `x-kubernetes-validations` entry. */
export interface CelRule {
  rule: string;
  message: string;
  /** Relative to the schema node the rule sits on; absent: the node itself. */
  fieldPath?: string;
  reason?: 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueRequired';
}

const list = (xs: readonly string[]): string => `[${xs.map((x) => `'${x}'`).join(', ')}]`;

const required = (field: string, message: string, when: string): CelRule => ({
  rule: `!(${when}) || has(self.${field})`,
  message,
  fieldPath: `.${field}`,
  reason: 'FieldValueRequired',
});
const forbidden = (field: string, message: string, when: string): CelRule => ({
  rule: `!(${when}) || !has(self.${field})`,
  message,
  fieldPath: `.${field}`,
  reason: 'FieldValueForbidden',
});
/** `self.behavior.<dir>.<field>` is absent, guarding each level. */
const noBehavior = (dir: string, field: string, message: string, when: string): CelRule => ({
  rule: `!(${when}) || !has(self.behavior) || !has(self.behavior.${dir}) || !has(self.behavior.${dir}.${field})`,
  message,
  fieldPath: `.behavior.${dir}.${field}`,
  reason: 'FieldValueForbidden',
});
const httpUrl = (field: string): CelRule => ({
  rule: `!has(self.${field}) || self.${field}.startsWith('http://') || self.${field}.startsWith('https://')`,
  message: 'must be an http:// or https:// URL',
  fieldPath: `.${field}`,
});

const min = "(has(self.minReplicas) ? self.minReplicas : 1)";

const OPTIMIZER = "self.scalingStrategy == 'Optimizer'";

/** Rules on `spec` itself: bounds and which fields each strategy takes. */
const SPEC: CelRule[] = [
  ...(['scaleTargetRef', 'maxReplicas', 'metricsSources'] as const).map((f) => required(f, 'is required unless scalingStrategy is Optimizer', `!(${OPTIMIZER})`)),
  required('optimizer', 'is required with scalingStrategy Optimizer', OPTIMIZER),
  forbidden('optimizer', 'is used only with scalingStrategy Optimizer', `!(${OPTIMIZER})`),
  ...Object.keys(PodAutoscalerSpecSchema.shape)
    .filter((f) => !(OPTIMIZER_FIELDS as readonly string[]).includes(f))
    .map((f) => forbidden(f, 'is not used with scalingStrategy Optimizer (each of spec.optimizer.targets names its workload and bounds)', OPTIMIZER)),
  { rule: `!has(self.maxReplicas) || ${min} <= self.maxReplicas`, message: 'must not exceed maxReplicas', fieldPath: '.minReplicas' },
  {
    rule: "self.scalingStrategy != 'KPA' || (has(self.panicWindowSeconds) ? self.panicWindowSeconds : 60) <= (has(self.observeWindowSeconds) ? self.observeWindowSeconds : 180)",
    message: 'must be less than or equal to observeWindowSeconds',
    fieldPath: '.panicWindowSeconds',
  },
  ...(['observeWindowSeconds', 'panicWindowSeconds', 'maxScaleUpRate', 'maxScaleDownRate', 'panicThreshold'] as const).map((f) =>
    forbidden(f, 'is not used with scalingStrategy HPA; use behavior', "self.scalingStrategy == 'HPA'"),
  ),
  forbidden('panicWindowSeconds', 'is used only with scalingStrategy KPA', "self.scalingStrategy == 'APA'"),
  forbidden('panicThreshold', 'is used only with scalingStrategy KPA', "self.scalingStrategy == 'APA'"),
  ...(['scaleUp', 'scaleDown'] as const).flatMap((dir) => [
    noBehavior(dir, 'policies', 'is used only with scalingStrategy HPA; use maxScaleUpRate and maxScaleDownRate', "self.scalingStrategy != 'HPA'"),
    noBehavior(dir, 'selectPolicy', 'is used only with scalingStrategy HPA', "self.scalingStrategy != 'HPA'"),
    noBehavior(dir, 'tolerance', 'is not used with scalingStrategy KPA', "self.scalingStrategy == 'KPA'"),
  ]),
  noBehavior('scaleUp', 'stabilizationWindowSeconds', 'is not used with scalingStrategy KPA (scale-up is immediate)', "self.scalingStrategy == 'KPA'"),
  {
    rule: "self.scalingStrategy != 'APA' || !has(self.metricsSources) || self.metricsSources.all(s, s.metricSourceType != 'prometheus')",
    message: 'APA needs a per-pod value: a prometheus query is a total; use pod, resource, external or domain',
    fieldPath: '.metricsSources',
  },
  forbidden('subTargetSelector', 'is not supported with scalingStrategy=HPA; use APA or KPA for StormService role-level autoscaling.', "self.scalingStrategy == 'HPA'"),
  {
    rule: `!has(self.schedules) || !has(self.maxReplicas) || self.schedules.all(s, (has(s.minReplicas) ? s.minReplicas : ${min}) <= (has(s.maxReplicas) ? s.maxReplicas : self.maxReplicas))`,
    message: 'a schedule\u2019s minReplicas must not exceed its effective maxReplicas',
    fieldPath: '.schedules',
  },
];

const SCALE_TARGET_REF: CelRule[] = [
  {
    rule: "!has(self.apiVersion) || self.apiVersion.matches('^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?v[0-9]+((alpha|beta)[0-9]+)?$')",
    message: 'must be group/version (or v1)',
    fieldPath: '.apiVersion',
  },
];

const kind = (k: string): string => `self.metricSourceType == '${k}'`;
/** Per kind of source: the fields it needs and the fields it does not take (metricSourceRules.ts). */
const METRIC_SOURCE: CelRule[] = [
  { rule: "self.targetValue.matches('[1-9]')", message: 'must be greater than 0', fieldPath: '.targetValue' },
  ...METRIC_SOURCE_TYPES.flatMap((k) => [
    ...REQUIRED_SOURCE_FIELDS[k].map((f) => required(f, `is required for metricSourceType ${k}`, kind(k))),
    ...(['protocolType', 'port', 'path', 'labelMatchers', 'endpoint', 'query', 'authSecretRef'] as const)
      .filter((f) => !SOURCE_FIELDS[k].includes(f))
      .map((f) => forbidden(f, `is used only with metricSourceType ${kindsTaking(f).join(' or ')}`, kind(k))),
  ]),
  { rule: `!(${kind('resource')}) || self.targetMetric in ${list(RESOURCE_METRICS)}`, message: `must be ${RESOURCE_METRICS.join(' or ')} for metricSourceType resource`, fieldPath: '.targetMetric' },
  { ...httpUrl('endpoint'), rule: `!(${kind('prometheus')}) || ${httpUrl('endpoint').rule}` },
];

const SCHEDULES: CelRule[] = [
  { rule: 'self.all(s, self.exists_one(t, t.name == s.name))', message: 'schedule names must be unique' },
  {
    rule: "self.all(s, (has(s.timezone) ? s.timezone : '') == (has(self[0].timezone) ? self[0].timezone : ''))",
    message: 'mixed timezone values are not supported',
  },
];

const SCHEDULE: CelRule[] = [
  { rule: 'self.startTime < self.endTime', message: 'must be after startTime (no window across midnight)', fieldPath: '.endTime' },
  { rule: 'has(self.minReplicas) || has(self.maxReplicas)', message: 'must set minReplicas or maxReplicas' },
  {
    rule: `!has(self.daysOfWeek) || self.daysOfWeek.all(d, d.lowerAscii() in ${list(WEEKDAYS)})`,
    message: `must be one of ${WEEKDAYS.join(', ')}`,
    fieldPath: '.daysOfWeek',
  },
];

const PREDICTIVE: CelRule[] = [
  required('history', 'is required unless mode is off', "self.mode != 'off'"),
  required('capacityPerReplica', 'is required unless mode is off', "self.mode != 'off'"),
  {
    rule: "self.mode == 'off' || !has(self.burstWindowSeconds) || (has(self.history) && has(self.history.stepSeconds) ? self.history.stepSeconds : 600) % self.burstWindowSeconds == 0",
    message: 'must divide history.stepSeconds (default 600)',
    fieldPath: '.burstWindowSeconds',
  },
];

/**
 * The Optimizer's block (validateOptimizer.ts): one entry per GPU type, bounds in order, an http(s) demand endpoint.
 * One workload per type is the controller's check: as a CEL rule over the references it exceeds the server's cost budget.
 */
const OPTIMIZER_BLOCK: CelRule[] = [
  { rule: 'self.targets.all(t, self.targets.exists_one(u, u.gpu == t.gpu))', message: 'each GPU type must appear once', fieldPath: '.targets' },
];
const OPTIMIZER_TARGET: CelRule[] = [{ rule: '(has(self.minReplicas) ? self.minReplicas : 0) <= self.maxReplicas', message: 'must not exceed maxReplicas', fieldPath: '.minReplicas' }];

/** Where each list of rules goes, as a path of property names ('[]' for a list's items) from `spec`. */
export const CEL_RULES: ReadonlyArray<{ at: readonly string[]; rules: readonly CelRule[] }> = [
  { at: [], rules: SPEC },
  { at: ['scaleTargetRef'], rules: SCALE_TARGET_REF },
  { at: ['metricsSources', '[]'], rules: METRIC_SOURCE },
  { at: ['schedules'], rules: SCHEDULES },
  { at: ['schedules', '[]'], rules: SCHEDULE },
  { at: ['predictive'], rules: PREDICTIVE },
  { at: ['predictive', 'history'], rules: [httpUrl('endpoint')] },
  { at: ['optimizer'], rules: OPTIMIZER_BLOCK },
  { at: ['optimizer', 'targets', '[]'], rules: OPTIMIZER_TARGET },
  { at: ['optimizer', 'targets', '[]', 'scaleTargetRef'], rules: SCALE_TARGET_REF },
  { at: ['optimizer', 'demand'], rules: [httpUrl('endpoint')] },
];

/** Adds {@link CEL_RULES} to the spec's structural schema (in place). */
export function addCelRules(spec: JsonSchema): void {
  for (const { at, rules } of CEL_RULES) {
    let node: JsonSchema | undefined = spec;
    for (const step of at) {
      node = step === '[]' ? (node?.items as JsonSchema | undefined) : ((node?.properties as Record<string, JsonSchema> | undefined)?.[step]);
    }
    if (!node) throw new Error(`CEL rules: no schema at spec.${at.join('.')}`);
    node['x-kubernetes-validations'] = rules.map((r) => ({ ...r }));
  }
}
