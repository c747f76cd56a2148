/**
 * Scheduled replica bounds, as AIBrix's `spec.schedules` (reference/aibrix.md 1.2,
 * `pkg/utils/paschedules/schedules.go`): during `[startTime, endTime)` on the listed
 * weekdays of one time zone a schedule replaces minReplicas and/or maxReplicas; the
 * first active schedule wins, otherwise the base bounds apply (minReplicas default 1).
 * @module
 */
import type { PodAutoscalerSpec, Schedule } from './spec.js';
import { WEEKDAYS } from './spec.js';

export interface Bounds {
  minReplicas: number;
  maxReplicas: number;
  /** Name of the schedule in force, if any. */
  activeSchedule?: string;
}

export const DEFAULT_MIN_REPLICAS = 1;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter for weekday and time of day in `timeZone`; throws RangeError on an unknown zone. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is a zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Minutes since midnight of "HH:MM". */
export function minutesOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** Weekday index (0 = Sunday) and minute of the day of `now` in `timeZone`. */
export function localTime(now: number, timeZone: string): { day: number; minute: number } {
  let day = 0;
  let minute = 0;
  for (const part of formatter(timeZone).formatToParts(now)) {
    if (part.type === 'weekday') day = WEEKDAYS.indexOf(part.value.toLowerCase() as (typeof WEEKDAYS)[number]);
    else if (part.type === 'hour') minute += Number(part.value) * 60;
    else if (part.type === 'minute') minute += Number(part.value);
  }
  return { day, minute };
}

/** The weekdays a schedule covers (all when `daysOfWeek` is absent). */
export function scheduleDays(schedule: Schedule): number[] {
  if (!schedule.daysOfWeek) return [0, 1, 2, 3, 4, 5, 6];
  return schedule.daysOfWeek.map((d) => WEEKDAYS.indexOf(d.toLowerCase() as (typeof WEEKDAYS)[number]));
}

/**
 * The PodAutoscaler's time zone: `spec.timeZone`, else its schedules' `timezone`
 * (AIBrix's field, one for all), else null (UTC).
 */
export function podAutoscalerTimeZone(spec: Pick<PodAutoscalerSpec, 'timeZone' | 'schedules'>): string | null {
  return spec.timeZone || spec.schedules?.[0]?.timezone || null;
}

/** The bounds in force at `now` (ms since the epoch), on the PodAutoscaler's wall clock (daylight saving included). */
export function resolveBounds(spec: Pick<PodAutoscalerSpec, 'minReplicas' | 'maxReplicas' | 'schedules' | 'timeZone'>, now: number): Bounds {
  const base = { minReplicas: spec.minReplicas ?? DEFAULT_MIN_REPLICAS, maxReplicas: spec.maxReplicas };
  if (!spec.schedules) return base;
  const { day, minute } = localTime(now, podAutoscalerTimeZone(spec) ?? 'UTC');
  for (const s of spec.schedules) {
    if (!scheduleDays(s).includes(day)) continue;
    if (minute < minutesOfDay(s.startTime) || minute >= minutesOfDay(s.endTime)) continue;
    return { minReplicas: s.minReplicas ?? base.minReplicas, maxReplicas: s.maxReplicas ?? base.maxReplicas, activeSchedule: s.name };
  }
  return base;
}
