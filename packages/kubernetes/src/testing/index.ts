/**
 * `@prescale/kubernetes/testing`: the in-process stand-in for the Kubernetes API server
 * the operator's tests and benchmark run against, and helpers to reach it.
 * @module
 */
export * from './fakeApiServer.js';
export * from './kubeConfig.js';
export * from './patch.js';
export * from './resources.js';
