/**
 * The bounded scaling history of `status.scalingHistory`, as AIBrix keeps it
 * (reference/aibrix.md 1.4): at most 5 entries, oldest dropped first; a new entry is
 * added when more than 5 s passed since the last one, or the new scale, the success
 * flag or the error text changed.
 * @module
 */
import type { ScalingHistoryEntry } from '../crd/status.js';

export const MAX_SCALING_HISTORY = 5;
export const MIN_HISTORY_INTERVAL_MS = 5_000;

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
