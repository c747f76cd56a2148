/**
 * A client for Prometheus' HTTP query API (`/api/v1/query`, `/api/v1/query_range`;
 * prometheus.io/docs/prometheus/latest/querying/api) and what speaks it (Thanos,
 * Mimir, VictoriaMetrics). On `fetch`, with answers validated by zod, timeouts,
 * retries with backoff, bearer or basic auth, TLS options, and range queries split into
 * chunks under the 11,000-point limit and stitched back. Every failure is a
 * {@link PrometheusError} carrying the URL and the cause; a range query either returns
 * every chunk or throws, never a part presented as the whole.
 * @module
 */
import { type Backoff, backoffDelay, backoffOptions, type BackoffOptions } from '../backoff.js';
import { PrometheusError, redactUrl } from '../errors.js';
import type { Labels } from '../exposition/types.js';
import { type ApiAnswer, formatLabels, readApiAnswer, sampleValue } from './apiResponse.js';
import { planRange, PROMETHEUS_MAX_POINTS, type RangePlan, type RangeRequest } from './rangePlan.js';
import { DEFAULT_QUERY_MAX_BODY_BYTES, type HttpOptions, httpSender } from './request.js';
import { appendChunk, type RangeSeries } from './stitch.js';

export interface PrometheusClientOptions extends HttpOptions {
  /** Base URL, e.g. `http://prometheus:9090` or `https://thanos.example/prefix`. */
  url: string;
  /** Retries after a failed attempt (network error, timeout, 429, 5xx, a broken body). Default 2. */
  retries?: number;
  backoff?: BackoffOptions;
  /** Points per series per range request. Default 11,000 (Prometheus' limit). */
  maxPointsPerQuery?: number;
  /** Chunk requests in flight at once. Default 2. */
  concurrency?: number;
  /** Requests whose URL would be longer use POST with a form body. Default 4,000. */
  maxGetUrlLength?: number;
  /** Waits between retries; injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1), for backoff jitter. Default `Math.random`. */
  random?: () => number;
}

export interface QueryOptions {
  /** Evaluation time, ms since the epoch. Default: the server's now. */
  timeMs?: number;
  signal?: AbortSignal;
}

export interface InstantSample {
  labels: Labels;
  timestampMs: number;
  value: number;
}

export type InstantResult =
  | { resultType: 'vector'; samples: InstantSample[]; warnings: string[]; infos: string[] }
  | { resultType: 'scalar'; timestampMs: number; value: number; warnings: string[]; infos: string[] }
  | { resultType: 'string'; timestampMs: number; value: string; warnings: string[]; infos: string[] }
  | { resultType: 'matrix'; series: RangeSeries[]; warnings: string[]; infos: string[] };

export interface RangeQueryOptions extends RangeRequest {
  signal?: AbortSignal;
  /** Called after each chunk arrives. */
  onChunk?: (done: number, total: number) => void;
}

export interface RangeResult {
  series: RangeSeries[];
  /** Warnings of all chunks, without repeats. */
  warnings: string[];
  infos: string[];
  /** The instants asked for (after alignment) and the chunks used. */
  plan: RangePlan;
}

