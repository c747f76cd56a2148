/**
 * The one error type `@prescale/prometheus` throws or reports. Every error carries a
 * code, the URL it concerns (credentials removed) and, where there is one, the HTTP
 * status, Prometheus' `errorType` and `warnings`, the exposition line, and the
 * underlying cause. Error shapes of the HTTP API: prometheus.io/docs/prometheus/latest/querying/api
 * ("Format overview": 400 bad_data, 422 execution, 503 timeout/canceled).
 * @module
 */

/**
 * - `Unreachable`: no HTTP response (refused, reset, DNS, TLS).
 * - `Timeout`: no complete answer within the timeout.
 * - `Aborted`: the caller's signal aborted the request.
 * - `HttpStatus`: a non-2xx answer that is not a Prometheus error body.
 * - `QueryFailed`: Prometheus answered `status: "error"` (see `errorType`).
 * - `InvalidResponse`: the body is not the documented JSON: malformed, truncated, an HTML
 *   page, or of the wrong shape.
 * - `InvalidSample`: a sample value is not a number, or a timestamp is off the query's grid.
 * - `DuplicateSeries`: the same series appears twice in one answer or one scrape.
 * - `Warnings`: the server warned (Thanos and Mimir warn when data may be partial) and
 *   the caller did not allow warnings.
 * - `NoData`, `MultipleSeries`: a history query matched no series, or more than one.
 * - `InvalidArgument`: a bad option (a step of 0, `from` after `to`, a bad duration).
 * - `InvalidExposition`: a `/metrics` text does not parse; `line` says where.
 * - `ScrapeFailed`: every pod of a scrape failed; `cause` holds their errors.
 * - `BodyTooLarge`: the response body is larger than the cap (`maxBodyBytes`: 10 MiB
 *   for pod scrapes, 64 MiB for Prometheus queries by default); it was not read past it.
 */
export type PrometheusErrorCode =
  | 'Unreachable'
  | 'Timeout'
  | 'Aborted'
  | 'HttpStatus'
  | 'QueryFailed'
  | 'InvalidResponse'
  | 'InvalidSample'
  | 'DuplicateSeries'
  | 'Warnings'
  | 'NoData'
  | 'MultipleSeries'
  | 'InvalidArgument'
  | 'InvalidExposition'
  | 'ScrapeFailed'
  | 'BodyTooLarge';

export interface PrometheusErrorDetails {
  /** The URL concerned, without credentials; '' when there is none. */
  url?: string;
  status?: number;
  /** Prometheus' `errorType` (`bad_data`, `execution`, `timeout`, …). */
  errorType?: string;
  warnings?: readonly string[];
  /** 1-based line of an exposition text. */
  line?: number;
  /** Attempts made, retries included. */
  attempts?: number;
  cause?: unknown;
}

export class PrometheusError extends Error {
  override readonly name = 'PrometheusError';
  readonly code: PrometheusErrorCode;
  /** The message without the code and the details in parentheses. */
  readonly detail: string;
  readonly url: string;
  readonly status: number | undefined;
  readonly errorType: string | undefined;
  readonly warnings: readonly string[];
  readonly line: number | undefined;
  readonly attempts: number | undefined;

  constructor(code: PrometheusErrorCode, message: string, details: PrometheusErrorDetails = {}) {
    const where = [
      details.line !== undefined ? `line ${details.line}` : '',
      details.status !== undefined ? `HTTP ${details.status}` : '',
      details.errorType !== undefined ? `errorType ${details.errorType}` : '',
      details.attempts !== undefined && details.attempts > 1 ? `after ${details.attempts} attempts` : '',
      details.url ? shorten(details.url) : '',
    ].filter((s) => s !== '');
    super(`${code}: ${message}${where.length > 0 ? ` (${where.join(', ')})` : ''}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.detail = message;
    this.url = details.url ?? '';
    this.status = details.status;
    this.errorType = details.errorType;
    this.warnings = details.warnings ?? [];
    this.line = details.line;
    this.attempts = details.attempts;
  }
}

export function isPrometheusError(error: unknown): error is PrometheusError {
  return error instanceof PrometheusError;
}

/** A URL as it may be shown: user name and password removed. */
export function redactUrl(url: string | URL): string {
  try {
    const u = new URL(String(url));
    if (u.username === '' && u.password === '') return u.toString();
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return String(url);
  }
}

function shorten(url: string): string {
  return url.length <= 240 ? url : `${url.slice(0, 237)}...`;
}
