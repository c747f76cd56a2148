/**
 * PodAutoscaler specs that are invalid, each with the field the controller's check
 * (validateSpec.ts) names and the field the API server names when it refuses the object
 * on the CRD's schema and CEL rules (celRules.ts): `'same'`, another path, or null when
 * only the controller can tell (time zones, overlaps, the loop period, core's limits).
 * The unit tests check the first, the e2e suite the second against a real API server.
 * @module
 */

/** A valid KPA spec the cases change one thing of. */
export const VALID_SPEC = {
  scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'llm' },
  minReplicas: 1,
  maxReplicas: 8,
  scalingStrategy: 'KPA',
  metricsSources: [{ metricSourceType: 'pod', port: 8000, targetMetric: 'vllm:num_requests_waiting', targetValue: '5' }],
};

const base = VALID_SPEC;

/** A valid `spec.optimizer` (two GPU types); with {@link OPTIMIZER_ONLY} it makes VALID_SPEC an Optimizer spec. */
export const VALID_OPTIMIZER = {
  targets: [
    { gpu: 'L4', scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'llm-l4' }, maxReplicas: 8 },
    { gpu: 'A100', scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'llm-a100' }, minReplicas: 1, maxReplicas: 4 },
  ],
  profiles: { configMapRef: { name: 'llm-profiles' } },
  demand: { endpoint: 'http://p:9090', rateQuery: 'r', promptTokensQuery: 'p', generationTokensQuery: 'g' },
};

/** The change that turns VALID_SPEC into a valid Optimizer spec: the single-target fields removed. */
export const OPTIMIZER_ONLY = { scalingStrategy: 'Optimizer', scaleTargetRef: undefined, minReplicas: undefined, maxReplicas: undefined, metricsSources: undefined, optimizer: VALID_OPTIMIZER };
const optimizerWith = (change: Record<string, unknown>) => ({ ...OPTIMIZER_ONLY, optimizer: { ...VALID_OPTIMIZER, ...change } });
const [l4, a100] = VALID_OPTIMIZER.targets;

