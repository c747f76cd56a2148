/**
 * One HTTP request on `fetch` with a timeout, the caller's abort signal, auth headers
 * and TLS options, mapped to typed errors. Shared by the query client and the pod
 * scraper. `fetch` is injected (any function with the WHATWG signature), so tests use
 * fakes; TLS options become an undici `Agent` passed as `dispatcher`, which Node's own
 * `fetch` (undici inside) honours.
 *
 * Bodies are read as a stream and never beyond `maxBodyBytes`: a body that declares a
 * larger Content-Length, or grows past the cap while it is read, is cancelled (the
 * connection is dropped) and the request fails with `BodyTooLarge`, so one huge or
 * endless answer costs at most the cap in memory.
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
  /**
   * Largest response body read, bytes; a larger one fails with `BodyTooLarge`. Default:
   * {@link DEFAULT_SCRAPE_MAX_BODY_BYTES} (10 MiB) for pod scrapes,
   * {@link DEFAULT_QUERY_MAX_BODY_BYTES} (64 MiB) for Prometheus queries.
   */
  maxBodyBytes?: number;
}

/** Default body cap of a pod's `/metrics` page: 10 MiB (vLLM's pages are about 100 KB). */
export const DEFAULT_SCRAPE_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Default body cap of a Prometheus query answer: 64 MiB (one 11,000-point chunk of a series is about 0.4 MB). */
export const DEFAULT_QUERY_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** `10 MiB`, `512 KiB`, `300 B`: a byte count as people read it. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
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
export function httpSender(options: HttpOptions, defaults: { timeoutMs: number; maxBodyBytes: number }) {
  const fetchImpl: FetchLike = options.fetch ?? ((url, init) => fetch(url, init as unknown as RequestInit));
  const timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new PrometheusError('InvalidArgument', `timeoutMs must be a positive number of milliseconds (got ${timeoutMs})`);
  const maxBodyBytes = options.maxBodyBytes ?? defaults.maxBodyBytes;
  if (!(Number.isSafeInteger(maxBodyBytes) && maxBodyBytes >= 1)) throw new PrometheusError('InvalidArgument', `maxBodyBytes must be a whole number of bytes ≥ 1 (got ${maxBodyBytes})`);
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
   * Sends one request and reads the whole body, up to `maxBodyBytes`.
   * @throws PrometheusError `Unreachable`, `Timeout`, `Aborted`, `InvalidResponse` when
   *   the body breaks off, or `BodyTooLarge` when it is larger than the cap.
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
      const text = await readBody(response, maxBodyBytes, shown, (error) => failure('body', error), () => controller.abort());
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

/**
 * Reads a body as UTF-8 text, chunk by chunk, and stops at `cap` bytes: a larger
 * declared Content-Length fails before reading, and a body that grows past the cap is
 * cancelled (and the request aborted, dropping the connection) as soon as it does.
 */
async function readBody(response: Response, cap: number, url: string, broken: (error: unknown) => PrometheusError, abort: () => void): Promise<string> {
  const tooLarge = (seen: string): PrometheusError =>
    new PrometheusError('BodyTooLarge', `the response body is larger than the ${formatBytes(cap)} cap (${seen}); raise maxBodyBytes if this answer is expected`, { url });
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > cap) {
    await response.body?.cancel().catch(() => undefined);
    abort();
    throw tooLarge(`Content-Length ${declared} bytes`);
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let bytes = 0;
  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>;
    try {
      chunk = await reader.read();
    } catch (error) {
      throw broken(error);
    }
    if (chunk.done) break;
    bytes += chunk.value.byteLength;
    if (bytes > cap) {
      await reader.cancel().catch(() => undefined);
      abort();
      throw tooLarge(`stopped reading at ${bytes} bytes`);
    }
    parts.push(decoder.decode(chunk.value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

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
