/**
 * Settings of the predictive blend (reference predictive.md §10.1, §10.4; DESIGN.md
 * "blend"). Lead time = cold start + loop period + metric lag: capacity ordered now
 * serves from `now + leadTime`, so the blend sizes for the forecast over
 * [now, now + leadTime].
 * @module
 */
import { PrescaleError } from '../errors.js';
import { inRange, knownKeys, nonNegative, oneOf, positive } from '../validate.js';
import { type ForecastSettings, type ForecastSettingsInput, forecastSettings, type ModelChoice, modelChoice, WEEK_MS } from '../forecast/forecastSettings.js';
import type { OutageWindow } from '../forecast/preparedSeries.js';
import { timeZoneName } from '../series/timeZone.js';

export type PredictiveMode = 'off' | 'preview' | 'auto';

export interface PredictiveConfigInput {
  /** `off`: reactive only; `preview` (default): reactive, and report what prediction would do; `auto`: blend. */
  mode?: PredictiveMode;
  /** Default `auto`. */
  model?: ModelChoice;
  /** Requests per second one replica serves at the SLO (required). */
  capacityPerReplica: number;
  /** Share of that capacity to plan for, (0, 1]; default 1. */
  targetUtilization?: number;
  /** Cold start + loop period + metric lag, seconds; default 480 (8 min). */
  leadTimeSeconds?: number;
  /** Forecast bin, seconds, dividing a day; default 600. */
  binSeconds?: number;
  /** Hold scale-down at what the forecast needs over the next this-many seconds (Netflix-style floor); 0 (default): off. */
  scaleDownFloorSeconds?: number;
  /** Use prediction only while the model's recent mean absolute relative error is at most this; default: no gate. */
  maxRecentError?: number;
  /** Time zone of the demand pattern (weekday and time of day), minutes east of UTC; default 0. */
  utcOffsetMinutes?: number;
  /**
   * IANA time zone of the demand pattern (`Europe/Berlin`), daylight saving included:
   * the forecaster reads weeks and days in its local time (forecast/zonedIssue.ts) and
   * `utcOffsetMinutes` is not used. Absent: the fixed `utcOffsetMinutes`.
   */
  timeZone?: string;
  /** Declared outages, left out of the pattern. */
  outages?: readonly OutageWindow[];
  /** Forecaster settings (quantile, weeks, evaluation window, loss weight…). */
  settings?: ForecastSettingsInput;
  /**
   * Refit the forecaster (choose model and parameters, recalibrate the quantiles) when
   * the fit is this old, seconds; in between, the kept fit forecasts every new bin.
   * Default 21,600 (6 h); 0: refit at every new bin. It also refits at once when there
   * is no fit, the history state changes, or the fit cannot forecast the next bins.
   */
  refitSeconds?: number;
  /**
   * Plan for the peak within a bin, not its mean: the forecast's upper quantile is
   * multiplied by this quantile of the learned ratios of a bin's peak (the highest mean
   * rate over `burstWindowSeconds`) to its mean, at the same time of the week
   * (blend/burstFactor.ts). In [0, 1]; 0 (default): off, the bin's mean as before.
   */
  burstQuantile?: number;
  /** The window whose mean rate is a bin's peak, seconds, dividing `binSeconds`; default 60. */
  burstWindowSeconds?: number;
  /**
   * Scale to zero (a reactive scaler with `minReplicas: 0`): the forecast lets the
   * target go to zero only while its upper quantile over the next lead time stays below
   * this many requests per second; at or above it, the blend keeps at least the
   * activation scale ready (predictive wake-up). Default: one request per lead time
   * ({@link defaultZeroBelowRps}). Ignored when `minReplicas` > 0.
   */
  zeroBelowRps?: number;
  /**
   * Scale to zero: the window, from now, over which the forecast must expect traffic for
   * a predicted wake-up, seconds: the cold start the wake-up plans for (its p90 rather
   * than the lead time's p99, to wake later). At most `leadTimeSeconds`; default
   * `leadTimeSeconds`. Ignored when `minReplicas` > 0.
   */
  wakeUpLeadSeconds?: number;
  /**
   * Scale to zero: how long a predicted wake-up waits for its traffic beyond the wake-up
   * lead time, seconds; with no request by then the target is released to the reactive
   * scaler (and to zero), and the same stretch of expected traffic does not wake it again
   * (blend/wakeUpHold.ts). Default {@link DEFAULT_WAKE_UP_HOLD_SECONDS}.
   */
  wakeUpHoldSeconds?: number;
  /**
   * Scale to zero: how many requests waiting for a cold start are worth one GPU-hour
   * (per activation-scale replica). A predicted wake-up is made only when the requests
   * the median forecast expects within a wake-up lead time are worth its cost (the
   * wake-up lead plus the hold), and a target whose traffic paused is held while the
   * forecast expects more for as long as those requests are worth (ski-rental
   * break-even: waits ÷ this, in hours). 0: no such limit (every expected stretch wakes
   * the target, and a paused one is held while the forecast expects traffic).
   * Default {@link DEFAULT_WAKE_UP_WAITS_PER_GPU_HOUR}.
   */
  wakeUpWaitsPerGpuHour?: number;
  /**
   * Also report the replicas the forecast will ask for within this many seconds after
   * the lead time (`prewarmReplicas` in the decision), so warm capacity (a node pool,
   * placeholder pods) can be ordered one node-provisioning time ahead; 0 (default): off.
   */
  prewarmSeconds?: number;
}

