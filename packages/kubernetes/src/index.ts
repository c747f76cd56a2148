/**
 * `@prescale/kubernetes`: the PodAutoscaler custom resource, its controller on
 * `@kubernetes/client-node`, a Lease leader elector, the operator process around them,
 * and `convertAibrix` for AIBrix manifests.
 * @module
 */
export * from './crd/names.js';
export * from './crd/spec.js';
export * from './crd/status.js';
export * from './crd/podAutoscaler.js';
export * from './crd/crd.js';
export * from './crd/schedules.js';
export * from './crd/scalerSpec.js';
export * from './crd/fromScalerSpec.js';
export * from './crd/validateSpec.js';
export * from './crd/metricSourceRules.js';
export * from './convert/aibrix.js';
export * from './convert/goDuration.js';
export * from './controller/kubeClient.js';
export * from './controller/informer.js';
export * from './controller/leaseElector.js';
export * from './controller/metricsPort.js';
export * from './controller/allowList.js';
export * from './controller/metricFailures.js';
export * from './controller/observe.js';
export * from './controller/persistedState.js';
export * from './controller/conditions.js';
export * from './controller/scalingHistory.js';
export * from './controller/status.js';
export * from './controller/controllerMetrics.js';
export * from './controller/controller.js';
export * from './operator/operator.js';
export * from './yaml.js';
export * from './controller/labelSelector.js';
