/**
 * Several metrics (`computeReplicasForMetrics`, horizontal.go; reference B.2): the
 * largest proposal wins. A metric that fails cannot block a scale-up the others ask
 * for, but blocks any scale-down, and if every metric fails nothing happens.
 * @module
 */
import { type CalculatorContext, metricReplicas, type MetricReplicas } from './replicaCalculator.js';
import type { HpaMetricSpec, HpaMetricValue } from './types.js';

export interface MetricOutcome {
  metric: string;
  result: MetricReplicas;
}

export type ReplicasForMetrics =
  | { ok: true; replicas: number; outcomes: MetricOutcome[]; failed: number }
  | { ok: false; reason: 'NoMetrics' | 'MetricError'; outcomes: MetricOutcome[] };

export function replicasForMetrics(
  specs: readonly HpaMetricSpec[],
  values: readonly HpaMetricValue[],
  ctx: CalculatorContext,
): ReplicasForMetrics {
  let replicas = 0;
  let failed = 0;
  const outcomes: MetricOutcome[] = specs.map((spec, i) => {
    const value = values[i] ?? { error: `no value given for metric ${spec.name}` };
    const result = metricReplicas(spec, value, ctx);
    if (!result.ok) failed++;
    else if (replicas === 0 || result.replicas > replicas) replicas = result.replicas;
    return { metric: spec.name, result };
  });
  if (failed >= specs.length) return { ok: false, reason: 'NoMetrics', outcomes };
  if (failed > 0 && replicas < ctx.currentReplicas) return { ok: false, reason: 'MetricError', outcomes };
  return { ok: true, replicas, outcomes, failed };
}