export interface PrometheusClient {
  readonly url: string;
  query(promql: string, options?: QueryOptions): Promise<InstantResult>;
  queryRange(promql: string, options: RangeQueryOptions): Promise<RangeResult>;
  /** Releases the TLS connection pool, if any (plain HTTP uses fetch's own). */
  close(): Promise<void>;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new PrometheusError('Aborted', 'cancelled while waiting to retry'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new PrometheusError('Aborted', 'cancelled while waiting to retry'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Whether another attempt may succeed where this one failed. */
export function isRetryable(error: PrometheusError): boolean {
  switch (error.code) {
    case 'Unreachable':
    case 'Timeout':
    case 'InvalidResponse':
      return true;
    case 'HttpStatus':
    case 'QueryFailed':
      return error.status === 429 || (error.status !== undefined && error.status >= 500);
    default:
      return false;
  }
}

function seconds(ms: number): string {
  return String(ms / 1000);
}

/**
 * Creates a client.
 * @throws PrometheusError `InvalidArgument` for a bad URL or option.
 */
export function createPrometheusClient(options: PrometheusClientOptions): PrometheusClient {
  let base: URL;
  try {
    base = new URL(options.url);
  } catch {
    throw new PrometheusError('InvalidArgument', `"${options.url}" is not a URL`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new PrometheusError('InvalidArgument', `"${options.url}" must be an http or https URL`);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const send = httpSender(options, { timeoutMs: 30_000, maxBodyBytes: DEFAULT_QUERY_MAX_BODY_BYTES });
  const retries = options.retries ?? 2;
  if (!(Number.isInteger(retries) && retries >= 0)) throw new PrometheusError('InvalidArgument', `retries must be a whole number ≥ 0 (got ${retries})`);
  const backoff: Backoff = backoffOptions(options.backoff);
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const maxPoints = options.maxPointsPerQuery ?? PROMETHEUS_MAX_POINTS;
  const concurrency = options.concurrency ?? 2;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new PrometheusError('InvalidArgument', `concurrency must be a whole number ≥ 1 (got ${concurrency})`);
  const maxGet = options.maxGetUrlLength ?? 4_000;
  const serverTimeout = `${Math.max(1, Math.ceil((options.timeoutMs ?? 30_000) / 1000))}s`;

  async function call(path: string, params: Record<string, string>, signal?: AbortSignal): Promise<ApiAnswer> {
    const url = new URL(path, base);
    const body = new URLSearchParams({ ...params, timeout: serverTimeout }).toString();
    const get = `${url.toString()}?${body}`;
    const usePost = get.length > maxGet;
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await send(usePost ? url.toString() : get, usePost ? { method: 'POST', body, ...(signal ? { signal } : {}) } : signal ? { signal } : {});
        // Report the query in errors even when it went as a POST body.
        return readApiAnswer(usePost ? { ...answer, url: redactUrl(get) } : answer);
      } catch (error) {
        if (!(error instanceof PrometheusError)) throw error;
        if (attempt > retries || !isRetryable(error)) throw attempt === 1 ? error : withAttempts(error, attempt);
        await sleep(backoffDelay(backoff, attempt, random), signal);
      }
    }
  }

  return {
    url: redactUrl(base),
    close: send.close,

    async query(promql, queryOptions = {}) {
      const params: Record<string, string> = { query: promql };
      if (queryOptions.timeMs !== undefined) params.time = seconds(queryOptions.timeMs);
      const answer = await call('api/v1/query', params, queryOptions.signal);
      const { url, data, warnings, infos } = answer;
      const keys = new Set<string>();
      const once = (labels: Labels): string => {
        const key = formatLabels(labels);
        if (keys.has(key)) throw new PrometheusError('DuplicateSeries', `series ${key} appears twice in one answer`, { url, warnings });
        keys.add(key);
        return key;
      };
      switch (data.resultType) {
        case 'vector': {
          const samples: InstantSample[] = [];
          for (const s of data.result) {
            const key = once(s.metric);
            if (s.value === undefined) throw new PrometheusError('InvalidResponse', `series ${key} holds a native histogram, which is not supported`, { url, warnings });
            samples.push({ labels: s.metric, timestampMs: Math.round(s.value[0] * 1000), value: sampleValue(s.value[1], s.metric, s.value[0], url) });
          }
          return { resultType: 'vector', samples, warnings, infos };
        }
        case 'scalar':
          return { resultType: 'scalar', timestampMs: Math.round(data.result[0] * 1000), value: sampleValue(data.result[1], {}, data.result[0], url), warnings, infos };
        case 'string':
          return { resultType: 'string', timestampMs: Math.round(data.result[0] * 1000), value: data.result[1], warnings, infos };
        case 'matrix': {
          // A range selector evaluated instantly (`x[5m]`): points at raw sample times.
          const series: RangeSeries[] = [];
          for (const s of data.result) {
            once(s.metric);
            const pairs = s.values ?? [];
            series.push({ labels: s.metric, timestampsMs: pairs.map((p) => Math.round(p[0] * 1000)), values: pairs.map((p) => sampleValue(p[1], s.metric, p[0], url)) });
          }
          return { resultType: 'matrix', series, warnings, infos };
        }
      }
    },

    async queryRange(promql, rangeOptions) {
      const plan = planRange(rangeOptions, maxPoints);
      const answers: Array<ApiAnswer | undefined> = new Array(plan.chunks.length);
      let next = 0;
      let done = 0;
      // A failed chunk fails the whole query; the others are cancelled.
      const controller = new AbortController();
      const onAbort = (): void => controller.abort();
      rangeOptions.signal?.addEventListener('abort', onAbort, { once: true });
      if (rangeOptions.signal?.aborted) controller.abort();
      const worker = async (): Promise<void> => {
        while (next < plan.chunks.length && !controller.signal.aborted) {
          const index = next++;
          const chunk = plan.chunks[index]!;
          try {
            answers[index] = await call('api/v1/query_range', { query: promql, start: seconds(chunk.startMs), end: seconds(chunk.endMs), step: seconds(plan.stepMs) }, controller.signal);
          } catch (error) {
            controller.abort();
            throw error;
          }
          done++;
          rangeOptions.onChunk?.(done, plan.chunks.length);
        }
      };
      try {
        const workers = Array.from({ length: Math.min(concurrency, plan.chunks.length) }, worker);
        const results = await Promise.allSettled(workers);
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) {
          // Prefer the first real failure over the cancellations it caused.
          const first = results.map((r) => (r.status === 'rejected' ? (r.reason as unknown) : undefined)).find((e) => !(e instanceof PrometheusError && e.code === 'Aborted')) ?? failed.reason;
          throw first;
        }
        if (controller.signal.aborted) throw new PrometheusError('Aborted', 'the range query was cancelled', { url: redactUrl(base) });
      } finally {
        rangeOptions.signal?.removeEventListener('abort', onAbort);
      }
      const merged = new Map<string, RangeSeries>();
      const warnings = new Set<string>();
      const infos = new Set<string>();
      plan.chunks.forEach((chunk, i) => {
        const answer = answers[i]!;
        const url = answer.url;
        answer.warnings.forEach((w) => warnings.add(w));
        answer.infos.forEach((w) => infos.add(w));
        if (answer.data.resultType !== 'matrix') throw new PrometheusError('InvalidResponse', `a range query answered a ${answer.data.resultType}, not a matrix`, { url });
        appendChunk(merged, answer.data.result, plan, chunk, url);
      });
      return { series: [...merged.values()], warnings: [...warnings], infos: [...infos], plan };
    },
  };
}

function withAttempts(error: PrometheusError, attempts: number): PrometheusError {
  return new PrometheusError(error.code, error.detail, {
    url: error.url,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.errorType !== undefined ? { errorType: error.errorType } : {}),
    warnings: error.warnings,
    attempts,
    cause: error.cause ?? error,
  });
}