/** [what, change to VALID_SPEC, field the controller names, field the server names]. */
export const INVALID_SPECS: ReadonlyArray<readonly [string, Record<string, unknown>, string, string | null]> = [
  ['maxReplicas missing', { maxReplicas: undefined }, 'spec.maxReplicas', 'same'],
  ['a strategy that does not exist', { scalingStrategy: 'VPA' }, 'spec.scalingStrategy', 'same'],
  ['no metric source', { metricsSources: [] }, 'spec.metricsSources', 'same'],
  ['a target that is not a number', { metricsSources: [{ ...base.metricsSources[0], targetValue: 'five' }] }, 'spec.metricsSources[0].targetValue', 'same'],
  ['a zero target', { metricsSources: [{ ...base.metricsSources[0], targetValue: '0' }] }, 'spec.metricsSources[0].targetValue', 'same'],
  ['a pod source without a port', { metricsSources: [{ metricSourceType: 'pod', targetMetric: 'm', targetValue: '1' }] }, 'spec.metricsSources[0].port', 'same'],
  ['a Prometheus source without a query', { metricsSources: [{ metricSourceType: 'prometheus', endpoint: 'http://p:9090', targetMetric: 'm', targetValue: '1' }] }, 'spec.metricsSources[0].query', 'same'],
  ['min above max', { minReplicas: 9 }, 'spec.minReplicas', 'same'],
  ['a target apiVersion that is not group/version', { scaleTargetRef: { apiVersion: 'orchestration aibrix', kind: 'StormService', name: 'x' } }, 'spec.scaleTargetRef.apiVersion', 'same'],
  ['a role under HPA', { scalingStrategy: 'HPA', subTargetSelector: { roleName: 'prefill' } }, 'spec.subTargetSelector.roleName', 'spec.subTargetSelector'],
  ['a panic window longer than the stable window', { observeWindowSeconds: 30, panicWindowSeconds: 60 }, 'spec.panicWindowSeconds', 'same'],
  ['a panic window shorter than the loop', { panicWindowSeconds: 5 }, 'spec.panicWindowSeconds', null],
  ['a stable window under Knative\u2019s minimum', { observeWindowSeconds: 5, panicWindowSeconds: 5 }, 'spec.panicWindowSeconds', null],
  ['a panic threshold out of range', { panicThreshold: 20 }, 'spec.panicThreshold', 'same'],
  ['HPA policies under KPA', { behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } }, 'spec.behavior.scaleUp.policies', 'same'],
  ['a resource source on something else than cpu or memory', { metricsSources: [{ metricSourceType: 'resource', targetMetric: 'gpu', targetValue: '1' }] }, 'spec.metricsSources[0].targetMetric', 'same'],
  ['a port on a resource source', { metricsSources: [{ metricSourceType: 'resource', port: 8000, targetMetric: 'cpu', targetValue: '1' }] }, 'spec.metricsSources[0].port', 'same'],
  ['a domain source without its path', { metricsSources: [{ metricSourceType: 'domain', endpoint: 'optimizer:8080', targetMetric: 'm', targetValue: '1' }] }, 'spec.metricsSources[0].path', 'same'],
  ['an endpoint on an external source', { metricsSources: [{ metricSourceType: 'external', endpoint: 'http://x', targetMetric: 'm', targetValue: '1' }] }, 'spec.metricsSources[0].endpoint', 'same'],
  ['a panic window under HPA', { scalingStrategy: 'HPA', panicWindowSeconds: 30 }, 'spec.panicWindowSeconds', 'same'],
  ['a Prometheus source under APA', { scalingStrategy: 'APA', metricsSources: [{ metricSourceType: 'prometheus', endpoint: 'http://p:9090', query: 'q', targetMetric: 'm', targetValue: '1' }] }, 'spec.metricsSources[0].metricSourceType', 'spec.metricsSources'],
  ['an APA tolerance above 1', { scalingStrategy: 'APA', behavior: { scaleDown: { tolerance: 1.5 } } }, 'spec.behavior.scaleDown.tolerance', null],
  ['an unknown time zone', { schedules: [{ name: 'a', timezone: 'Mars/Olympus', startTime: '09:00', endTime: '17:00', minReplicas: 2 }] }, 'spec.schedules[0].timezone', null],
  ['a schedule across midnight', { schedules: [{ name: 'a', startTime: '22:00', endTime: '02:00', minReplicas: 2 }] }, 'spec.schedules[0].endTime', 'same'],
  ['overlapping schedules', { schedules: [{ name: 'a', startTime: '09:00', endTime: '12:00', minReplicas: 2 }, { name: 'b', daysOfWeek: ['mon'], startTime: '11:00', endTime: '13:00', minReplicas: 3 }] }, 'spec.schedules[1].startTime', null],
  ['a schedule setting neither bound', { schedules: [{ name: 'a', startTime: '09:00', endTime: '12:00' }] }, 'spec.schedules[0]', 'same'],
  ['an unknown weekday', { schedules: [{ name: 'a', daysOfWeek: ['monday'], startTime: '09:00', endTime: '12:00', minReplicas: 2 }] }, 'spec.schedules[0].daysOfWeek[0]', 'same'],
  ['prediction without history', { predictive: { mode: 'preview', capacityPerReplica: 3 } }, 'spec.predictive.history', 'same'],
  ['prediction without capacity', { predictive: { mode: 'auto', history: { endpoint: 'http://p:9090', query: 'q' } } }, 'spec.predictive.capacityPerReplica', 'same'],
  ['a burst quantile above 1', { predictive: { mode: 'auto', history: { endpoint: 'http://p:9090', query: 'q' }, capacityPerReplica: 2, burstQuantile: 1.5 } }, 'spec.predictive.burstQuantile', 'same'],
  ['an Optimizer spec that keeps the single-target fields', { scalingStrategy: 'Optimizer', optimizer: VALID_OPTIMIZER }, 'spec.scaleTargetRef', 'same'],
  ['an Optimizer spec without its optimizer block', { ...OPTIMIZER_ONLY, optimizer: undefined }, 'spec.optimizer', 'same'],
  ['an optimizer block under KPA', { optimizer: VALID_OPTIMIZER }, 'spec.optimizer', 'same'],
  ['an Optimizer with no GPU type', optimizerWith({ targets: [] }), 'spec.optimizer.targets', 'same'],
  ['an Optimizer naming a GPU type twice', optimizerWith({ targets: [l4, { ...a100, gpu: 'L4' }] }), 'spec.optimizer.targets[1].gpu', 'spec.optimizer.targets'],
  ['an Optimizer scaling one workload for two types', optimizerWith({ targets: [l4, { ...a100, scaleTargetRef: l4!.scaleTargetRef }] }), 'spec.optimizer.targets[1].scaleTargetRef', null],
  ['an Optimizer type whose minimum exceeds its maximum', optimizerWith({ targets: [l4, { ...a100, minReplicas: 5 }] }), 'spec.optimizer.targets[1].minReplicas', 'same'],
  ['an Optimizer type name that is no ConfigMap key', optimizerWith({ targets: [{ ...l4, gpu: 'L4 GPU' }, a100] }), 'spec.optimizer.targets[0].gpu', 'same'],
  ['an Optimizer demand endpoint that is not a URL', optimizerWith({ demand: { ...VALID_OPTIMIZER.demand, endpoint: 'prometheus:9090' } }), 'spec.optimizer.demand.endpoint', 'same'],
  ['an Optimizer minimum fleet of 0', optimizerWith({ minTotalReplicas: 0 }), 'spec.optimizer.minTotalReplicas', 'same'],
  [
    'a burst window that does not divide the history step',
    { predictive: { mode: 'auto', history: { endpoint: 'http://p:9090', query: 'q', stepSeconds: 600 }, capacityPerReplica: 2, burstQuantile: 0.5, burstWindowSeconds: 70 } },
    'spec.predictive.burstWindowSeconds',
    'same',
  ],
];
