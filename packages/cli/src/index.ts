export { program } from './program.js';
export { runConformance, runCase, formatFailure, CONFORMANCE_T0, type CaseResult, type ConformanceReport } from './conformance/runner.js';
