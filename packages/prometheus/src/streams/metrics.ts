/**
 * Live per-pod metrics as rxjs streams: `metrics$` scrapes a set of pods on an interval
 * and emits their values (missing ones as `null` with a reason), and `query$` polls a
 * PromQL instant query. Both back off while everything fails and stop cleanly on
 * unsubscribe (see {@link poll$}).
 * @module
 */
import { defer, finalize, map, type Observable } from 'rxjs';
import { PrometheusError } from '../errors.js';
import type { InstantResult, PrometheusClient } from '../http/client.js';
import { type PodRead, type PodReadState, type PodValue, readPods } from '../scrape/readPods.js';
import { createScraper, type PodScrape, type ScrapeOptions, type ScrapeTarget } from '../scrape/scrapePods.js';
import { type PollOptions, poll$ } from './poll.js';

export interface MetricsStreamOptions extends Omit<ScrapeOptions, 'signal'>, PollOptions {
  /** The pods, or a function that lists them before each round (they come and go). */
  targets: readonly ScrapeTarget[] | (() => readonly ScrapeTarget[] | Promise<readonly ScrapeTarget[]>);
  /** What to read from each pod, by the name the values get (e.g. core's metric name). */
  reads: Readonly<Record<string, PodRead>>;
}

export type MetricsEvent =
  | { type: 'sample'; atMs: number; scrapes: PodScrape[]; values: Record<string, PodValue[]> }
  | { type: 'error'; atMs: number; error: PrometheusError; failures: number; retryInMs: number };

/**
 * Scrapes the targets every `intervalMs`. A round where some pods fail is a `sample`
 * (those pods are `null`, reason `ScrapeFailed`); a round where every pod fails, or the
 * target list cannot be had, is an `error` and the next round backs off.
 */
export function metrics$(options: MetricsStreamOptions): Observable<MetricsEvent> {
  const now = options.now ?? (() => options.scheduler?.now() ?? Date.now());
  return defer(() => {
    let state: PodReadState | undefined;
    const scraper = createScraper({ ...options, now });
    const round = async (signal: AbortSignal): Promise<Extract<MetricsEvent, { type: 'sample' }>> => {
      const targets = typeof options.targets === 'function' ? await options.targets() : options.targets;
      const atMs = now();
      const scrapes = await scraper.scrape(targets, signal);
      const failed = scrapes.filter((s): s is Extract<PodScrape, { ok: false }> => !s.ok);
      if (scrapes.length > 0 && failed.length === scrapes.length) {
        throw new PrometheusError('ScrapeFailed', `every pod failed (${failed.length}); first: ${failed[0]!.error.message}`, { url: failed[0]!.url, cause: failed.map((f) => f.error) });
      }
      const r = readPods(state, scrapes, options.reads);
      state = r.state;
      return { type: 'sample', atMs, scrapes, values: r.values };
    };
    return poll$(round, options).pipe(
      map((event): MetricsEvent => {
        if (event.type === 'value') return event.value;
        const error = event.error instanceof PrometheusError ? event.error : new PrometheusError('ScrapeFailed', String(event.error), { cause: event.error });
        return { type: 'error', atMs: now(), error, failures: event.failures, retryInMs: event.retryInMs };
      }),
      finalize(() => void scraper.close()),
    );
  });
}

export type QueryEvent = { type: 'result'; atMs: number; result: InstantResult } | { type: 'error'; atMs: number; error: PrometheusError; failures: number; retryInMs: number };

/** Polls an instant query every `intervalMs`. */
export function query$(client: Pick<PrometheusClient, 'query'>, promql: string, options: PollOptions & { now?: () => number }): Observable<QueryEvent> {
  const now = options.now ?? (() => options.scheduler?.now() ?? Date.now());
  return poll$((signal) => client.query(promql, { signal }), options).pipe(
    map((event): QueryEvent => {
      if (event.type === 'value') return { type: 'result', atMs: now(), result: event.value };
      const error = event.error instanceof PrometheusError ? event.error : new PrometheusError('QueryFailed', String(event.error), { cause: event.error });
      return { type: 'error', atMs: now(), error, failures: event.failures, retryInMs: event.retryInMs };
    }),
  );
}
