/**
 * Loading 12 weeks at a 1-minute step (120,960 points, 11 range requests) from a local
 * Prometheus (target, issue #5: ≤ 3 s). The server is Debian's prometheus with the
 * 12 weeks backfilled by promtool (testSupport/realPrometheus.ts); without it this file
 * benchmarks nothing and says so. The baseline sends the same 11 requests with bare
 * `fetch` and `JSON.parse`, in the same process: the cost of Prometheus evaluating and
 * sending the points, which the loader cannot go below.
 */
import { afterAll, bench, describe } from 'vitest';
import { createPrometheusClient, loadHistory, planRange } from '@prescale/prometheus';
import { findPrometheus, gaugeOpenMetrics, MISSING_PROMETHEUS, startPrometheus } from '../src/testSupport/realPrometheus.js';

const MIN = 60_000;
const START = Date.parse('2026-01-05T00:00:00Z');
const POINTS = 12 * 7 * 1440;
/** Requests per minute with a daily and weekly shape and some deterministic noise. */
const values = Array.from({ length: POINTS }, (_, i) => {
  const day = Math.sin((2 * Math.PI * (i % 1440)) / 1440);
  const weekend = Math.floor(i / 1440) % 7 >= 5 ? 0.6 : 1;
  return Math.round((120 + 80 * day) * weekend + ((i * 2654435761) % 97) / 10);
});
const QUERY = 'last_over_time(requests_per_minute[59s])';

const bins = findPrometheus();
if (bins === null) console.warn(`\n${MISSING_PROMETHEUS}\nbench/history.bench.ts measures nothing.\n`);
const server = bins === null ? null : await startPrometheus(bins, { backfill: [gaugeOpenMetrics('requests_per_minute', '', START, MIN, values)] });

describe.skipIf(server === null)('load 12 weeks at a 1-minute step from a local Prometheus', () => {
  afterAll(() => server?.stop());
  const url = server?.url ?? 'http://127.0.0.1:9';
  const client = createPrometheusClient({ url });
  const plan = planRange({ startMs: START, endMs: START + (POINTS - 1) * MIN, stepMs: MIN });
  let points = 0;

  bench(
    `baseline: the same ${plan.chunks.length} requests with fetch and JSON.parse`,
    async () => {
      for (const chunk of plan.chunks) {
        const params = new URLSearchParams({ query: QUERY, start: String(chunk.startMs / 1000), end: String(chunk.endMs / 1000), step: '60' });
        const body = JSON.parse(await (await fetch(`${url}/api/v1/query_range?${params}`)).text()) as { data: { result: Array<{ values: unknown[] }> } };
        points += body.data.result[0]!.values.length;
      }
    },
    { iterations: 8, warmupIterations: 2, time: 0 },
  );

  bench(
    `loadHistory: ${POINTS.toLocaleString('en-US')} points as a BinnedSeries`,
    async () => {
      const h = await loadHistory(client, { query: QUERY, fromMs: START, toMs: START + POINTS * MIN, stepMs: MIN, stamp: 'start' });
      if (h.gaps !== 0 || h.chunks !== plan.chunks.length || h.series.values[POINTS - 1] !== values[POINTS - 1]) throw new Error('the load did not return the backfilled series');
      points += h.series.values.length;
    },
    { iterations: 8, warmupIterations: 2, time: 0 },
  );

  bench.skip(`points ${points}`, () => undefined);
});
