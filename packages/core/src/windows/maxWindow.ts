/**
 * Knative's sliding-window maximum (`max.TimeWindow`, pkg/autoscaler/aggregation/max;
 * reference/knative-hpa.md A.5), used for the KPA scale-down delay. A monotonic deque
 * of `(index, value)` pairs over `ceil(window / granularity)` bucket indices.
 * @module
 */
import { PrescaleError } from '../errors.js';
import { positive } from '../validate.js';

export interface MaxWindow {
  /** Number of bucket indices the window spans. */
  size: number;
  granularitySeconds: number;
  /** Deque, head first: indices increase, values strictly decrease. */
  entries: Array<[index: number, value: number]>;
}

export function createMaxWindow(windowSeconds: number, granularitySeconds: number): MaxWindow {
  positive('windowSeconds', windowSeconds);
  positive('granularitySeconds', granularitySeconds);
  if (!Number.isInteger(granularitySeconds)) {
    throw new PrescaleError('InvalidConfig', 'granularitySeconds', granularitySeconds, 'must be a whole number of seconds');
  }
  return { size: Math.ceil(windowSeconds / granularitySeconds), granularitySeconds, entries: [] };
}

/** Records `value` at time `t` (ms). Returns a new window. */
export function recordMax(w: MaxWindow, t: number, value: number): MaxWindow {
  const index = Math.trunc(Math.floor(t / 1000) / w.granularitySeconds);
  const entries = w.entries.slice();
  while (entries.length > 0 && entries[entries.length - 1]![1] <= value) entries.pop();
  while (entries.length > 0 && index - entries[0]![0] >= w.size) entries.shift();
  const tail = entries[entries.length - 1];
  if (tail !== undefined && tail[0] === index) {
    entries[entries.length - 1] = [index, Math.max(tail[1], value)];
  } else {
    entries.push([index, value]);
  }
  return { size: w.size, granularitySeconds: w.granularitySeconds, entries };
}

/** The maximum over the window (Knative's `Current`); 0 when nothing was recorded. */
export function maxOf(w: MaxWindow): number {
  return w.entries[0]?.[1] ?? 0;
}
