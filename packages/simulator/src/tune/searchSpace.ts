/**
 * What `prescale tune` searches for each scaler: its documented parameters, their
 * ranges and scales, the defaults `prescale simulate` runs with, and how a point of the
 * space becomes the scaler's settings (a {@link ScalerOverride}). Windows and delays are
 * whole seconds and the KPA's panic window is a whole number of seconds, so a tuned
 * configuration is one a PodAutoscaler can say. Targets are searched as a factor of the
 * per-pod target the capacity profile gives.
 *
 * - kpa: target, stable window, panic window, panic threshold, scale-down delay, max
 *   scale-up and scale-down rates (reference/knative-hpa.md A);
 * - hpa: target, up and down tolerance, up and down stabilisation windows, the scale-up
 *   and scale-down Percent policies per 15 s (reference/knative-hpa.md B);
 * - apa: target, up and down fluctuation tolerance, window, scale-down cooldown, max
 *   scale-up rate (reference/aibrix.md 2.6);
 * - predictive: the kpa above as its reactive part, plus target utilisation, forecast
 *   quantile, a margin on the lead time, the scale-down floor (reference/predictive.md
 *   §10) and the burst allowance (docs/forecasting.md, "Bursts inside a bin").
 * @module
 */
import { APA_DEFAULTS, KPA_DEFAULTS } from '@prescale/core';
import type { Random } from '../random/prng.js';
import { KPA_SIMULATOR_DEFAULTS, type ScalerContext, type ScalerOverride } from '../scalers/scalerSetups.js';
import { SIMULATE_DEFAULTS } from '../compare.js';

/** A point of a scaler's search space: one value per parameter, by name. */
export type TunePoint = Readonly<Record<string, number>>;

export interface TuneParameter {
  name: string;
  min: number;
  max: number;
  /** `log`: searched uniformly in log space (rates, windows, factors). */
  scale: 'linear' | 'log';
  integer: boolean;
  /** The value `prescale simulate` runs with. */
  default: number;
  /** What it is, for the docs and the report. */
  doc: string;
}

export interface TuneSpace {
  scaler: TunableScaler;
  parameters: readonly TuneParameter[];
  /** The point's settings for the simulator's scaler of that name. */
  override(point: TunePoint, ctx: ScalerContext): ScalerOverride;
}

export const TUNABLE_SCALERS = ['kpa', 'hpa', 'apa', 'predictive'] as const;
export type TunableScaler = (typeof TUNABLE_SCALERS)[number];

const p = (name: string, min: number, max: number, scale: 'linear' | 'log', integer: boolean, def: number, doc: string): TuneParameter => ({
  name,
  min,
  max,
  scale,
  integer,
  default: def,
  doc,
});

/** The KPA's loop and bucket granularity in the simulator: the panic window holds at least one bucket. */
const KPA_GRANULARITY = 10;

const KPA_PARAMETERS: readonly TuneParameter[] = [
  p('targetFactor', 0.3, 3, 'log', false, 1, 'per-pod target, as a factor of the target at the planned utilisation'),
  p('stableWindowSeconds', 30, 600, 'log', true, KPA_SIMULATOR_DEFAULTS.stableWindowSeconds, 'stable window, s'),
  p('panicWindowSeconds', KPA_GRANULARITY, 300, 'log', true, (KPA_SIMULATOR_DEFAULTS.stableWindowSeconds * KPA_SIMULATOR_DEFAULTS.panicWindowPercentage) / 100, 'panic window, s (at most the stable window)'),
  p('panicThreshold', 1.1, 5, 'log', false, KPA_DEFAULTS.panicThreshold, 'panic when the panic window asks this many times the ready pods'),
  p('scaleDownDelaySeconds', 0, 1800, 'linear', true, KPA_SIMULATOR_DEFAULTS.scaleDownDelaySeconds, 'scale-down delay, s'),
  p('maxScaleUpRate', 1.5, 1000, 'log', false, KPA_DEFAULTS.maxScaleUpRate, 'at most this many times the ready pods per decision'),
  p('maxScaleDownRate', 1.1, 10, 'log', false, KPA_DEFAULTS.maxScaleDownRate, 'at least the ready pods divided by this per decision'),
];

