/**
 * A polling stream: runs `source` now, then again `intervalMs` (± jitter) after each
 * success, or after a growing backoff after each failure, and emits every outcome as a
 * typed event instead of erroring out. Unsubscribing cancels the wait and aborts the
 * request in flight (its `AbortSignal`), so no timer or socket is left behind.
 * Timers run on the given rxjs scheduler, so tests drive it in virtual time.
 * @module
 */
import { defer, expand, first, finalize, from, map, catchError, type Observable, type ObservableInput, of, type SchedulerLike, switchMap, timer } from 'rxjs';
import { backoffDelay, backoffOptions, type BackoffOptions } from '../backoff.js';
import { PrometheusError } from '../errors.js';

export interface PollOptions {
  /** Wait after a success, ms. */
  intervalMs: number;
  /** Spread of that wait: ± this fraction, uniformly. Default 0.1. */
  jitter?: number;
  /** Waits after consecutive failures. Defaults of {@link backoffOptions}, capped at 30 s. */
  backoff?: BackoffOptions;
  /** Default: rxjs' async scheduler (real timers). */
  scheduler?: SchedulerLike;
  /** In [0, 1). Default `Math.random`. */
  random?: () => number;
}

export type PollEvent<T> =
  | { type: 'value'; value: T }
  | { type: 'error'; error: unknown; /** Consecutive failures so far. */ failures: number; /** Wait before the next try, ms. */ retryInMs: number };

/**
 * Polls `source` until unsubscribed.
 * @throws PrometheusError `InvalidArgument` for a bad interval, jitter or backoff.
 */
export function poll$<T>(source: (signal: AbortSignal) => ObservableInput<T>, options: PollOptions): Observable<PollEvent<T>> {
  const { intervalMs } = options;
  if (!(Number.isFinite(intervalMs) && intervalMs > 0)) throw new PrometheusError('InvalidArgument', `intervalMs must be a positive number (got ${intervalMs})`);
  const jitter = options.jitter ?? 0.1;
  if (!(jitter >= 0 && jitter < 1)) throw new PrometheusError('InvalidArgument', `jitter must be in [0, 1) (got ${jitter})`);
  const backoff = backoffOptions(options.backoff);
  const random = options.random ?? Math.random;
  const scheduler = options.scheduler;

  type Step = { event: PollEvent<T>; failures: number };
  const attempt = (failures: number): Observable<Step> =>
    defer(() => {
      const controller = new AbortController();
      return from(source(controller.signal)).pipe(
        first(),
        finalize(() => controller.abort()),
      );
    }).pipe(
      map((value): Step => ({ event: { type: 'value', value }, failures: 0 })),
      catchError((error: unknown) => {
        const n = failures + 1;
        return of<Step>({ event: { type: 'error', error, failures: n, retryInMs: backoffDelay(backoff, n, random) }, failures: n });
      }),
    );

  return attempt(0).pipe(
    expand((step) => {
      const wait = step.event.type === 'error' ? step.event.retryInMs : Math.round(intervalMs * (1 + jitter * (2 * random() - 1)));
      return (scheduler ? timer(wait, scheduler) : timer(wait)).pipe(switchMap(() => attempt(step.failures)));
    }),
    map((step) => step.event),
  );
}