export interface PredictiveConfig {
  mode: PredictiveMode;
  model: ModelChoice;
  capacityPerReplica: number;
  targetUtilization: number;
  leadTimeMs: number;
  binMs: number;
  scaleDownFloorMs: number;
  maxRecentError: number | null;
  utcOffsetMinutes: number;
  /** null: the fixed `utcOffsetMinutes`. */
  timeZone: string | null;
  outages: readonly OutageWindow[];
  settings: ForecastSettings;
  refitMs: number;
  /** History kept: `settings.maxWeeks` at the forecast bin. */
  maxBins: number;
  /** 0: off. */
  burstQuantile: number;
  burstWindowMs: number;
  zeroBelowRps: number;
  wakeUpLeadMs: number;
  wakeUpHoldMs: number;
  wakeUpWaitsPerGpuHour: number;
  prewarmMs: number;
}

/**
 * The default scale-to-zero threshold: one request per lead time (at least a minute),
 * in requests per second. Below it, the forecast expects less than one request before a
 * replica ordered now could be ready, so going to zero is expected to make no request
 * wait; at or above it, one would. A higher threshold saves GPU time and makes more
 * requests wait for a cold start (docs/simulations.md, "Many models", measures the
 * trade-off).
 */
export function defaultZeroBelowRps(leadTimeSeconds: number): number {
  return 1 / Math.max(60, leadTimeSeconds);
}

/**
 * Default wait of a predicted wake-up for its traffic beyond the wake-up lead time: one
 * 10-minute forecast bin, the forecast's own resolution (traffic expected in a bin may
 * come at any time in it). Chosen on seed 1 of `prescale simulate --models 20`
 * (docs/simulations.md, "Many models").
 */
export const DEFAULT_WAKE_UP_HOLD_SECONDS = 600;

/**
 * Default worth of a GPU-hour (per activation-scale replica) in requests that wait for a
 * cold start: 10. Chosen on seed 1 of `prescale simulate --models 20`, where reactive
 * scale to zero makes about 6,800 requests wait and the target (issue 21) allows the
 * predictive policy at most about 45 GPU-hours more; 15 and above saved too few waits,
 * 7 and below cost too much (docs/simulations.md, "Many models").
 */
export const DEFAULT_WAKE_UP_WAITS_PER_GPU_HOUR = 10;

/** Default refit cadence: four times a day. */
export const DEFAULT_REFIT_SECONDS = 6 * 3600;

const KEYS = ['mode', 'model', 'capacityPerReplica', 'targetUtilization', 'leadTimeSeconds', 'binSeconds', 'scaleDownFloorSeconds', 'maxRecentError', 'utcOffsetMinutes', 'timeZone', 'outages', 'settings', 'refitSeconds', 'burstQuantile', 'burstWindowSeconds', 'zeroBelowRps', 'wakeUpLeadSeconds', 'wakeUpHoldSeconds', 'wakeUpWaitsPerGpuHour', 'prewarmSeconds'];