function kpaConfig(point: TunePoint, ctx: ScalerContext): Record<string, unknown> {
  const stable = point.stableWindowSeconds!;
  const panic = Math.min(stable, Math.max(KPA_GRANULARITY, point.panicWindowSeconds!));
  return {
    targetValue: ctx.target * point.targetFactor!,
    stableWindowSeconds: stable,
    panicWindowPercentage: (panic / stable) * 100,
    panicThreshold: point.panicThreshold,
    scaleDownDelaySeconds: point.scaleDownDelaySeconds,
    maxScaleUpRate: point.maxScaleUpRate,
    maxScaleDownRate: point.maxScaleDownRate,
  };
}

/** HPA's `behavior` defaults (Kubernetes): scale up by max(4 pods, 100 %) per 15 s, down by 100 % per 15 s after 300 s. */
const HPA_PARAMETERS: readonly TuneParameter[] = [
  p('targetFactor', 0.3, 3, 'log', false, 1, 'per-pod AverageValue target, as a factor of the target at the planned utilisation'),
  p('scaleUpTolerance', 0, 0.5, 'linear', false, 0.1, 'no scale-up while the usage ratio is below 1 + this'),
  p('scaleDownTolerance', 0, 0.5, 'linear', false, 0.1, 'no scale-down while the usage ratio is above 1 − this'),
  p('scaleUpStabilizationSeconds', 0, 600, 'linear', true, 0, 'scale-up stabilisation window, s'),
  p('scaleDownStabilizationSeconds', 0, 1800, 'linear', true, 300, 'scale-down stabilisation window, s'),
  p('scaleUpPercent', 10, 1000, 'log', true, 100, 'scale-up policy: at most this many percent more per 15 s (and at least 4 pods)'),
  p('scaleDownPercent', 5, 100, 'log', true, 100, 'scale-down policy: at most this many percent fewer per 15 s'),
];

const APA_PARAMETERS: readonly TuneParameter[] = [
  p('targetFactor', 0.3, 3, 'log', false, 1, 'per-pod target, as a factor of the target at the planned utilisation'),
  p('upFluctuationTolerance', 0, 0.5, 'linear', false, APA_DEFAULTS.upFluctuationTolerance, 'scale up only above (1 + this) × target'),
  p('downFluctuationTolerance', 0, 0.5, 'linear', false, APA_DEFAULTS.downFluctuationTolerance, 'scale down only below (1 − this) × target'),
  p('windowSeconds', 30, 600, 'log', true, APA_DEFAULTS.windowSeconds, 'averaging window, s'),
  p('scaleDownCooldownSeconds', 0, 1800, 'linear', true, APA_DEFAULTS.scaleDownCooldownSeconds, 'scale-down cooldown, s'),
  p('maxScaleUpRate', 1.1, 10, 'log', false, APA_DEFAULTS.maxScaleUpRate, 'at most this many times the replicas per decision'),
];

const PREDICTIVE_PARAMETERS: readonly TuneParameter[] = [
  // The same range as the kpa alone. Up to 10× was tried on NASA (the blend's kpa sat at
  // 3×): with 60 runs in 13 dimensions the search did worse (997.7 GPU-h on validation
  // against 940.4), so the range stays.
  ...KPA_PARAMETERS,
  p('targetUtilization', 0.4, 1, 'linear', false, SIMULATE_DEFAULTS.targetUtilization, 'share of one replica’s sustainable rate the forecast plans for'),
  p('quantile', 0.5, 0.99, 'linear', false, 0.9, 'forecast quantile to plan for'),
  p('leadMarginSeconds', -120, 600, 'linear', true, 0, 'added to the lead time (cold start p99 + loop + scrape lag), s'),
  p('scaleDownFloorSeconds', 0, 3600, 'linear', true, 0, 'hold a scale-down at what the forecast needs over this many seconds (0: off)'),
  p('burstQuantile', 0, 0.99, 'linear', false, 0, 'plan for this quantile of the peak within a bin relative to its mean (0: off)'),
];

