import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { LONG_TEST_TIMEOUT_MS, RUNS } from '../testSupport.js';
import { type BinnedSeries, observedBins, rebin, sliceSeries } from './binnedSeries.js';
import { formatCountTrace, parseCountTrace, parseCountTraceDetailed } from './countTrace.js';

const shared = process.env.PRESCALE_SHARED!;

describe('count trace on the real traces', () => {
  it('reads NASA-HTTP 1995: 89,280 one-minute bins, 7,210 of them gaps, in EDT', () => {
    const text = readFileSync(join(shared, 'data/nasa_http_1995/arrivals_1min.csv'), 'utf8');
    const s = parseCountTrace(text, 'nasa');
    expect(s).toMatchObject({ startMs: Date.parse('1995-07-01T04:00:00Z'), binMs: 60_000, utcOffsetMinutes: -240 });
    expect(s.values).toHaveLength(89_280);
    expect(s.values.length - observedBins(s)).toBe(7_210);
    expect(formatCountTrace(s)).toBe(text.endsWith('\n') ? text : `${text}\n`);
  }, LONG_TEST_TIMEOUT_MS);

  it('reads ServeGen M-small at 10 minutes and re-bins it to an hour', () => {
    const s = parseCountTrace(readFileSync(join(shared, 'data/servegen_m_small/arrivals_10min.csv'), 'utf8'), 'servegen');
    expect(s.values).toHaveLength(2_016);
    const hourly = rebin(s, 3_600_000);
    expect(hourly.values).toHaveLength(336);
    expect(hourly.values[0]).toBe(s.values.slice(0, 6).reduce((a, b) => a! + b!, 0));
  });
});

describe('count trace bad input names the source and line', () => {
  const head = 't_start_iso,requests\n';
  const cases: Array<[string, string, RegExp]> = [
    ['a wrong header', 'time,count\n2020-01-01T00:00:00Z,1\n', /x\.csv line 1 .*header/],
    ['a time without offset', `${head}2020-01-01T00:00:00,1\n2020-01-01T00:01:00Z,1\n`, /x\.csv line 2 .*ISO-8601/],
    ['a non-numeric count', `${head}2020-01-01T00:00:00Z,1\n2020-01-01T00:01:00Z,lots\n`, /x\.csv line 3 .*number/],
    ['unsorted rows', `${head}2020-01-01T00:01:00Z,1\n2020-01-01T00:00:00Z,1\n`, /x\.csv line 3 .*sorted/],
    ['a duplicate time', `${head}2020-01-01T00:00:00Z,1\n2020-01-01T00:00:00Z,1\n`, /x\.csv line 3 .*repeats/],
    ['mixed bin widths', `${head}2020-01-01T00:00:00Z,1\n2020-01-01T00:01:00Z,1\n2020-01-01T00:03:00Z,1\n`, /x\.csv line 4 .*mixed bin widths/],
    ['no rows', head, /no rows/],
    ['only gaps', `${head}2020-01-01T00:00:00Z,\n2020-01-01T00:01:00Z,\n`, /every bin is a gap/],
    ['only implausible counts', `${head}2020-01-01T00:00:00Z,-1\n2020-01-01T00:01:00Z,1e300\n`, /every bin is a gap \(2 with counts that are not plausible demand\)/],
    ['three fields', `${head}2020-01-01T00:00:00Z,1,2\n`, /x\.csv line 2 .*two fields/],
  ];
  it.each(cases)('%s', (_, text, message) => {
    expect(() => parseCountTrace(text, 'x.csv')).toThrowError(expect.objectContaining({ code: 'InvalidTrace', message: expect.stringMatching(message) }));
  });
});

describe('count trace: implausible counts', () => {
  it('a negative count or one above a billion requests per second is a gap, counted and located', () => {
    const text = 't_start_iso,requests\n2020-01-01T00:00:00Z,1\n2020-01-01T00:01:00Z,-3\n\n2020-01-01T00:02:00Z,6e10\n2020-01-01T00:03:00Z,6.1e10\n2020-01-01T00:04:00Z,\n';
    expect(parseCountTraceDetailed(text, 'x.csv')).toEqual({
      series: { startMs: Date.UTC(2020, 0, 1), binMs: 60_000, values: [1, null, 6e10, null, null], utcOffsetMinutes: 0 },
      implausible: 2,
      firstImplausibleLine: 3,
    });
    expect(parseCountTrace(text, 'x.csv').values).toEqual([1, null, 6e10, null, null]);
  });
});

describe('binned series', () => {
  const s: BinnedSeries = { startMs: 0, binMs: 60_000, values: [1, 2, null, 4, 5, 6], utcOffsetMinutes: 0 };
  it('re-bins by summing and marks a bin with any gap as a gap', () => {
    expect(rebin(s, 120_000).values).toEqual([3, null, 11]);
    expect(() => rebin(s, 90_000)).toThrowError(expect.objectContaining({ code: 'InvalidTrace' }));
  });
  it('slices on bin boundaries', () => {
    expect(sliceSeries(s, 60_000, 240_000)).toMatchObject({ startMs: 60_000, values: [2, null, 4] });
  });
});

const series = fc.record({
  startMinute: fc.integer({ min: 0, max: 30_000_000 }),
  binMinutes: fc.integer({ min: 1, max: 1440 }),
  offset: fc.integer({ min: -12 * 4, max: 14 * 4 }).map((q) => q * 15),
  values: fc.array(fc.option(fc.nat({ max: 1e9 }), { freq: 6 }), { minLength: 2, maxLength: 60 }),
}).filter((r) => r.values.some((v) => v !== null));

test.prop([series], { numRuns: RUNS })('format then parse gives back the series', (r) => {
  const s: BinnedSeries = { startMs: r.startMinute * 60_000, binMs: r.binMinutes * 60_000, values: r.values, utcOffsetMinutes: r.offset };
  expect(parseCountTrace(formatCountTrace(s), 'p')).toStrictEqual(s);
}, LONG_TEST_TIMEOUT_MS);
