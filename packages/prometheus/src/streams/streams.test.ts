import { TestScheduler } from 'rxjs/testing';
import type { Observable } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PrometheusError } from '../errors.js';
import { createPrometheusClient } from '../http/client.js';
import { type Call, fakeFetch, json } from '../testSupport/fakeFetch.js';
import { type MetricsEvent, metrics$, query$ } from './metrics.js';
import { type PollEvent, poll$ } from './poll.js';

describe('poll$ (marbles, virtual time)', () => {
  const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  const boom = new Error('boom');
  const options = { intervalMs: 10, jitter: 0, backoff: { initialMs: 4, factor: 2, maxMs: 100, jitter: 0 } };

  it('polls after each success, backs off after consecutive failures, and stops on unsubscribe', () => {
    const s = scheduler();
    s.run(({ cold, expectObservable }) => {
      const outcomes: Array<Observable<number>> = [cold('--a|', { a: 1 }), cold<number>('-#', undefined, boom), cold<number>('-#', undefined, boom), cold('--b|', { b: 2 })];
      let calls = 0;
      const source = () => outcomes[calls++] ?? cold('--c|', { c: 3 });
      const events$ = poll$(source, { ...options, scheduler: s });
      // a at 2; wait 10 → try at 12, fails at 13 (retry in 4); try at 17, fails at 18
      // (retry in 8); try at 26, b at 28; wait 10 → try at 38, c at 40; unsubscribed at 45.
      expectObservable(events$, '^ 44ms !').toBe('--a 10ms e 4ms f 9ms b 11ms c', {
        a: { type: 'value', value: 1 },
        e: { type: 'error', error: boom, failures: 1, retryInMs: 4 },
        f: { type: 'error', error: boom, failures: 2, retryInMs: 8 },
        b: { type: 'value', value: 2 },
        c: { type: 'value', value: 3 },
      } satisfies Record<string, PollEvent<number>>);
      s.flush();
      expect(calls).toBe(5);
    });
  });

  it('spreads the interval by ± jitter, and caps the backoff', () => {
    const s = scheduler();
    s.run(({ cold, expectObservable }) => {
      let calls = 0;
      const source = () => (calls++ === 0 ? cold('a|', { a: 0 }) : cold<number>('#', undefined, boom));
      // random() = 1 → wait 10 × (1 + 0.5) = 15; then backoff 4, 8, capped at 10 (jitter 0 on the backoff).
      const events$ = poll$(source, { intervalMs: 10, jitter: 0.5, backoff: { initialMs: 4, factor: 2, maxMs: 10, jitter: 0 }, random: () => 1, scheduler: s });
      expectObservable(events$, '^ 50ms !').toBe('a 14ms e 3ms f 7ms g 9ms h 9ms i', {
        a: { type: 'value', value: 0 },
        e: { type: 'error', error: boom, failures: 1, retryInMs: 4 },
        f: { type: 'error', error: boom, failures: 2, retryInMs: 8 },
        g: { type: 'error', error: boom, failures: 3, retryInMs: 10 },
        h: { type: 'error', error: boom, failures: 4, retryInMs: 10 },
        i: { type: 'error', error: boom, failures: 5, retryInMs: 10 },
      });
    });
  });

  it('aborts the request in flight on unsubscribe', () => {
    const s = scheduler();
    const signals: AbortSignal[] = [];
    s.run(({ cold, expectObservable }) => {
      const events$ = poll$(
        (signal) => {
          signals.push(signal);
          return cold('-----a|', { a: 1 });
        },
        { ...options, scheduler: s },
      );
      expectObservable(events$, '^ 2ms !').toBe('');
    });
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
  });

  it('treats a source that ends without a value as a failure', () => {
    const s = scheduler();
    s.run(({ cold, expectObservable }) => {
      const events$ = poll$(() => cold('|'), { ...options, scheduler: s });
      expectObservable(events$, '^ 1ms !').toBe('e', { e: { type: 'error', error: expect.objectContaining({ name: 'EmptyError' }), failures: 1, retryInMs: 4 } });
    });
  });

  it('rejects bad options', () => {
    expect(() => poll$(() => Promise.resolve(1), { intervalMs: 0 })).toThrowError(expect.objectContaining({ code: 'InvalidArgument' }));
    expect(() => poll$(() => Promise.resolve(1), { intervalMs: 10, jitter: 1 })).toThrowError(expect.objectContaining({ code: 'InvalidArgument' }));
  });
});

