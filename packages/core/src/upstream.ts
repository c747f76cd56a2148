/**
 * `@prescale/core/upstream`: the upstream algorithms' building blocks, one function per
 * step of their code, for the conformance runner (which drives each against the
 * vectors transcribed from the upstream test suites) and for experiments. A controller
 * needs the main entry only.
 *
 * - Knative: the bucketed windows (linear and weighted-exponential averages, the max
 *   window) and the KPA decider with its panic window and excess burst capacity
 *   (reference/knative-hpa.md A);
 * - Kubernetes: the HPA's replica calculator, tolerances, stabilisation, rate limits
 *   and scale events (reference/knative-hpa.md B);
 * - AIBrix: the APA formula and its sample window (reference/aibrix.md 2.6), the
 *   pending-replica rule (PR #2671) and the largest proposal over several sources (PR #1688).
 * @module
 */
export { clampToBounds, holdDecision, makeDecision } from './decision.js';
export * from './goMath.js';

export * from './windows/bucketWindow.js';
export * from './windows/linearAverage.js';
export * from './windows/weightedAverage.js';
export * from './windows/maxWindow.js';
export * from './windows/sampleWindow.js';

export * from './kpa/decider.js';
export * from './kpa/excessBurstCapacity.js';
export * from './kpa/panicWindow.js';
export { kpaDeciderSpec } from './kpa/kpa.js';

export * from './hpa/groupPods.js';
export * from './hpa/cpuPodReady.js';
export * from './hpa/replicaCalculator.js';
export * from './hpa/replicasForMetrics.js';
export * from './hpa/behaviorDefaults.js';
export * from './hpa/stabilization.js';
export * from './hpa/rateLimits.js';
export * from './hpa/scaleEvents.js';
export * from './hpa/normalize.js';
export { hpaTolerances, HPA_DEFAULT_METRICS } from './hpa/hpaConfig.js';
export { isWithinTolerance } from './hpa/tolerances.js';

export * from './apa/apaRecommend.js';
export * from './apa/pendingReplicas.js';
export * from './scaler/multiSource.js';
