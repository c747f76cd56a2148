/**
 * `@prescale/core`: pure, deterministic autoscaling algorithms. No I/O, no clock, no
 * randomness: time is an argument (milliseconds since the epoch) and state is plain
 * data that survives `JSON.stringify`.
 *
 * This entry holds what a controller that imports prescale needs: the scalers (KPA,
 * HPA, APA, the predictive blend) as `config`/`init`/`step` functions and behind one
 * `Scaler` interface, the forecaster, series and trace helpers, durations and errors.
 * The upstream building blocks (Knative's decider and windows, the HPA's replica
 * calculator and behaviour, AIBrix's APA formula), which the conformance runner drives
 * one by one, are on `@prescale/core/upstream`.
 * @module
 */
export * from './errors.js';
export type * from './decision.js';
export * from './duration.js';
export { MAX_INT32 } from './goMath.js';

// The scalers, one by one
export { KPA_DEFAULTS, kpaConfig, type KpaConfig, type KpaConfigInput, type WindowAggregation } from './kpa/kpaConfig.js';
export { kpaInit, kpaStep, type KpaDecision, type KpaDetail, type KpaInput, type KpaState } from './kpa/kpa.js';
export type { KpaDeciderDetail } from './kpa/decider.js';
export { hpaConfig, type HpaConfig, type HpaConfigInput } from './hpa/hpaConfig.js';
export { hpaInit, hpaStep, type HpaDecision, type HpaDetail, type HpaInput, type HpaMetricDetail, type HpaState } from './hpa/hpa.js';
export { DEFAULT_TOLERANCE } from './hpa/tolerances.js';
export type * from './hpa/types.js';
export { APA_DEFAULTS, apaConfig, type ApaConfig, type ApaConfigInput } from './apa/apaConfig.js';
export { apaInit, apaStep, type ApaDecision, type ApaDetail, type ApaInput, type ApaState } from './apa/apa.js';

// One interface for every scaler
export { isServing, type Observation, type PodSample, servingMean } from './scaler/observation.js';
export type { FixedDecision, MultiDecision, MultiDetail, ReactiveDecision, ReactiveSpec, ReactiveState, SourceSpec } from './scaler/reactive.js';
export { combineProposals, type CombinedProposal, type SourceProposal, usableProposal } from './scaler/multiSource.js';
export { createScaler, type Scaler, type ScalerDecision, type ScalerOptions, type ScalerSpec, type ScalerState } from './scaler/scaler.js';
export { DEFAULT_LOOP_SECONDS, defaultLoopSeconds } from './scaler/loopPeriods.js';

// The predictive blend
export {
  type BlendConfig,
  blendConfig,
  type BlendDecision,
  type BlendDetail,
  type BlendForecaster,
  blendInit,
  blendSeed,
  type BlendSpec,
  type BlendState,
  blendStep,
} from './blend/blend.js';
export { blendRule, type BlendForecastDetail, type BlendOutcome, type BlendRuleInput } from './blend/blendRule.js';
export type { BlendForecast, BlendForecastPoint } from './blend/blendForecast.js';
export type { BlendFitDetail } from './blend/refitPolicy.js';
export type { DemandHistory } from './blend/demandHistory.js';
export { DEFAULT_REFIT_SECONDS, type PredictiveConfig, type PredictiveConfigInput, predictiveConfig, type PredictiveMode } from './blend/predictiveConfig.js';
export { replicasForLoad } from './blend/replicasForLoad.js';

// Forecasting
export { describeForecast, fitForecast, forecast, predictFromFit, type PredictRequest } from './forecast/forecast.js';
export type * from './forecast/forecastResult.js';
export { FIT_FORMAT, type FittedComponent, type FittedHorizon, type ForecastFit } from './forecast/fit.js';
export type { CombinedModel } from './forecast/autoCombination.js';
export type * from './forecast/candidateParameters.js';
export {
  DEFAULT_FORECAST_SETTINGS,
  type ForecastSettings,
  type ForecastSettingsInput,
  forecastSettings,
  MODEL_CHOICES,
  MODEL_NAMES,
  type ModelChoice,
  type ModelName,
} from './forecast/forecastSettings.js';
export { describeHistory, type HistoryState } from './forecast/historyState.js';
export type { OutageWindow } from './forecast/preparedSeries.js';
export { backtest, type BacktestForecasts, type BacktestRequest, type BacktestResult, type BacktestSummary } from './forecast/backtest.js';

// Binned series, the count-trace CSV and the plausible range of demand
export * from './series/binnedSeries.js';
export * from './series/countTrace.js';
export * from './series/plausibleDemand.js';
export { isTimeZone, timeZoneName, toLocalAxis, type ZoneAxis, zoneAxis, zoneOffsetMinutes } from './series/timeZone.js';
export { toZoneAxis } from './series/zonedSeries.js';

// The GPU optimizer: throughput profiles, the load shape, the Mélange integer program
export * from './optimizer/throughputProfile.js';
export * from './optimizer/tokenBuckets.js';
export * from './optimizer/loadShape.js';
export * from './optimizer/histogramDemand.js';
export * from './optimizer/mipModel.js';
export * from './optimizer/optimizerConfig.js';
export { allocationModel, type DemandBucket, type ModelForm, type ModelLayout } from './optimizer/allocationModel.js';
export { type Allocation, greedyAllocation } from './optimizer/greedyAllocation.js';
export type * from './optimizer/allocationDecision.js';
export { optimizeAllocation, type OptimizerInput } from './optimizer/optimize.js';
export * from './optimizer/forecastDemand.js';
export * from './optimizer/fleetScaler.js';
