import { createScaler, type PodSample, servingMean } from '@prescale/core';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { PrometheusError } from '../errors.js';
import { parseExposition } from '../exposition/parseExposition.js';
import { LONG_TEST_TIMEOUT_MS, RUNS } from '../testSupport/runs.js';
import { toPodSamples } from './podSamples.js';
import { type PodRead, type PodReadState, readPods } from './readPods.js';
import type { PodScrape } from './scrapePods.js';

const T0 = 1_700_000_000_000;

function ok(pod: string, atMs: number, text: string): PodScrape {
  return { pod, url: `http://${pod}/metrics`, atMs, durationMs: 3, ok: true, families: parseExposition(text) };
}
function failed(pod: string, atMs: number): PodScrape {
  return { pod, url: `http://${pod}/metrics`, atMs, durationMs: 3000, ok: false, error: new PrometheusError('Timeout', 'no complete answer within 3000 ms', { url: `http://${pod}/metrics` }) };
}

/** A vLLM page with two models, a counter and a TTFT histogram. */
function page(o: { waiting?: [number, number]; success?: number; buckets?: [number, number, number]; kv?: string }): string {
  const [w1, w2] = o.waiting ?? [3, 4];
  const [b1, b2, b3] = o.buckets ?? [1, 2, 2];
  return [
    '# TYPE vllm:num_requests_waiting gauge',
    `vllm:num_requests_waiting{model_name="a"} ${w1}`,
    `vllm:num_requests_waiting{model_name="b"} ${w2}`,
    '# TYPE vllm:kv_cache_usage_perc gauge',
    `vllm:kv_cache_usage_perc{model_name="a"} ${o.kv ?? '0.5'}`,
    '# TYPE vllm:request_success_total counter',
    `vllm:request_success_total{finished_reason="stop"} ${o.success ?? 100}`,
    `vllm:request_success_total{finished_reason="length"} 10`,
    '# TYPE vllm:time_to_first_token_seconds histogram',
    `vllm:time_to_first_token_seconds_bucket{le="0.1"} ${b1}`,
    `vllm:time_to_first_token_seconds_bucket{le="1"} ${b2}`,
    `vllm:time_to_first_token_seconds_bucket{le="+Inf"} ${b3}`,
    `vllm:time_to_first_token_seconds_count ${b3}`,
    '',
  ].join('\n');
}

const READS: Record<string, PodRead> = {
  waiting: { kind: 'gauge', metric: 'vllm:num_requests_waiting' },
  waitingA: { kind: 'gauge', metric: 'vllm:num_requests_waiting', match: { model_name: 'a' } },
  waitingMax: { kind: 'gauge', metric: 'vllm:num_requests_waiting', aggregate: 'max' },
  kv: { kind: 'gauge', metric: 'vllm:kv_cache_usage_perc' },
  rps: { kind: 'rate', metric: 'vllm:request_success_total' },
  stops: { kind: 'rate', metric: 'vllm:request_success_total', match: { finished_reason: 'stop' } },
  ttft50: { kind: 'quantile', metric: 'vllm:time_to_first_token_seconds', q: 0.5 },
  ttft50Lifetime: { kind: 'quantile', metric: 'vllm:time_to_first_token_seconds', q: 0.5, over: 'lifetime' },
  absent: { kind: 'gauge', metric: 'vllm:no_such_metric' },
};

