/**
 * Fake `fetch` for unit tests: records calls and answers from a handler, plus a fake
 * range-query endpoint that behaves like Prometheus' (grid start + k·step, the
 * 11,000-point limit, series without points left out).
 * @module
 */
import type { FetchInit, FetchLike } from '../http/request.js';

export interface Call {
  url: URL;
  init: FetchInit;
  /** Query parameters, from the URL or a POST body. */
  params: URLSearchParams;
}

export type FakeFetch = FetchLike & { calls: Call[] };

export function fakeFetch(handler: (call: Call) => Response | Promise<Response>): FakeFetch {
  const calls: Call[] = [];
  const f = (async (url: string, init: FetchInit) => {
    const u = new URL(url);
    const call: Call = { url: u, init, params: init.body !== undefined ? new URLSearchParams(init.body) : u.searchParams };
    calls.push(call);
    return handler(call);
  }) as FakeFetch;
  f.calls = calls;
  return f;
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

export interface FakeSeries {
  labels: Record<string, string>;
  /** The value at an instant (ms), or null for none. */
  at: (ms: number) => number | null;
}

/** Answers `/api/v1/query_range` for the given series, as Prometheus would. */
export function rangeAnswer(series: readonly FakeSeries[], params: URLSearchParams): Response {
  const start = Number(params.get('start')) * 1000;
  const end = Number(params.get('end')) * 1000;
  const step = Number(params.get('step')) * 1000;
  if ((end - start) / step > 11_000) {
    return json({ status: 'error', errorType: 'bad_data', error: 'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)' }, 400);
  }
  const result = [];
  for (const s of series) {
    const values: Array<[number, string]> = [];
    for (let t = start; t <= end; t += step) {
      const v = s.at(t);
      if (v !== null) values.push([t / 1000, String(v)]);
    }
    if (values.length > 0) result.push({ metric: s.labels, values });
  }
  return json({ status: 'success', data: { resultType: 'matrix', result } });
}
