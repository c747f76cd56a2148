/**
 * Where the report zooms in: on the largest load step (evaluate/results.ts
 * `largestLoadStep`) and on one typical daily ramp. Over two weeks a chart of ready
 * replicas is a blur; at the scale of a ramp one sees whether a scaler's replicas were
 * ready before the load came (reference simulator.md §4.1: AIBrix's experiment figure is
 * a single 25-minute ramp).
 *
 * A typical daily ramp: the need curve, smoothed over 30 minutes, has on each whole
 * local day (midnight to midnight in the trace's offset) a largest rise over 3 hours;
 * the ramp of the day whose rise is the median of the days' is shown (the lower median,
 * so a day with a flash crowd or a quiet weekend is not the one chosen).
 * @module
 */
import type { LoadStep } from '../evaluate/results.js';

/** A span of timeline windows to zoom on, and the window of the event it shows. */
export interface ZoomWindow {
  /** First window shown, and the window after the last. */
  from: number;
  to: number;
  /** The start of the step or ramp. */
  at: number;
  label: string;
}

const HOUR = 3600;

/** From 30 minutes before the largest load step to 90 minutes after it. */
export function stepZoom(step: LoadStep | null, windows: number, windowSeconds: number): ZoomWindow | null {
  if (step === null) return null;
  const at = Math.round(step.atSeconds / windowSeconds);
  return {
    from: Math.max(0, at - Math.round((0.5 * HOUR) / windowSeconds)),
    to: Math.min(windows, at + Math.round((1.5 * HOUR) / windowSeconds)),
    at,
    label: `load step, need ${step.fromReplicas} → ${step.toReplicas}`,
  };
}

/** One typical daily ramp, an hour either side of it; null when the run holds fewer than two whole days. */
export function typicalDailyRamp(need: ArrayLike<number>, windowSeconds: number, startMs: number, utcOffsetMinutes: number): ZoomWindow | null {
  const n = need.length;
  const smooth = Math.max(1, Math.round(1800 / windowSeconds));
  const span = Math.round((3 * HOUR) / windowSeconds);
  if (n < 2 * span) return null;
  // Trailing 30-minute mean of the need.
  const s = new Float64Array(n);
  let sum = 0;
  for (let w = 0; w < n; w++) {
    sum += need[w]!;
    if (w >= smooth) sum -= need[w - smooth]!;
    s[w] = sum / Math.min(w + 1, smooth);
  }
  const perDay = 86_400 / windowSeconds;
  const dayOf = (w: number) => Math.floor((startMs + w * windowSeconds * 1000 + utcOffsetMinutes * 60_000) / 86_400_000);
  const days = new Map<number, { first: number; count: number; at: number; rise: number }>();
  for (let w = 0; w < n; w++) {
    const d = dayOf(w);
    const day = days.get(d) ?? { first: w, count: 0, at: -1, rise: 0 };
    day.count++;
    const end = Math.min(w + span, n - 1);
    const rise = s[end]! - s[w]!;
    if (end > w && rise > day.rise) {
      day.rise = rise;
      day.at = w;
    }
    days.set(d, day);
  }
  const whole = [...days.values()].filter((d) => d.count >= perDay - 1e-9 && d.at >= 0).sort((a, b) => a.rise - b.rise || a.first - b.first);
  if (whole.length < 2) return null;
  const typical = whole[Math.floor((whole.length - 1) / 2)]!;
  // The ramp starts where the smoothed need leaves its level: the last window of the
  // 3-hour rise still within a replica of its start.
  let at = typical.at;
  while (at + 1 < n && s[at + 1]! - s[typical.at]! < 1 && at < typical.at + span) at++;
  return {
    from: Math.max(0, at - Math.round(HOUR / windowSeconds)),
    to: Math.min(n, typical.at + span + Math.round(HOUR / windowSeconds)),
    at,
    label: 'a typical daily ramp',
  };
}
