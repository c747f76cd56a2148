/**
 * Failed metric reads of a loop, made visible instead of swallowed: each one is
 * classified ({@link MetricFailureKind}), counted in `prescale_errors_total` under its
 * kind, logged once when it starts or changes (and once when it ends), and named in the
 * `MetricsAvailable` condition, with a message that carries no response body and no
 * credential (a {@link MetricSourceError}'s own message; anything else thrown shows only
 * its kind, `Unknown`).
 * @module
 */
import type { ConditionInput } from './conditions.js';
import { type MetricFailureKind, MetricSourceError } from './metricsPort.js';

/** One source that failed in a loop. */
export interface SourceFailure {
  /** The spec field it comes from: `metricsSources[1]`, `predictive.history` (the load), `predictive.history.query` (the rate read every loop). */
  source: string;
  kind: MetricFailureKind;
  message: string;
}

/** Longest message kept per failure. */
const MAX_MESSAGE = 240;

/** What `error`, thrown while reading `source`, says that may be shown. */
export function sourceFailure(source: string, error: unknown): SourceFailure {
  if (error instanceof MetricSourceError) {
    const m = error.message.replace(/\s+/g, ' ').trim();
    return { source, kind: error.kind, message: m.length <= MAX_MESSAGE ? m : `${m.slice(0, MAX_MESSAGE - 1)}…` };
  }
  return { source, kind: 'Unknown', message: 'the read failed (the metrics port threw an error that is not a MetricSourceError)' };
}

/** `MetricsAvailable`: True when every source answered, else False naming each failure, the first one's kind as the reason. */
export function metricsCondition(failures: readonly SourceFailure[]): ConditionInput {
  const first = failures[0];
  if (!first) return { type: 'MetricsAvailable', status: 'True', reason: 'SourcesAnswered', message: 'every metric source answered' };
  return { type: 'MetricsAvailable', status: 'False', reason: first.kind, message: failures.map((f) => `${f.source}: ${f.message}`).join('; ').slice(0, 1024) };
}

/** What to report after a loop: failures that are new or changed, sources that recovered, and what to remember. */
export interface FailureChanges {
  failed: SourceFailure[];
  recovered: string[];
  /** source → `kind: message`, for the next loop. */
  next: Map<string, string>;
}

/** Compares this loop's failures with the last loop's, so each one is logged once per change, not per loop. */
export function failureChanges(previous: ReadonlyMap<string, string>, current: readonly SourceFailure[]): FailureChanges {
  const next = new Map<string, string>();
  const failed: SourceFailure[] = [];
  for (const f of current) {
    const signature = `${f.kind}: ${f.message}`;
    next.set(f.source, signature);
    if (previous.get(f.source) !== signature) failed.push(f);
  }
  const recovered = [...previous.keys()].filter((source) => !next.has(source));
  return { failed, recovered, next };
}
