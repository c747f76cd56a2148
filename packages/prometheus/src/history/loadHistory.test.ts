import { formatCountTrace, parseCountTrace } from '@prescale/core';
import { describe, expect, it } from 'vitest';
import { createPrometheusClient } from '../http/client.js';
import { fakeFetch, type FakeSeries, json, rangeAnswer } from '../testSupport/fakeFetch.js';
import { LONG_TEST_TIMEOUT_MS } from '../testSupport/runs.js';
import { loadHistory } from './loadHistory.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-02T00:00:00Z'); // a Monday

function clientOver(series: FakeSeries[], extra: Record<string, unknown> = {}) {
  const fetch = fakeFetch((call) => {
    const answer = rangeAnswer(series, call.params);
    if (Object.keys(extra).length === 0) return answer;
    return answer.json().then((body) => json({ ...(body as object), ...extra }));
  });
  return { fetch, client: createPrometheusClient({ url: 'http://prom.test', fetch, sleep: async () => undefined }) };
}

describe('loadHistory', () => {
  // Requests per hour, stamped at the end of each hour (as increase(x[1h]) is), with a
  // two-hour hole and a NaN.
  const hourly: FakeSeries = {
    labels: {},
    at: (t) => (t === T0 + 5 * HOUR || t === T0 + 6 * HOUR ? null : t === T0 + 9 * HOUR ? Number.NaN : (t - T0) / HOUR),
  };

  it('fills whole bins inside [from, to): the value at t is the bin ending at t; holes and NaN are gaps', async () => {
    const { fetch, client } = clientOver([hourly]);
    const r = await loadHistory(client, { query: 'sum(increase(x[1h]))', fromMs: T0 - 10 * 60_000, toMs: T0 + 12 * HOUR + 5 * 60_000, stepMs: HOUR });
    expect(r.series).toEqual({
      startMs: T0,
      binMs: HOUR,
      utcOffsetMinutes: 0,
      values: [1, 2, 3, 4, null, null, 7, 8, null, 10, 11, 12],
    });
    expect(r).toMatchObject({ gaps: 3, implausible: 1, nonFinite: 1, chunks: 1, warnings: [] });
    expect([fetch.calls[0]!.params.get('start'), fetch.calls[0]!.params.get('end')]).toEqual([String((T0 + HOUR) / 1000), String((T0 + 12 * HOUR) / 1000)]);
    // And it writes and reads back as a count trace, gaps as empty fields.
    expect(parseCountTrace(formatCountTrace(r.series), 'h')).toEqual(r.series);
  });

  it('reads values outside the plausible range of demand as gaps and counts them, per bin or per second', async () => {
    const odd: FakeSeries = { labels: {}, at: (t) => [5, -3, 1e308, Number.NaN, 3.6e12, 3.6e12 + 1, 1.5e9, 2][(t - T0) / HOUR - 1] ?? null };
    const { client } = clientOver([odd]);
    const range = { query: 'x', fromMs: T0, toMs: T0 + 8 * HOUR, stepMs: HOUR };
    const perBin = await loadHistory(client, range);
    expect(perBin.series.values).toEqual([5, null, null, null, 3.6e12, null, 1.5e9, 2]);
    expect(perBin).toMatchObject({ gaps: 4, implausible: 4, nonFinite: 1 });
    const perSecond = await loadHistory(client, { ...range, unit: 'perSecond' });
    expect(perSecond.series.values).toEqual([5, null, null, null, null, null, null, 2]);
    expect(perSecond).toMatchObject({ gaps: 6, implausible: 6, nonFinite: 1 });
  });

  it('with stamp "start", the value at t is the bin starting at t', async () => {
    const { client } = clientOver([hourly]);
    const r = await loadHistory(client, { query: 'x', fromMs: T0, toMs: T0 + 4 * HOUR, stepMs: HOUR, stamp: 'start' });
    expect(r.series.values).toEqual([0, 1, 2, 3]);
  });

  it('aligns bins to local time: daily bins start at local midnight', async () => {
    const { client } = clientOver([{ labels: {}, at: () => 1 }]);
    const r = await loadHistory(client, { query: 'x', fromMs: T0, toMs: T0 + 3 * 24 * HOUR, stepMs: 24 * HOUR, utcOffsetMinutes: -240 });
    expect(r.series.startMs).toBe(T0 + 4 * HOUR); // 2026-11-02T00:00-04:00
    expect(r.series.values).toEqual([1, 1]);
    expect(formatCountTrace(r.series).split('\n')[1]).toBe('2026-11-02T00:00:00-04:00,1');
  });

  it('chunks a long range (12 weeks at 1 minute: 120,960 bins in 11 requests)', async () => {
    const { fetch, client } = clientOver([{ labels: { job: 'vllm' }, at: (t) => (t / 60_000) % 1440 }]);
    const r = await loadHistory(client, { query: 'x', fromMs: T0, toMs: T0 + 12 * 7 * 24 * HOUR, stepMs: 60_000 });
    expect(fetch.calls).toHaveLength(11);
    expect(r.series.values).toHaveLength(120_960);
    expect(r.series.values.every((v, i) => v === ((T0 / 60_000 + i + 1) % 1440))).toBe(true);
    expect(r.labels).toEqual({ job: 'vllm' });
  }, LONG_TEST_TIMEOUT_MS);

  it('refuses what is not one complete series', async () => {
    const range = { query: 'x', fromMs: T0, toMs: T0 + 3 * HOUR, stepMs: HOUR };
    await expect(loadHistory(clientOver([]).client, range)).rejects.toMatchObject({ code: 'NoData' });
    const two = clientOver([{ labels: { pod: 'a' }, at: () => 1 }, { labels: { pod: 'b' }, at: () => 2 }]);
    await expect(loadHistory(two.client, range)).rejects.toMatchObject({ code: 'MultipleSeries', message: expect.stringMatching(/2 series .*pod="a".*sum\(/) });
    const warned = clientOver([hourly], { warnings: ['store gateway unreachable: partial response'] });
    await expect(loadHistory(warned.client, range)).rejects.toMatchObject({ code: 'Warnings', warnings: ['store gateway unreachable: partial response'] });
    await expect(loadHistory(warned.client, { ...range, allowWarnings: true })).resolves.toMatchObject({ warnings: ['store gateway unreachable: partial response'] });
  });

  it.each([
    ['no whole bin', { fromMs: T0 + 1, toMs: T0 + HOUR + 1, stepMs: HOUR }],
    ['to before from', { fromMs: T0 + HOUR, toMs: T0, stepMs: HOUR }],
    ['a zero step', { fromMs: T0, toMs: T0 + HOUR, stepMs: 0 }],
    ['a fractional offset', { fromMs: T0, toMs: T0 + 2 * HOUR, stepMs: HOUR, utcOffsetMinutes: 30.5 }],
  ])('rejects %s', async (_, range) => {
    await expect(loadHistory(clientOver([hourly]).client, { query: 'x', ...range })).rejects.toMatchObject({ code: 'InvalidArgument' });
  });
});
