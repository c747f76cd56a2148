/**
 * Against a real Prometheus (Debian's package; see testSupport/realPrometheus.ts): the
 * history loader over three weeks of NASA-HTTP backfilled with promtool, Prometheus'
 * own /metrics through the parser, and a fake vLLM pod scraped both by Prometheus and
 * directly. Without the binaries these tests fail in CI and skip loudly elsewhere.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BinnedSeries, observedBins, parseCountTrace, sliceSeries } from '@prescale/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusError } from './errors.js';
import { parseExposition } from './exposition/parseExposition.js';
import type { MetricFamily } from './exposition/types.js';
import { formatLabels } from './http/apiResponse.js';
import { createPrometheusClient, type InstantSample, type PrometheusClient } from './http/client.js';
import { loadHistory } from './history/loadHistory.js';
import { readPods } from './scrape/readPods.js';
import { type PodScrape, scrapePods } from './scrape/scrapePods.js';
import { type FakeVllm, fakeVllm, type MetricsServer, serveOnLoopback, serveVllm } from './testSupport/metricsServer.js';
import { findPrometheus, gaugeOpenMetrics, MISSING_PROMETHEUS, type RealPrometheus, startPrometheus } from './testSupport/realPrometheus.js';

const bins = findPrometheus();
const inCi = !!process.env.CI;
if (bins === null && !inCi) console.warn(`\n${'!'.repeat(100)}\n${MISSING_PROMETHEUS}\n${'!'.repeat(100)}\n`);

const DAY = 86_400_000;
/** Three weeks of NASA-HTTP that hold both of its gaps (07-28..07-31 and 08-01..08-03). */
const FROM = Date.parse('1995-07-22T00:00:00-04:00');
const TO = FROM + 21 * DAY;

function ok(scrape: PodScrape | undefined): MetricFamily[] {
  if (scrape === undefined || !scrape.ok) throw scrape?.error ?? new Error('no scrape');
  return scrape.families;
}

/** Every sample of a page by its full series key. */
function samplesByKey(families: MetricFamily[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of families) for (const s of f.samples) out.set(formatLabels({ ...s.labels, __name__: s.name }), s.value);
  return out;
}

