import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { RUNS } from '../testSupport.js';
import { CountArrivals } from './arrivals.js';
import { builtInLengths } from './lengths.js';

const series = fc.record({
  binSeconds: fc.constantFrom(1, 60, 600),
  values: fc.array(fc.oneof(fc.constant(null), fc.double({ min: 0, max: 40, noNaN: true })), { maxLength: 30 }),
});

test.prop([series, fc.nat({ max: 5 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })], { numRuns: RUNS })(
  'counting arrivals by time only gives the times the full stream gives (the one compare.ts counts per window)',
  ({ binSeconds, values }, seed, a, b) => {
    const total = values.length * binSeconds;
    const from = Math.min(a, b) * total;
    const to = Math.max(a, b) * total;
    const s = { startMs: 0, binMs: binSeconds * 1000, values, utcOffsetMinutes: 0 };
    const full = new CountArrivals(s, builtInLengths(), 4096, seed, from, to);
    const timesOnly = new CountArrivals(s, builtInLengths(), 4096, seed, from, to);
    const fullTimes: number[] = [];
    const onlyTimes: number[] = [];
    while (full.next()) fullTimes.push(full.time);
    while (timesOnly.nextTime()) onlyTimes.push(timesOnly.time);
    expect(onlyTimes).toEqual(fullTimes);
  },
);
