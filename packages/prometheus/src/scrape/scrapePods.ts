/**
 * Scrapes the `/metrics` of many pods at once, each with its own timeout, the way
 * AIBrix and Knative read vLLM pods directly instead of waiting for Prometheus. A pod
 * that fails (refused, timed out, non-200, a page larger than `maxBodyBytes`, a page
 * that does not parse) is reported as failed with its error; it never turns into
 * zeros. A page is read up to the cap (default 10 MiB) and no further.
 * @module
 */
import { PrometheusError, redactUrl } from '../errors.js';
import { parseExposition } from '../exposition/parseExposition.js';
import { type MetricFamily, SCRAPE_ACCEPT } from '../exposition/types.js';
import { DEFAULT_SCRAPE_MAX_BODY_BYTES, type HttpOptions, httpSender, type Send, snippet } from '../http/request.js';

export interface ScrapeTarget {
  /** The pod's name, as the scaler knows it. */
  pod: string;
  /** Its metrics URL, e.g. `http://10.0.0.7:8000/metrics`. */
  url: string;
}

export interface ScrapeOptions extends HttpOptions {
  /** Scrapes in flight at once. Default 32. */
  concurrency?: number;
  /** The Accept header. Default: OpenMetrics preferred, text format accepted (as Prometheus asks). */
  accept?: string;
  signal?: AbortSignal;
  /** The clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
}

interface ScrapeBase {
  pod: string;
  url: string;
  /** When the scrape started, ms since the epoch. */
  atMs: number;
  durationMs: number;
}

export type PodScrape = (ScrapeBase & { ok: true; families: MetricFamily[] }) | (ScrapeBase & { ok: false; error: PrometheusError });

/** Default per-pod timeout, ms. */
export const DEFAULT_SCRAPE_TIMEOUT_MS = 3_000;

/**
 * Scrapes every target; resolves with one result per target, in order, whatever fails.
 * @throws PrometheusError `InvalidArgument` for bad options only.
 */
export async function scrapePods(targets: readonly ScrapeTarget[], options: ScrapeOptions = {}): Promise<PodScrape[]> {
  const scraper = createScraper(options);
  try {
    return await scraper.scrape(targets, options.signal);
  } finally {
    await scraper.close();
  }
}

export interface Scraper {
  /** One round over `targets`, as {@link scrapePods}. */
  scrape(targets: readonly ScrapeTarget[], signal?: AbortSignal): Promise<PodScrape[]>;
  /** Releases the TLS connection pool, if any. */
  close(): Promise<void>;
}

/**
 * A scraper for many rounds with the same options: with TLS options its connections
 * are kept between rounds; `close()` ends them.
 * @throws PrometheusError `InvalidArgument` for bad options.
 */
export function createScraper(options: Omit<ScrapeOptions, 'signal'> = {}): Scraper {
  const send = httpSender(options, { timeoutMs: DEFAULT_SCRAPE_TIMEOUT_MS, maxBodyBytes: DEFAULT_SCRAPE_MAX_BODY_BYTES });
  const now = options.now ?? Date.now;
  const concurrency = options.concurrency ?? 32;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) throw new PrometheusError('InvalidArgument', `concurrency must be a whole number ≥ 1 (got ${concurrency})`);
  return { scrape: (targets, signal) => scrapeRound(send, targets, now, concurrency, options.accept ?? SCRAPE_ACCEPT, signal), close: send.close };
}

async function scrapeRound(send: Send, targets: readonly ScrapeTarget[], now: () => number, concurrency: number, accept: string, signal: AbortSignal | undefined): Promise<PodScrape[]> {
  const results: PodScrape[] = new Array(targets.length);
  let next = 0;

  const one = async (target: ScrapeTarget): Promise<PodScrape> => {
    const atMs = now();
    const base = (): ScrapeBase => ({ pod: target.pod, url: redactUrl(target.url), atMs, durationMs: now() - atMs });
    try {
      const answer = await send(target.url, { accept, ...(signal ? { signal } : {}) });
      if (answer.status !== 200) {
        throw new PrometheusError('HttpStatus', `the pod answered ${answer.status}: ${snippet(answer.text) || '(empty body)'}`, { url: answer.url, status: answer.status });
      }
      const families = parseExposition(answer.text, { contentType: answer.contentType, source: answer.url });
      return { ...base(), ok: true, families };
    } catch (error) {
      const e = error instanceof PrometheusError ? error : new PrometheusError('Unreachable', String(error), { url: redactUrl(target.url), cause: error });
      return { ...base(), ok: false, error: e };
    }
  };

  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const index = next++;
      results[index] = await one(targets[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));
  return results;
}
