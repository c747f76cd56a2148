/**
 * `@prescale/prometheus`: history and live metrics for prescale's scalers. A client
 * for Prometheus' HTTP API (chunked range queries, retries, auth, TLS, typed errors), a
 * parser for the text and OpenMetrics exposition formats, concurrent pod scraping with
 * rates and histogram quantiles, and a history loader that returns `@prescale/core`'s
 * `BinnedSeries`. Documentation: docs/prometheus.md.
 * @module
 */
export * from './errors.js';
export * from './goFloat.js';
export * from './duration.js';
export * from './backoff.js';

// Exposition formats
export * from './exposition/types.js';
export * from './exposition/parseExposition.js';
export * from './exposition/formatExposition.js';

// HTTP API client
export {
  authorization,
  type Auth,
  DEFAULT_QUERY_MAX_BODY_BYTES,
  DEFAULT_SCRAPE_MAX_BODY_BYTES,
  type FetchInit,
  type FetchLike,
  formatBytes,
  type HttpOptions,
  type TlsOptions,
} from './http/request.js';
export * from './http/nodeFetch.js';
export { formatLabels } from './http/apiResponse.js';
export * from './http/rangePlan.js';
export type { RangeSeries } from './http/stitch.js';
export * from './http/client.js';

// Pods
export * from './scrape/matchers.js';
export * from './scrape/histogramQuantile.js';
export * from './scrape/scrapePods.js';
export * from './scrape/readPods.js';
export * from './scrape/podSamples.js';

// History
export * from './history/loadHistory.js';