/**
 * Validates the predictive settings and fills defaults.
 * @throws PrescaleError `InvalidConfig` naming the field.
 */
export function predictiveConfig(input: PredictiveConfigInput, field = 'predictive'): PredictiveConfig {
  if (typeof input !== 'object' || input === null) throw new PrescaleError('InvalidConfig', field, input, 'must be an object');
  knownKeys(field, input, KEYS);
  const binSeconds = positive(`${field}.binSeconds`, input.binSeconds ?? 600);
  const binMs = binSeconds * 1000;
  if (!Number.isInteger(binMs) || 86_400_000 % binMs !== 0) {
    throw new PrescaleError('InvalidConfig', `${field}.binSeconds`, input.binSeconds, 'must divide a day (60, 300, 600, 3600…)');
  }
  const settings = forecastSettings(input.settings, `${field}.settings`);
  const burstWindowMs = positive(`${field}.burstWindowSeconds`, input.burstWindowSeconds ?? 60) * 1000;
  if (!Number.isInteger(burstWindowMs) || binMs % burstWindowMs !== 0) {
    throw new PrescaleError('InvalidConfig', `${field}.burstWindowSeconds`, input.burstWindowSeconds, `must divide binSeconds (${binSeconds})`);
  }
  const leadSeconds = nonNegative(`${field}.leadTimeSeconds`, input.leadTimeSeconds ?? 480);
  const offset = inRange(`${field}.utcOffsetMinutes`, input.utcOffsetMinutes ?? 0, -14 * 60, 14 * 60);
  return {
    mode: oneOf(`${field}.mode`, input.mode ?? 'preview', ['off', 'preview', 'auto'] as const),
    model: modelChoice(`${field}.model`, input.model ?? 'auto'),
    capacityPerReplica: positive(`${field}.capacityPerReplica`, input.capacityPerReplica),
    targetUtilization: inRange(`${field}.targetUtilization`, input.targetUtilization ?? 1, Number.MIN_VALUE, 1),
    leadTimeMs: leadSeconds * 1000,
    binMs,
    scaleDownFloorMs: nonNegative(`${field}.scaleDownFloorSeconds`, input.scaleDownFloorSeconds ?? 0) * 1000,
    maxRecentError: input.maxRecentError === undefined ? null : positive(`${field}.maxRecentError`, input.maxRecentError),
    utcOffsetMinutes: offset,
    timeZone: input.timeZone === undefined ? null : timeZoneName(`${field}.timeZone`, input.timeZone),
    outages: input.outages ?? [],
    settings,
    refitMs: nonNegative(`${field}.refitSeconds`, input.refitSeconds ?? DEFAULT_REFIT_SECONDS) * 1000,
    maxBins: Math.round((settings.maxWeeks * WEEK_MS) / binMs),
    burstQuantile: inRange(`${field}.burstQuantile`, input.burstQuantile ?? 0, 0, 1),
    burstWindowMs,
    zeroBelowRps: nonNegative(`${field}.zeroBelowRps`, input.zeroBelowRps ?? defaultZeroBelowRps(input.leadTimeSeconds ?? 480)),
    wakeUpLeadMs: inRange(`${field}.wakeUpLeadSeconds`, input.wakeUpLeadSeconds ?? leadSeconds, 0, leadSeconds) * 1000,
    wakeUpHoldMs: nonNegative(`${field}.wakeUpHoldSeconds`, input.wakeUpHoldSeconds ?? DEFAULT_WAKE_UP_HOLD_SECONDS) * 1000,
    wakeUpWaitsPerGpuHour: nonNegative(`${field}.wakeUpWaitsPerGpuHour`, input.wakeUpWaitsPerGpuHour ?? DEFAULT_WAKE_UP_WAITS_PER_GPU_HOUR),
    prewarmMs: nonNegative(`${field}.prewarmSeconds`, input.prewarmSeconds ?? 0) * 1000,
  };
}