describe('metrics$ and query$ (fake timers)', () => {
  const T0 = Date.parse('2026-11-22T10:00:00Z');
  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Two pods whose success counters grow by 50 (a) and 20 (b) per scrape; `down` pods fail. */
  function pods() {
    const scrapes = new Map<string, number>();
    const down = new Set<string>();
    const fetch = fakeFetch((call: Call) => {
      const pod = call.url.hostname;
      if (down.has(pod)) return Promise.reject(new TypeError('fetch failed'));
      const n = (scrapes.get(pod) ?? 0) + 1;
      scrapes.set(pod, n);
      const step = pod === 'a' ? 50 : 20;
      return new Response(`# TYPE vllm:request_success_total counter\nvllm:request_success_total ${n * step}\n# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting ${n}\n`);
    });
    return { fetch, down };
  }

  const reads = { rps: { kind: 'rate', metric: 'vllm:request_success_total' }, waiting: { kind: 'gauge', metric: 'vllm:num_requests_waiting' } } as const;
  const targets = [
    { pod: 'a', url: 'http://a/metrics' },
    { pod: 'b', url: 'http://b/metrics' },
  ];

  it('scrapes on the interval, turns counters into rates, reports failed pods as null, backs off when all fail', async () => {
    const { fetch, down } = pods();
    const events: MetricsEvent[] = [];
    const sub = metrics$({ targets, reads, fetch, intervalMs: 10_000, jitter: 0.2, random: () => 0.5, backoff: { initialMs: 1_000, jitter: 0 } }).subscribe((e) => events.push(e));
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'sample', atMs: T0, values: { rps: [{ pod: 'a', value: null, reason: 'FirstScrape' }, { pod: 'b', value: null, reason: 'FirstScrape' }], waiting: [{ value: 1 }, { value: 1 }] } });

    await vi.advanceTimersByTimeAsync(9_999);
    expect(events).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(events[1]).toMatchObject({ type: 'sample', atMs: T0 + 10_000, values: { rps: [{ pod: 'a', value: 5 }, { pod: 'b', value: 2 }] } });

    down.add('b');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(events[2]).toMatchObject({ type: 'sample', values: { rps: [{ pod: 'a', value: 5 }, { pod: 'b', value: null, reason: 'ScrapeFailed', error: { code: 'Unreachable' } }] } });

    down.add('a');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(events[3]).toMatchObject({ type: 'error', failures: 1, retryInMs: 1_000, error: { code: 'ScrapeFailed' } });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(events[4]).toMatchObject({ type: 'error', failures: 2, retryInMs: 2_000 });

    down.clear();
    await vi.advanceTimersByTimeAsync(2_000);
    // Rates resume against each pod's last good scrape: a's at 20 s, b's at 10 s (one step of growth each).
    expect(events[5]).toMatchObject({ type: 'sample', atMs: T0 + 33_000, values: { rps: [{ pod: 'a', value: 50 / 13 }, { pod: 'b', value: 20 / 23 }] } });

    sub.unsubscribe();
    expect(vi.getTimerCount()).toBe(0);
    const calls = fetch.calls.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetch.calls.length).toBe(calls);
  });

  it('lists targets before each round and leaves no timer or request behind on unsubscribe', async () => {
    const signals: AbortSignal[] = [];
    const fetch = fakeFetch((call) => {
      signals.push(call.init.signal);
      return new Promise<Response>((_, reject) => call.init.signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    });
    let listed = 0;
    const sub = metrics$({ targets: async () => (listed++, targets), reads, fetch, intervalMs: 10_000, timeoutMs: 5_000 }).subscribe();
    await vi.advanceTimersByTimeAsync(100);
    expect(listed).toBe(1);
    expect(signals).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(2); // the two per-pod timeouts
    sub.unsubscribe();
    await vi.advanceTimersByTimeAsync(0);
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('query$ polls an instant query and reports failures as typed errors', async () => {
    let fail = false;
    const fetch = fakeFetch(() => (fail ? json({ status: 'error', errorType: 'bad_data', error: 'nope' }, 400) : json({ status: 'success', data: { resultType: 'scalar', result: [T0 / 1000, '7'] } })));
    const client = createPrometheusClient({ url: 'http://prom.test', fetch });
    const events: unknown[] = [];
    const sub = query$(client, 'sum(vllm:num_requests_waiting)', { intervalMs: 15_000, jitter: 0 }).subscribe((e) => events.push(e));
    await vi.advanceTimersByTimeAsync(0);
    fail = true;
    await vi.advanceTimersByTimeAsync(15_000);
    sub.unsubscribe();
    expect(events).toEqual([
      { type: 'result', atMs: T0, result: expect.objectContaining({ resultType: 'scalar', value: 7 }) },
      { type: 'error', atMs: T0 + 15_000, error: expect.any(PrometheusError), failures: 1, retryInMs: expect.any(Number) },
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
