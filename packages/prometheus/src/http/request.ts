/**
 * One HTTP request on `fetch` with a timeout, the caller's abort signal, auth headers
 * and TLS options, mapped to typed errors. Shared by the query client and the pod
 * scraper. `fetch` is injected (any function with the WHATWG signature), so tests use
 * fakes; TLS options become an undici `Agent` passed as `dispatcher`, which Node's own
 * `fetch` (undici inside) honours.
 * @module
 */
import { Agent } from 'undici';
import { PrometheusError, redactUrl } from '../errors.js';

/** What the package passes to `fetch`. `dispatcher` is undici's, for TLS options. */
export interface FetchInit {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  dispatcher?: unknown;
}

/** The part of `fetch` the package uses. */
export type FetchLike = (url: string, init: FetchInit) => Promise<Response>;

export type Auth = { type: 'bearer'; token: string } | { type: 'basic'; username: string; password: string };

export interface TlsOptions {
  /** PEM of the CA(s) to trust instead of the system's. */
  ca?: string | Buffer;
  /** PEM client certificate and key, for mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Accept any server certificate. For tests only. */
  insecureSkipVerify?: boolean;
  /** Name to verify the certificate against, when it differs from the URL's host. */
  serverName?: string;
}

export interface HttpOptions {
  /** Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Per request, body included, ms. */
  timeoutMs?: number;
  /** Extra headers on every request (e.g. `X-Scope-OrgID` for Mimir). */
  headers?: Readonly<Record<string, string>>;
  auth?: Auth;
  tls?: TlsOptions;
}

export interface HttpAnswer {
  url: string;
  status: number;
  contentType: string;
  text: string;
}

/** Authorization header value for `auth`. */
export function authorization(auth: Auth): string {
  return auth.type === 'bearer' ? `Bearer ${auth.token}` : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

/** Builds what every request of one client or scraper shares. */
export function httpSender(options: HttpOptions, defaultTimeoutMs: number) {
  const fetchImpl: FetchLike = options.fetch ?? ((url, init) => fetch(url, init as unknown as RequestInit));
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new PrometheusError('InvalidArgument', `timeoutMs must be a positive number of milliseconds (got ${timeoutMs})`);
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth) headers.authorization = authorization(options.auth);
  const tls = options.tls;
  const dispatcher = tls
    ? new Agent({
        connect: {
          ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
          ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
          ...(tls.key !== undefined ? { key: tls.key } : {}),
          ...(tls.serverName !== undefined ? { servername: tls.serverName } : {}),
          rejectUnauthorized: tls.insecureSkipVerify !== true,
        },
      })
    : undefined;

  /**
   * Sends one request and reads the whole body.
   * @throws PrometheusError `Unreachable`, `Timeout`, `Aborted`, or `InvalidResponse` when
   *   the body breaks off.
   */
  const send = async function send(target: string, init: { method?: 'GET' | 'POST'; body?: string; accept?: string; signal?: AbortSignal } = {}): Promise<HttpAnswer> {
    const shown = redactUrl(target);
    // fetch refuses credentials in a URL: they become a basic-auth header (unless auth is set).
    const { url, basic } = splitCredentials(target);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = (): void => controller.abort();
    init.signal?.addEventListener('abort', onAbort, { once: true });
    const failure = (stage: 'connect' | 'body', cause: unknown): PrometheusError => {
      if (init.signal?.aborted) return new PrometheusError('Aborted', 'the request was cancelled', { url: shown, cause });
      if (timedOut) return new PrometheusError('Timeout', `no complete answer within ${timeoutMs} ms`, { url: shown, cause });
      if (stage === 'body') return new PrometheusError('InvalidResponse', `the body broke off before its end (truncated): ${describeCause(cause)}`, { url: shown, cause });
      return new PrometheusError('Unreachable', `cannot reach the server: ${describeCause(cause)}`, { url: shown, cause });
    };
    try {
      if (init.signal?.aborted) throw new PrometheusError('Aborted', 'the request was cancelled before it started', { url: shown });
      const requestHeaders: Record<string, string> = basic && !headers.authorization ? { ...headers, authorization: basic } : { ...headers };
      if (init.accept) requestHeaders.accept = init.accept;
      if (init.body !== undefined) requestHeaders['content-type'] = 'application/x-www-form-urlencoded';
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method: init.method ?? 'GET',
          headers: requestHeaders,
          signal: controller.signal,
          ...(init.body !== undefined ? { body: init.body } : {}),
          ...(dispatcher ? { dispatcher } : {}),
        });
      } catch (error) {
        throw failure('connect', error);
      }
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw failure('body', error);
      }
      return { url: shown, status: response.status, contentType: response.headers.get('content-type') ?? '', text };
    } finally {
      clearTimeout(timer);
      init.signal?.removeEventListener('abort', onAbort);
    }
  };
  /** Closes the TLS connection pool, if any. */
  const close = async (): Promise<void> => {
    await dispatcher?.close();
  };
  return Object.assign(send, { close });
}

export type Send = ReturnType<typeof httpSender>;

function splitCredentials(target: string): { url: string; basic?: string } {
  let u: URL;
  try {
    u = new URL(target);
  } catch {
    return { url: target };
  }
  if (u.username === '' && u.password === '') return { url: target };
  const basic = authorization({ type: 'basic', username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) });
  u.username = '';
  u.password = '';
  return { url: u.toString(), basic };
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause;
    if (inner instanceof Error) {
      const code = (inner as NodeJS.ErrnoException).code;
      return `${cause.message}: ${code === undefined || inner.message.includes(code) ? inner.message : `${code} (${inner.message})`}`;
    }
    return cause.message;
  }
  return String(cause);
}

/** The first characters of a body, on one line, for error messages. */
export function snippet(text: string, length = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length)}…`;
}
