/**
 * `@prescale/simulator`: a discrete-event simulator of vLLM-like replicas on replayed
 * traffic. It drives any `@prescale/core` scaler through the same interface the operator
 * uses, compares scalers with an offline oracle on GPU cost and SLO attainment, and
 * writes an offline HTML report.
 * @module
 */
export * from './errors.js';
export * from './random/prng.js';
export * from './stats/logHistogram.js';
export * from './gpu/gpuProfile.js';
export * from './gpu/gpuPrices.js';
export * from './engine/vllmMetrics.js';
export * from './engine/coldStart.js';
export * from './engine/requestPool.js';
export * from './engine/replica.js';
export * from './engine/runOptions.js';
export * from './engine/simulation.js';
export * from './engine/runOutput.js';
export * from './engine/activator.js';
export * from './engine/warmPool.js';
export * from './engine/fixedRun.js';
export * from './workload/lengths.js';
export * from './workload/synthetic.js';
export * from './workload/requestTrace.js';
export * from './workload/arrivals.js';
export * from './workload/workload.js';
export * from './workload/gaps.js';
export * from './oracle/oracle.js';
export * from './profile/capacity.js';
export * from './profile/throughputGrid.js';
export * from './scalers/scalerSetups.js';
export * from './evaluate/results.js';
export * from './compare.js';
export * from './report/table.js';
export * from './report/charts.js';
export * from './report/html.js';
export * from './report/tuneReport.js';
export * from './configFile.js';
export * from './readTextFile.js';
export * from './tune/searchSpace.js';
export * from './tune/tuneTask.js';
export * from './tune/search.js';
export * from './tune/tune.js';
export * from './tune/tuneWorker.js';
export * from './fleet/fleetSimulation.js';
export * from './fleet/fleetOracle.js';
export * from './fleet/optimizerController.js';
export * from './fleet/fleetComparison.js';
export * from './fleet/fleetTable.js';
export * from './models/modelTraces.js';
export * from './models/modelPolicies.js';
export * from './models/manyModels.js';
export * from './report/modelsReport.js';
