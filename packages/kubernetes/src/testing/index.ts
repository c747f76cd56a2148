/**
 * `@prescale/kubernetes/testing`: the in-process stand-in for the Kubernetes API server
 * the operator's tests and benchmark run against, helpers to reach it, and a stand-in
 * cluster (workloads, object builders, a manual clock) to run a controller in.
 * @module
 */
export * from './cluster.js';
export * from './fakeApiServer.js';
export * from './kubeConfig.js';
export * from './patch.js';
export * from './resources.js';
export * from './invalidSpecs.js';
export * from './optimizer.js';
