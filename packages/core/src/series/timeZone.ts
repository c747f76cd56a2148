/**
 * Time zones for the weekly pattern: the UTC offset of an IANA zone (`Europe/Berlin`)
 * at any instant, and the zone's local axis, on which a Monday 09:00 local peak stays
 * a whole number of weeks after last Monday's 09:00 across a daylight-saving change.
 * Offsets come from ECMAScript's `Intl.DateTimeFormat` (the runtime's IANA tz database,
 * tzdata; ECMA-402 §11), read once per zone and UTC day and cached, so the same
 * runtime gives the same offsets every time. No clock is read.
 *
 * The local axis of a zone for a bin width `binMs`, anchored at an instant `anchorMs`:
 * `λ(u) = u + shift(u)`, where `shift(u)` is the zone's offset at `u` less its offset at
 * the anchor, rounded to whole bins. With the series' `utcOffsetMinutes` set to the
 * anchor's offset, `λ(u)` read in that offset is the wall-clock time at `u` (exactly so
 * when the daylight-saving change is a whole number of bins: one hour is 6 bins of
 * 10 min, 1 of 1 h). A day has 23 bins of 1 h on the local axis in spring (the
 * skipped hour is a gap) and the repeated hour of autumn is one bin.
 * @module
 */
import { PrescaleError } from '../errors.js';

const DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
/** Per zone: the offset (minutes) at the start of each UTC day, by day number. */
const dayOffsets = new Map<string, Map<number, number>>();
/** Per zone: the first minute (ms) of a UTC day at which the offset differs from the day's start. */
const changes = new Map<string, Map<number, number>>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone name this runtime knows (`UTC`, `Europe/Berlin`). */
export function isTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone === '') return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks an IANA zone name.
 * @throws PrescaleError `InvalidConfig` naming `field` when the runtime does not know it.
 */
export function timeZoneName(field: string, value: unknown): string {
  if (!isTimeZone(value)) throw new PrescaleError('InvalidConfig', field, value, 'must be an IANA time zone name such as Europe/Berlin or America/New_York');
  return value;
}

/** The offset at `ms` read from the formatter, minutes east of UTC (whole minutes). */
function readOffset(timeZone: string, ms: number): number {
  const at = Math.floor(ms / 60_000) * 60_000;
  const part: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(at)) if (p.type !== 'literal') part[p.type] = Number(p.value);
  const wall = Date.UTC(part.year ?? 1970, (part.month ?? 1) - 1, part.day ?? 1, part.hour ?? 0, part.minute ?? 0, part.second ?? 0);
  return Math.round((wall - at) / 60_000);
}

function cached<K, V>(outer: Map<string, Map<K, V>>, zone: string, key: K, compute: () => V): V {
  let inner = outer.get(zone);
  if (inner === undefined) outer.set(zone, (inner = new Map()));
  let v = inner.get(key);
  if (v === undefined) inner.set(key, (v = compute()));
  return v;
}

/**
 * The UTC offset of `timeZone` at `ms`, minutes east of UTC (+60 for Berlin in winter,
 * +120 in summer). Assumes at most one change of offset within a UTC day, as every
 * zone of the tz database has had since 1970.
 * @throws PrescaleError `InvalidConfig` for an unknown zone, `InvalidTime` for a time that is not finite.
 */
export function zoneOffsetMinutes(timeZone: string, ms: number): number {
  if (!Number.isFinite(ms)) throw new PrescaleError('InvalidTime', 'ms', ms, 'must be a finite time');
  // A zone with cached days is known; only a new one is checked (a forecast reads thousands of bins).
  const zone = dayOffsets.has(timeZone) ? timeZone : timeZoneName('timeZone', timeZone);
  return offsetIn(zone, ms);
}

/** The offset at `ms` in a zone already checked. */
function offsetIn(zone: string, ms: number): number {
  const day = Math.floor(ms / DAY);
  const start = cached(dayOffsets, zone, day, () => readOffset(zone, day * DAY));
  const next = cached(dayOffsets, zone, day + 1, () => readOffset(zone, (day + 1) * DAY));
  if (start === next) return start;
  // A change within the day: find its minute once by bisection.
  const change = cached(changes, zone, day, () => {
    let lo = day * DAY; // offset = start
    let hi = (day + 1) * DAY; // offset = next
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (readOffset(zone, mid) === start) lo = mid;
      else hi = mid;
    }
    return hi;
  });
  return ms < change ? start : next;
}

/** A zone's local axis for one bin width (see the module comment). Plain data. */
export interface ZoneAxis {
  timeZone: string;
  binMs: number;
  /** The zone's offset at the anchor, minutes: the axis' `utcOffsetMinutes`. */
  baseOffsetMinutes: number;
}

/**
 * The local axis of `timeZone` for bins of `binMs`, anchored at `anchorMs`.
 * @throws PrescaleError `InvalidConfig` for an unknown zone or a bin that is not a positive whole number of ms.
 */
export function zoneAxis(timeZone: string, binMs: number, anchorMs: number): ZoneAxis {
  if (!Number.isInteger(binMs) || binMs <= 0) throw new PrescaleError('InvalidConfig', 'binMs', binMs, 'must be a positive whole number of ms');
  return { timeZone: timeZoneName('timeZone', timeZone), binMs, baseOffsetMinutes: zoneOffsetMinutes(timeZone, anchorMs) };
}

/** `λ(u)`: the position of instant `u` on the axis, ms (moved by whole bins). */
export function toLocalAxis(axis: ZoneAxis, ms: number): number {
  const shift = (zoneOffsetMinutes(axis.timeZone, ms) - axis.baseOffsetMinutes) * 60_000;
  if (shift === 0) return ms;
  return ms + Math.round(shift / axis.binMs) * axis.binMs;
}
