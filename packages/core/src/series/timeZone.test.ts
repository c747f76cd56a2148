import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isPrescaleError } from '../errors.js';
import { LONG_TEST_TIMEOUT_MS, RUNS } from '../testSupport.js';
import { isTimeZone, timeZoneName, toLocalAxis, zoneAxis, zoneOffsetMinutes } from './timeZone.js';
import { toZoneAxis } from './zonedSeries.js';

const HOUR = 3_600_000;
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/Sao_Paulo'];

/** The wall clock at `ms` in `zone`, as ms of a UTC date (read straight from Intl, minute by minute). */
function wallClock(zone: string, ms: number): number {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
  const p: Record<string, number> = {};
  for (const x of f.formatToParts(ms)) if (x.type !== 'literal') p[x.type] = Number(x.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!);
}

describe('zone offsets', () => {
  // EU summer time (Directive 2000/84/EC): from 01:00 UTC on the last Sunday of March
  // to 01:00 UTC on the last Sunday of October; Berlin is UTC+1 outside it.
  it('change at 01:00 UTC on the last Sundays of March and October in Berlin', () => {
    const spring = Date.UTC(2025, 2, 30, 1);
    const autumn = Date.UTC(2025, 9, 26, 1);
    expect(zoneOffsetMinutes('Europe/Berlin', spring - 60_000)).toBe(60);
    expect(zoneOffsetMinutes('Europe/Berlin', spring)).toBe(120);
    expect(zoneOffsetMinutes('Europe/Berlin', autumn - 60_000)).toBe(120);
    expect(zoneOffsetMinutes('Europe/Berlin', autumn)).toBe(60);
  });

  test.prop([fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(1990, 0, 1) / 60_000, max: Date.UTC(2040, 0, 1) / 60_000 })], { numRuns: RUNS })(
    'read in the offset, an instant is the wall clock the zone shows',
    (zone, minute) => {
      const ms = minute * 60_000;
      expect(ms + zoneOffsetMinutes(zone, ms) * 60_000).toBe(wallClock(zone, ms));
    },
    LONG_TEST_TIMEOUT_MS,
  );

  it('refuse a zone the runtime does not know, with the field named', () => {
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    const error = (() => {
      try {
        timeZoneName('predictive.timeZone', 'Mars/Olympus_Mons');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isPrescaleError(error) && error.field === 'predictive.timeZone').toBe(true);
    expect(() => zoneOffsetMinutes('Europe/Berlin', Number.NaN)).toThrow(/finite/);
  });
});

describe('the local axis', () => {
  test.prop(
    [fc.constantFrom('Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'America/Sao_Paulo'), fc.integer({ min: Date.UTC(2000, 0, 1) / HOUR, max: Date.UTC(2035, 0, 1) / HOUR }), fc.integer({ min: -400 * 24, max: 400 * 24 })],
    { numRuns: RUNS },
  )(
    'with hour bins, a position read in the anchor offset is the wall clock (zones whose changes are whole hours)',
    (zone, anchorHour, later) => {
      const axis = zoneAxis(zone, HOUR, anchorHour * HOUR);
      const u = (anchorHour + later) * HOUR;
      expect(toLocalAxis(axis, u) + axis.baseOffsetMinutes * 60_000).toBe(wallClock(zone, u));
    },
    LONG_TEST_TIMEOUT_MS,
  );

  it('puts a local-time weekly peak a whole number of weeks apart across the spring and autumn changes', () => {
    const start = Date.UTC(2025, 2, 3); // a Monday, 4 weeks before the EU spring change
    const values: number[] = [];
    const peaks: number[] = [];
    for (let i = 0; i < 35 * 24; i++) {
      const wall = new Date(wallClock('Europe/Berlin', start + i * HOUR));
      const peak = wall.getUTCDay() === 1 && wall.getUTCHours() === 9;
      if (peak) peaks.push(i);
      values.push(peak ? 100 : 1);
    }
    // In UTC the Mondays 09:00 are not a week apart across the change …
    const gaps = peaks.slice(1).map((p, k) => p - peaks[k]!);
    expect(gaps.some((g) => g !== 168)).toBe(true);
    // … on the local axis they are.
    const local = toZoneAxis({ startMs: start, binMs: HOUR, values, utcOffsetMinutes: 0 }, zoneAxis('Europe/Berlin', HOUR, start + 34 * 24 * HOUR));
    const at = local.values.flatMap((v, j) => (v === 100 ? [j] : []));
    expect(at.length).toBe(peaks.length);
    expect(at.slice(1).map((p, k) => p - at[k]!)).toEqual(at.slice(1).map(() => 168));
    // The skipped hour is a gap, never a zero.
    expect(local.values.filter((v) => v === null).length).toBe(1);
  });

  it('averages the repeated autumn hour and keeps every other bin', () => {
    const start = Date.UTC(2025, 9, 25); // the day before the EU autumn change
    const values = Array.from({ length: 48 }, (_, i) => i);
    const local = toZoneAxis({ startMs: start, binMs: HOUR, values, utcOffsetMinutes: 0 }, zoneAxis('Europe/Berlin', HOUR, start));
    expect(local.values.length).toBe(47);
    expect(local.values.filter((v) => v === null).length).toBe(0);
    // 00:00 and 01:00 UTC on the 26th are both 02:00 local: one bin holding their mean.
    const sum = (xs: Array<number | null>) => xs.reduce<number>((a, v) => a + (v ?? 0), 0);
    expect(sum(local.values)).toBe(sum(values) - (24 + 25) / 2);
  });
});