/** Samples Prometheus ingested, keyed as the page had them (without `job` and `instance`). */
function withoutTargetLabels(samples: readonly InstantSample[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) {
    const { job: _job, instance: _instance, ...labels } = s.labels;
    out.set(formatLabels(labels), s.value);
  }
  return out;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(bins === null && !inCi)('a real Prometheus', () => {
  let server: RealPrometheus | undefined;
  let pod: MetricsServer | undefined;
  let vllm: FakeVllm;
  let client: PrometheusClient;
  let nasa: BinnedSeries;
  let copy: MetricsServer | undefined;
  let ownPage: string | undefined;

  beforeAll(async () => {
    if (bins === null) throw new Error(MISSING_PROMETHEUS);
    nasa = sliceSeries(parseCountTrace(readFileSync(join(process.env.PRESCALE_SHARED!, 'data/nasa_http_1995/arrivals_1min.csv'), 'utf8'), 'nasa'), FROM, TO);
    vllm = fakeVllm();
    pod = await serveVllm(vllm);
    copy = await serveOnLoopback((_, response) => {
      response.statusCode = ownPage === undefined ? 503 : 200;
      response.setHeader('content-type', 'text/plain; version=0.0.4');
      response.end(ownPage ?? 'not yet');
    });
    server = await startPrometheus(bins, {
      backfill: [gaugeOpenMetrics('nasa_http_requests', '{trace="nasa_http_1995"}', nasa.startMs, nasa.binMs, nasa.values)],
      scrapeConfigs: [
        `  - job_name: vllm\n    static_configs:\n      - targets: ['${pod.target}']`,
        `  - job_name: copy\n    static_configs:\n      - targets: ['${copy.target}']`,
      ].join('\n'),
    });
    client = createPrometheusClient({ url: server.url, timeoutMs: 10_000 });
  }, 40_000);

  afterAll(async () => {
    await server?.stop();
    await pod?.close();
    await copy?.close();
  });

  it('loads three weeks of backfilled NASA-HTTP (30,240 minutes, 3 chunks) exactly, gaps as gaps', async () => {
    expect(nasa.values).toHaveLength(30_240);
    expect(nasa.values.length - observedBins(nasa)).toBeGreaterThan(5_000); // the window holds both gaps
    const chunksSeen: number[] = [];
    // Backfilled samples carry no staleness markers, so a bare selector would repeat the
    // last value for the lookback delta (5 m) into each gap; a window shorter than the
    // step returns exactly the sample at each instant.
    const history = await loadHistory(client, {
      query: 'last_over_time(nasa_http_requests[59s])',
      fromMs: FROM,
      toMs: TO,
      stepMs: 60_000,
      utcOffsetMinutes: -240,
      stamp: 'start',
      onChunk: (done) => chunksSeen.push(done),
    });
    expect(history.chunks).toBe(3);
    expect(chunksSeen.sort()).toEqual([1, 2, 3]);
    expect(history.labels).toMatchObject({ trace: 'nasa_http_1995' });
    expect(history.series).toStrictEqual(nasa);
    expect(history.gaps).toBe(nasa.values.length - observedBins(nasa));
  });

  it('agrees with PromQL on the total, and the server itself refuses the span in one query', async () => {
    const total = nasa.values.reduce<number>((a, v) => a + (v ?? 0), 0);
    const r = await client.query('sum_over_time(nasa_http_requests[21d])', { timeMs: TO - 1 });
    expect(r.resultType === 'vector' && r.samples[0]?.value).toBe(total);
    const oneShot = createPrometheusClient({ url: server!.url, maxPointsPerQuery: 40_000, retries: 0 });
    const error = await oneShot.queryRange('nasa_http_requests', { startMs: FROM, endMs: TO - 60_000, stepMs: 60_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusError);
    expect(error).toMatchObject({ code: 'QueryFailed', status: 400, errorType: 'bad_data', url: expect.stringContaining('/api/v1/query_range?query=nasa_http_requests') });
    expect((error as Error).message).toMatch(/11,000 points/);
  });

  it('reports a bad query as QueryFailed with the HTTP status and errorType', async () => {
    const error = await client.query('sum(').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'QueryFailed', status: 400, errorType: 'bad_data' });
  });

  it("parses Prometheus' own /metrics to exactly the samples Prometheus reads from the same page", async () => {
    const page = await (await fetch(`${server!.url}/metrics`)).text();
    ownPage = page; // from now on the copy target serves this text
    const families = parseExposition(page, { source: 'prometheus /metrics' });
    const types = new Set(families.map((f) => f.type));
    for (const t of ['counter', 'gauge', 'histogram', 'summary'] as const) expect(types).toContain(t);
    // Each histogram's +Inf bucket is its count.
    let histograms = 0;
    for (const f of families.filter((f) => f.type === 'histogram')) {
      const counts = new Map<string, number>();
      for (const s of f.samples) if (s.name.endsWith('_count')) counts.set(formatLabels(s.labels), s.value);
      for (const s of f.samples) {
        if (s.name.endsWith('_bucket') && s.labels.le === '+Inf') {
          const { le: _, ...rest } = s.labels;
          expect(counts.get(formatLabels(rest))).toBe(s.value);
          histograms++;
        }
      }
    }
    expect(histograms).toBeGreaterThan(5);
    // Prometheus' own parser on the same text, through a scrape of the copy.
    const ingested = await until('Prometheus to scrape the copy of its page', async () => {
      const r = await client.query('{job="copy", __name__!~"up|scrape_.*"}');
      return r.resultType === 'vector' && r.samples.length > 0 ? r.samples : undefined;
    });
    expect(withoutTargetLabels(ingested)).toEqual(samplesByKey(families));
  }, 30_000);

  it('scrapes a fake vLLM pod directly and gets what Prometheus scraped from it', async () => {
    const scraped = await until('Prometheus to scrape the fake pod', async () => {
      const r = await client.query('{job="vllm", __name__!~"up|scrape_.*"}');
      return r.resultType === 'vector' && r.samples.some((s) => s.labels.__name__ === 'vllm:num_requests_waiting') ? r.samples : undefined;
    });
    const fromPrometheus = withoutTargetLabels(scraped);
    const [om] = await scrapePods([{ pod: 'vllm-0', url: pod!.url }]);
    const [text] = await scrapePods([{ pod: 'vllm-0', url: pod!.url }], { accept: 'text/plain' });
    const direct = samplesByKey(ok(om));
    expect(samplesByKey(ok(text))).toEqual(direct);
    expect(direct.size).toBeGreaterThan(50);
    expect(fromPrometheus).toEqual(direct);

    // Quantiles of the same buckets: PromQL's histogram_quantile and readPods'.
    for (const q of [0.1, 0.5, 0.9, 0.99]) {
      const r = await client.query(`histogram_quantile(${q}, vllm:time_to_first_token_seconds_bucket{job="vllm"})`);
      const promql = r.resultType === 'vector' ? r.samples[0]?.value : undefined;
      const ours = readPods(undefined, [om!], { ttft: { kind: 'quantile', metric: 'vllm:time_to_first_token_seconds', q, over: 'lifetime' } }).values.ttft![0]!.value;
      expect(ours).not.toBeNull();
      expect(ours).toBeCloseTo(promql!, 12);
    }
  }, 30_000);
});
