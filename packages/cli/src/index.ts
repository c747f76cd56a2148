export { program } from './program.js';
export { defaultOperatorPorts, type OperatorPorts, type PrometheusPortsOptions } from './operator/ports.js';
export { runConformance, runCase, formatFailure, CONFORMANCE_T0, type CaseResult, type ConformanceReport } from './conformance/runner.js';
