/**
 * `@prescale/core`: pure, deterministic autoscaling algorithms. No I/O, no clock, no
 * randomness: time is an argument (milliseconds since the epoch) and state is plain
 * data that survives `JSON.stringify`.
 * @module
 */
export * from './errors.js';
export * from './decision.js';
export { MAX_INT32, MAX_INT64 } from './goMath.js';

// Windows (Knative buckets, Knative max window, AIBrix sample window)
export * from './windows/bucketWindow.js';
export * from './windows/linearAverage.js';
export * from './windows/weightedAverage.js';
export * from './windows/maxWindow.js';
export * from './windows/sampleWindow.js';

// KPA (Knative)
export * from './kpa/decider.js';
export * from './kpa/excessBurstCapacity.js';
export * from './kpa/panicWindow.js';
export * from './kpa/kpaConfig.js';
export * from './kpa/kpa.js';

// HPA (Kubernetes)
export * from './hpa/types.js';
export * from './hpa/tolerances.js';
export * from './hpa/groupPods.js';
export * from './hpa/cpuPodReady.js';
export * from './hpa/replicaCalculator.js';
export * from './hpa/replicasForMetrics.js';
export * from './hpa/behaviorDefaults.js';
export * from './hpa/stabilization.js';
export * from './hpa/rateLimits.js';
export * from './hpa/scaleEvents.js';
export * from './hpa/normalize.js';
export * from './hpa/hpaConfig.js';
export * from './hpa/hpa.js';

// Binned series and the count-trace CSV
export * from './series/binnedSeries.js';
export * from './series/countTrace.js';

// One interface for every scaler
export * from './scaler/scaler.js';

// APA (AIBrix)
export * from './apa/apaRecommend.js';
export * from './apa/apaConfig.js';
export * from './apa/apa.js';

// Predictive scaling: forecasters, backtest, blend
export * from './forecast/forecastSettings.js';
export type { OutageWindow } from './forecast/preparedSeries.js';
export * from './forecast/historyState.js';
export { asymmetricLoss } from './forecast/choiceWindow.js';
export { winsorizedWeightedMean } from './forecast/robustPattern.js';
export * from './forecast/forecast.js';
export type * from './forecast/forecastResult.js';
export type { FittedHorizon, ForecastFit } from './forecast/fit.js';
export type * from './forecast/candidateParameters.js';
export * from './forecast/backtest.js';
export * from './blend/replicasForLoad.js';
export * from './blend/demandHistory.js';
export * from './blend/predictiveConfig.js';
export * from './blend/blend.js';
