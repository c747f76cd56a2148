/**
 * The bounded scaling history of `status.scalingHistory`, as AIBrix keeps it
 * (reference/aibrix.md 1.4): at most 5 entries, oldest dropped first; a new entry is
 * added when more than 5 s passed since the last one, or the new scale, the success
 * flag or the error text changed. Each entry says why: the decision's reasons and the
 * winning source ({@link historyReason}).
 * @module
 */
import type { ScalerDecision } from '@prescale/core';
import type { ScalingHistoryEntry } from '../crd/status.js';

export const MAX_SCALING_HISTORY = 5;
export const MIN_HISTORY_INTERVAL_MS = 5_000;
/** Longest reason kept per entry (the whole status stays small). */
export const MAX_HISTORY_REASON = 256;

/** The source that won a decision, when several were read: `metricsSources[i] <metric>`. */
function winner(decision: ScalerDecision): string | null {
  const d = decision.scaler === 'blend' ? decision.detail.reactive : decision;
  if (d.scaler === 'multi' && d.detail.winner !== null) return `metricsSources[${d.detail.winner}] ${d.detail.sources[d.detail.winner]?.source ?? ''}`.trim();
  if (d.scaler === 'hpa' && d.detail.metrics.length > 1 && d.detail.proposedReplicas !== undefined) {
    const i = d.detail.metrics.findIndex((m) => m.replicas === d.detail.proposedReplicas);
    if (i >= 0) return `metricsSources[${i}] ${d.detail.metrics[i]?.metric ?? ''}`.trim();
  }
  return null;
}

/**
 * An entry's reason: the decision's reason codes, most important first, and which source
 * won when several were read (AIBrix's `reason` names the algorithm and the metric),
 * at most {@link MAX_HISTORY_REASON} characters.
 */
export function historyReason(decision: ScalerDecision): string {
  const source = winner(decision);
  const text = `${decision.reasons.join(', ')}${source ? ` (${source})` : ''}`;
  return text.length <= MAX_HISTORY_REASON ? text : `${text.slice(0, MAX_HISTORY_REASON - 1)}…`;
}

export function appendScalingHistory(history: readonly ScalingHistoryEntry[] | undefined, entry: ScalingHistoryEntry): ScalingHistoryEntry[] {
  const list = [...(history ?? [])];
  const last = list[list.length - 1];
  if (last) {
    const elapsed = Date.parse(entry.timestamp) - Date.parse(last.timestamp);
    const same = last.newScale === entry.newScale && last.success === entry.success && (last.error ?? '') === (entry.error ?? '');
    if (same && !(elapsed > MIN_HISTORY_INTERVAL_MS)) return list;
  }
  list.push(entry);
  return list.slice(-MAX_SCALING_HISTORY);
}