describe('readPods', () => {
  it('reads gauges (summed, matched, max), and needs a previous scrape for rates and interval quantiles', () => {
    const { values } = readPods(undefined, [ok('p0', T0, page({}))], READS);
    expect(values.waiting).toEqual([{ pod: 'p0', value: 7 }]);
    expect(values.waitingA).toEqual([{ pod: 'p0', value: 3 }]);
    expect(values.waitingMax).toEqual([{ pod: 'p0', value: 4 }]);
    expect(values.kv).toEqual([{ pod: 'p0', value: 0.5 }]);
    expect(values.rps).toEqual([{ pod: 'p0', value: null, reason: 'FirstScrape' }]);
    expect(values.ttft50).toEqual([{ pod: 'p0', value: null, reason: 'FirstScrape' }]);
    expect(values.ttft50Lifetime).toEqual([{ pod: 'p0', value: 0.1 }]); // rank 1 of 2 ends (0, 0.1]
    expect(values.absent).toEqual([{ pod: 'p0', value: null, reason: 'Absent' }]);
  });

  it('turns counters into per-second rates and histograms into quantiles of the interval', () => {
    const first = readPods(undefined, [ok('p0', T0, page({}))], READS);
    const { values } = readPods(first.state, [ok('p0', T0 + 10_000, page({ success: 150, buckets: [1, 12, 12] }))], READS);
    expect(values.rps).toEqual([{ pod: 'p0', value: 5 }]); // (150 − 100) / 10 s
    expect(values.stops).toEqual([{ pod: 'p0', value: 5 }]);
    // In the interval: 0 ≤ 0.1, 10 ≤ 1, 10 in all → the median is halfway into (0.1, 1].
    expect(values.ttft50![0]!.value).toBeCloseTo(0.55, 12);
  });

  it('counts a counter that went down as restarted from 0, and a new series only from its second scrape', () => {
    const first = readPods(undefined, [ok('p0', T0, page({ success: 100 }))], READS);
    const { values } = readPods(first.state, [ok('p0', T0 + 10_000, page({ success: 20 }))], READS);
    expect(values.stops).toEqual([{ pod: 'p0', value: 2 }]); // 20 since the restart, over 10 s
    const other = readPods(first.state, [ok('p0', T0 + 10_000, `${page({})}vllm:request_success_total{finished_reason="abort"} 30\n`)], { rps: READS.rps! });
    expect(other.values.rps).toEqual([{ pod: 'p0', value: 0 }]); // the stop and length series did not move
    const firstSight = readPods(readPods(undefined, [ok('p0', T0, '# TYPE up gauge\nup 1\n')], READS).state, [ok('p0', T0 + 10_000, page({}))], READS);
    expect(firstSight.values.rps).toEqual([{ pod: 'p0', value: null, reason: 'FirstScrape' }]); // not 110 in 10 s
  });

  it('reports a failed pod as missing with its error, never 0, and rates over the last good scrape', () => {
    let state: PodReadState | undefined = readPods(undefined, [ok('p0', T0, page({})), ok('p1', T0, page({}))], READS).state;
    const r = readPods(state, [ok('p0', T0 + 10_000, page({ success: 110 })), failed('p1', T0 + 10_000)], READS);
    for (const name of Object.keys(READS)) {
      expect(r.values[name]![1]).toMatchObject({ pod: 'p1', value: null, reason: 'ScrapeFailed', error: { code: 'Timeout' } });
    }
    state = r.state;
    const later = readPods(state, [ok('p1', T0 + 20_000, page({ success: 140 }))], READS);
    expect(later.values.rps).toEqual([{ pod: 'p1', value: 2 }]); // 40 over the 20 s since its last good scrape
    expect(Object.keys(later.state.pods)).toEqual(['p1']); // p0 left the target list and the state
  });

  it('reports NaN and infinite values as not finite, and a histogram without observations as such', () => {
    const first = readPods(undefined, [ok('p0', T0, page({ kv: 'NaN' }))], READS);
    expect(first.values.kv).toEqual([{ pod: 'p0', value: null, reason: 'NotFinite' }]);
    const { values } = readPods(first.state, [ok('p0', T0 + 10_000, page({ kv: '+Inf' }))], READS);
    expect(values.kv).toEqual([{ pod: 'p0', value: null, reason: 'NotFinite' }]);
    expect(values.ttft50).toEqual([{ pod: 'p0', value: null, reason: 'NoObservations' }]);
  });

  it('keeps state as plain data: through JSON it gives the same values', () => {
    const first = readPods(undefined, [ok('p0', T0, page({}))], READS);
    const second = [ok('p0', T0 + 10_000, page({ success: 150, buckets: [1, 12, 12] }))];
    expect(readPods(JSON.parse(JSON.stringify(first.state)) as PodReadState, second, READS)).toEqual(readPods(first.state, second, READS));
  });

  const podCase = fc.constantFrom('ok', 'failed', 'absent', 'nan');
  test.prop([fc.array(podCase, { minLength: 1, maxLength: 8 }), fc.array(podCase, { minLength: 1, maxLength: 8 })], { numRuns: RUNS })(
    'a pod is null exactly when it failed, lacks the metric or exposed no number; otherwise its own value',
    (round1, round2) => {
      const scrape = (kinds: string[], atMs: number) =>
        kinds.map((kind, i) => {
          const pod = `p${i}`;
          if (kind === 'failed') return failed(pod, atMs);
          if (kind === 'absent') return ok(pod, atMs, '# TYPE other gauge\nother 1\n');
          return ok(pod, atMs, page({ waiting: [i, 0], kv: kind === 'nan' ? 'NaN' : '0.25', success: 100 + i * (atMs - T0) / 1000 }));
        });
      const reads = { waiting: READS.waiting!, kv: READS.kv!, rps: READS.rps! };
      const first = readPods(undefined, scrape(round1, T0), reads);
      const { values } = readPods(first.state, scrape(round2, T0 + 1_000), reads);
      round2.forEach((kind, i) => {
        const fine = kind === 'ok' || kind === 'nan';
        expect(values.waiting![i]!.value).toBe(fine ? i : null);
        expect(values.kv![i]!.value).toBe(kind === 'ok' ? 0.25 : null);
        const hadBefore = round1[i] === 'ok' || round1[i] === 'nan';
        expect(values.rps![i]!.value).toBe(fine && hadBefore ? i : null);
      });
    }, LONG_TEST_TIMEOUT_MS,
  );
});

describe('into core', () => {
  it('a failed pod is left out of the mean instead of pulling it to 0 (AIBrix #1032, #617)', () => {
    const first = readPods(undefined, [ok('a', T0, page({ waiting: [6, 4] })), ok('b', T0, page({ waiting: [6, 4] })), ok('c', T0, page({ waiting: [6, 4] }))], READS);
    const r = readPods(first.state, [ok('a', T0 + 10_000, page({ waiting: [6, 4] })), ok('b', T0 + 10_000, page({ waiting: [6, 4] })), failed('c', T0 + 10_000)], { waiting: READS.waiting! });
    const pods = toPodSamples(
      ['a', 'b', 'c', 'd'].map((name) => ({ name, phase: 'Running' as const, ready: true })),
      r.values,
    );
    expect(pods.map((p: PodSample) => p.metrics.waiting)).toEqual([10, 10, null, null]); // d was never scraped
    expect(servingMean(pods, 'waiting')).toEqual({ mean: 10, serving: 4 });
    // An APA scaler sees a mean of 10 per pod against a target of 10: no change from 4.
    const scaler = createScaler({ algorithm: 'apa', metric: 'waiting', config: { targetValue: 10, maxReplicas: 20 } });
    const { decision } = scaler.step(scaler.init({ now: T0, readyPods: 4 }), { now: T0 + 10_000, currentReplicas: 4, pods });
    expect(decision.desiredReplicas).toBe(4);
  });
});
