/**
 * The optimizer with the predictive blend (DESIGN.md "blend"; reference predictive.md
 * §10): capacity of the right type is ordered before the peak by optimising for the
 * forecast upper quantile over [now, now + leadTime] instead of the demand seen now.
 * The forecast gives a total rate; the load shape gives its mix: the demand mix is
 * scaled so its total is max(observed, forecast). As in the blend, prediction only
 * adds: a forecast below the observed rate leaves the observed mix as it is, and with no
 * usable forecast (too little history, a failed forecaster) the decision is the reactive
 * one and says why.
 * @module
 */
import type { BlendForecast } from '../blend/blendForecast.js';
import type { AllocationDecision } from './allocationDecision.js';
import { type DemandMix, scaleDemand } from './loadShape.js';
import type { MipSolver } from './mipModel.js';
import { optimizeAllocation, type OptimizerInput } from './optimize.js';
import type { OptimizerConfig } from './optimizerConfig.js';

export interface ForecastWindow {
  /** Decision time, epoch ms. */
  now: number;
  /** How far ahead capacity must be ordered (cold start + loop + scrape lag), seconds. */
  leadTimeSeconds: number;
  /** The forecast's bin, seconds: its points are requests per bin. */
  binSeconds: number;
}

/** The highest upper-quantile rate the forecast gives over [now, now + leadTime], req/s, or null without a usable point. */
export function forecastPeakRps(forecast: BlendForecast, w: ForecastWindow): { rps: number; targetMs: number } | null {
  if (!forecast.ok || !(w.binSeconds > 0)) return null;
  let best: { rps: number; targetMs: number } | null = null;
  for (const p of forecast.points) {
    if (p.targetMs > w.now + w.leadTimeSeconds * 1000) continue;
    const rps = p.upper / w.binSeconds;
    if (rps >= 0 && rps < Infinity && (best === null || rps > best.rps)) best = { rps, targetMs: p.targetMs };
  }
  return best;
}

/** `shape` scaled so its total is `rps` (a shape with no demand, or too little to scale, cannot be: null). */
export function demandAtRate(shape: DemandMix, rps: number): DemandMix | null {
  if (!(shape.totalRps > 0) || !(rps >= 0 && rps < Infinity)) return null;
  const factor = rps / shape.totalRps;
  // A denormal total makes the factor overflow: no usable shape, as with no demand.
  return factor < Infinity ? scaleDemand(shape, factor) : null;
}

export interface ForecastOptimizerInput extends OptimizerInput {
  /**
   * The mix the forecast total is spread over; default the observed demand. A longer
   * window's mix (an hour, a day) is steadier than the last few minutes' at low traffic.
   */
  shape?: DemandMix;
}

/** Optimises for max(observed, forecast) demand; the decision's `forecast` says which won and why. */
export function optimizeForForecast(config: OptimizerConfig, input: ForecastOptimizerInput, forecast: BlendForecast, w: ForecastWindow, solver: MipSolver): AllocationDecision {
  const observed = input.demand;
  const observedRps = observed.totalRps >= 0 && observed.totalRps < Infinity ? observed.totalRps : 0;
  const reactive = (why: string): AllocationDecision => {
    const d = optimizeAllocation(config, input, solver);
    return { ...d, reasons: [...d.reasons, 'NoForecast'], forecast: { rps: 0, observedRps, targetMs: null, reason: why } };
  };
  if (!forecast.ok) return reactive(`${forecast.reason}: ${forecast.message}`);
  const peak = forecastPeakRps(forecast, w);
  if (peak === null) return reactive('the forecast has no point within the lead time');
  if (peak.rps <= observedRps) {
    const d = optimizeAllocation(config, input, solver);
    return { ...d, reasons: ['ObservedAtLeastPredicted', ...d.reasons], forecast: { rps: peak.rps, observedRps, targetMs: peak.targetMs, reason: null } };
  }
  const scaled = demandAtRate(input.shape ?? observed, peak.rps);
  if (scaled === null) return reactive('no demand mix to spread the forecast over (the shape has no requests)');
  const d = optimizeAllocation(config, { ...input, demand: scaled }, solver);
  return { ...d, reasons: ['PredictedAboveObserved', ...d.reasons], forecast: { rps: peak.rps, observedRps, targetMs: peak.targetMs, reason: null } };
}