const SPACES: Record<TunableScaler, TuneSpace> = {
  kpa: { scaler: 'kpa', parameters: KPA_PARAMETERS, override: (point, ctx) => ({ config: kpaConfig(point, ctx) }) },
  hpa: {
    scaler: 'hpa',
    parameters: HPA_PARAMETERS,
    override: (point, ctx) => ({
      config: {
        metrics: [{ type: 'Pods', name: ctx.metric, target: { type: 'AverageValue', averageValueMilli: Math.max(1, Math.round(ctx.target * point.targetFactor! * 1000)) } }],
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: point.scaleUpStabilizationSeconds,
            tolerance: point.scaleUpTolerance,
            selectPolicy: 'Max',
            policies: [
              { type: 'Pods', value: 4, periodSeconds: 15 },
              { type: 'Percent', value: point.scaleUpPercent, periodSeconds: 15 },
            ],
          },
          scaleDown: {
            stabilizationWindowSeconds: point.scaleDownStabilizationSeconds,
            tolerance: point.scaleDownTolerance,
            selectPolicy: 'Max',
            policies: [{ type: 'Percent', value: point.scaleDownPercent, periodSeconds: 15 }],
          },
        },
      },
    }),
  },
  apa: {
    scaler: 'apa',
    parameters: APA_PARAMETERS,
    override: (point, ctx) => ({
      config: {
        targetValue: ctx.target * point.targetFactor!,
        upFluctuationTolerance: point.upFluctuationTolerance,
        downFluctuationTolerance: point.downFluctuationTolerance,
        windowSeconds: point.windowSeconds,
        scaleDownCooldownSeconds: point.scaleDownCooldownSeconds,
        maxScaleUpRate: point.maxScaleUpRate,
      },
    }),
  },
  predictive: {
    scaler: 'predictive',
    parameters: PREDICTIVE_PARAMETERS,
    override: (point, ctx) => ({
      reactive: { config: kpaConfig(point, ctx) },
      config: {
        targetUtilization: point.targetUtilization,
        leadTimeSeconds: Math.max(0, ctx.leadTimeSeconds + point.leadMarginSeconds!),
        scaleDownFloorSeconds: point.scaleDownFloorSeconds,
        burstQuantile: point.burstQuantile,
        settings: { quantile: point.quantile },
      },
    }),
  },
};

export function tuneSpace(scaler: TunableScaler): TuneSpace {
  return SPACES[scaler];
}

/** The point `prescale simulate` runs with. */
export function defaultPoint(space: TuneSpace): TunePoint {
  return Object.fromEntries(space.parameters.map((q) => [q.name, q.default]));
}

/** A parameter's value at u ∈ [0, 1] of its range (in its scale), rounded if whole. */
function valueAt(q: TuneParameter, u: number): number {
  const x = q.scale === 'log' ? Math.exp(Math.log(q.min) + u * (Math.log(q.max) - Math.log(q.min))) : q.min + u * (q.max - q.min);
  const v = q.integer ? Math.round(x) : Math.round(x * 1e4) / 1e4;
  return Math.min(q.max, Math.max(q.min, v));
}

/** Where a value lies in [0, 1] of its range (in its scale). */
function unitOf(q: TuneParameter, v: number): number {
  const u = q.scale === 'log' ? (Math.log(v) - Math.log(q.min)) / (Math.log(q.max) - Math.log(q.min)) : (v - q.min) / (q.max - q.min);
  return Math.min(1, Math.max(0, u));
}

/**
 * `n` points spread over the space by Latin hypercube sampling: each parameter's range is
 * cut into `n` strata and every stratum used once, so a small sample still covers each
 * parameter's whole range.
 */
export function latinHypercube(space: TuneSpace, n: number, random: Random): TunePoint[] {
  const columns = space.parameters.map((q) => {
    const strata = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [strata[i], strata[j]] = [strata[j]!, strata[i]!];
    }
    return strata.map((s) => valueAt(q, (s + random.uniform()) / n));
  });
  return Array.from({ length: n }, (_, i) => Object.fromEntries(space.parameters.map((q, k) => [q.name, columns[k]![i]!])));
}

/**
 * A neighbour of `point`: one or two parameters moved by up to `step` of their range (in
 * their scale), the others kept.
 */
export function neighbour(space: TuneSpace, point: TunePoint, step: number, random: Random): TunePoint {
  const out: Record<string, number> = { ...point };
  const moves = 1 + random.int(2);
  for (let m = 0; m < moves; m++) {
    const q = space.parameters[random.int(space.parameters.length)]!;
    const u = unitOf(q, point[q.name]!) + (random.uniform() * 2 - 1) * step;
    out[q.name] = valueAt(q, Math.min(1, Math.max(0, u)));
  }
  return out;
}

/** A stable key of a point, to evaluate each point once. */
export function pointKey(point: TunePoint): string {
  return Object.keys(point)
    .sort()
    .map((k) => `${k}=${point[k]}`)
    .join(',');
}
