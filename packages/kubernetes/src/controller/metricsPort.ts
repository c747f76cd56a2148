/**
 * What the controller learns from outside the API server, as ports so the metric
 * plumbing can be swapped (and faked in tests): the current value of a metric on each
 * pod, the current request rate a predictive scaler learns from, and the load history a
 * forecaster needs. The operator receives them as arguments; `prescale operator`
 * implements them on `@prescale/prometheus` (packages/cli/src/operator/ports.ts), so
 * this package does not depend on it.
 *
 * A port that fails throws a {@link MetricSourceError}: its kind is counted and named in
 * the `MetricsAvailable` condition, its message shown in status and logs, so the message
 * must carry no response body and no credential. Anything else thrown is reported as
 * `Unknown` without its message.
 * @module
 */
import type { BinnedSeries } from '@prescale/core';
import type { MetricSource } from '../crd/spec.js';

/** A pod to scrape. */
export interface PodEndpoint {
  name: string;
  /** `status.podIP`; null when the pod has none yet. */
  ip: string | null;
}

/** Credentials for a Prometheus endpoint, read from the Secret a PodAutoscaler names (`authSecretRef`). */
export type EndpointAuth = { type: 'bearer'; token: string } | { type: 'basic'; username: string; password: string };

/** Where a predictive scaler's request rate comes from: a PromQL query on a Prometheus server. */
export interface RequestRateQuery {
  endpoint: string;
  /** A query whose value is requests per second (`spec.predictive.history.query`). */
  query: string;
  auth?: EndpointAuth;
}

export interface RequestRateReader {
  /**
   * The query's current value, requests per second (several series summed), or null
   * when it returned nothing usable. Read every loop of a predictive scaler.
   * @throws MetricSourceError when the query failed.
   */
  readRequestRate(query: RequestRateQuery): Promise<number | null>;
}

/** One series of a PromQL answer: its labels and value. */
export interface SeriesSample {
  labels: Record<string, string>;
  value: number;
}

/** The metric reads of every loop: the pods' values, `prometheus` sources, and the request rate. */
export interface PodMetricsReader extends RequestRateReader {
  /**
   * Every series of a PromQL query's answer (an instant vector; a scalar is one series
   * without labels); an empty list when it returned none. The Optimizer strategy reads
   * its length histograms (`sum by (le) (…)`) with it.
   * @throws MetricSourceError when the query failed.
   */
  readSeries(query: RequestRateQuery): Promise<SeriesSample[]>;
  /**
   * The value of `source.targetMetric` (samples matching `source.labelMatchers`,
   * summed) on each pod, by pod name. A pod that could not be scraped, has no IP or does
   * not expose the metric is `null` (missing), never 0.
   * @throws MetricSourceError when every pod scraped failed (the source as a whole is down).
   */
  readPods(pods: readonly PodEndpoint[], source: MetricSource): Promise<Record<string, number | null>>;
  /**
   * The value of a `prometheus` source's query (one number), or null when it returned nothing.
   * @param auth the credentials of the source's `authSecretRef`, if it names one.
   * @throws MetricSourceError when the query failed.
   */
  readQuery(source: MetricSource, auth?: EndpointAuth): Promise<number | null>;
  /**
   * The value of a `domain` source: `protocolType://endpoint/path` fetched as a metrics
   * page and `targetMetric` read from it (samples matching `labelMatchers`, summed), as
   * AIBrix reads the GPU optimizer's endpoint (reference/aibrix.md 2.3, 5.4); null when
   * the page has no such sample.
   * @throws MetricSourceError when the fetch failed.
   */
  readDomain(source: MetricSource): Promise<number | null>;
}

/** One pod's usage from metrics.k8s.io, summed over its containers. */
export interface PodUsage {
  /** CPU, cores. */
  cpu: number;
  /** Memory, bytes. */
  memory: number;
}

/**
 * The metric APIs served by the API server's aggregation layer: `resource` sources
 * read metrics.k8s.io (metrics-server), `external` sources external.metrics.k8s.io (a
 * metrics adapter). The controller implements it on its API client (kubeClient.ts).
 */
export interface ClusterMetricsReader {
  /**
   * Usage of the pods matching `labelSelector`, by pod name; a pod the API has no
   * sample for is absent (missing, never 0).
   * @throws when the API cannot be read.
   */
  readPodUsage(namespace: string, labelSelector: string): Promise<Record<string, PodUsage>>;
  /**
   * The external metric's items summed (AIBrix and the HPA sum them); null when the API
   * returned no item.
   * @throws when the API cannot be read.
   */
  readExternalMetric(namespace: string, metric: string, labelSelector: string): Promise<number | null>;
}

export interface HistoryRequest {
  endpoint: string;
  query: string;
  /** ms since the epoch. */
  from: number;
  to: number;
  stepMs: number;
  auth?: EndpointAuth;
}

export interface HistoryLoader {
  /**
   * The query's values (a request rate, req/s) as a regular series of `stepMs` bins,
   * aligned to the epoch, with gaps marked.
   * @throws MetricSourceError when the load failed.
   */
  load(request: HistoryRequest): Promise<BinnedSeries>;
}

/**
 * Why a metric read failed, as counted in `prescale_errors_total` and named as the
 * reason of `MetricsAvailable=False`:
 *
 * - `Unauthorized`, `Forbidden`, `NotFound`, `ClientError`, `ServerError`: an HTTP
 *   401, 403, 404, other 4xx, 5xx answer;
 * - `DNS`: the host name did not resolve; `Unreachable`: no answer (refused, reset, TLS);
 *   `Timeout`: no complete answer in time;
 * - `BadResponse`: an answer that is not what the API documents (or a page that does not
 *   parse); `TooLarge`: a body over the size limit; `QueryFailed`: Prometheus refused
 *   or failed the query;
 * - `EndpointNotAllowed`: the endpoint is not in the operator's allow-list, so it was
 *   not fetched; `CredentialsUnavailable`: the Secret `authSecretRef` names could not
 *   be read or lacks the keys;
 * - `Unknown`: a port threw something else.
 */
export const METRIC_FAILURE_KINDS = [
  'Unauthorized',
  'Forbidden',
  'NotFound',
  'ClientError',
  'ServerError',
  'DNS',
  'Unreachable',
  'Timeout',
  'BadResponse',
  'TooLarge',
  'QueryFailed',
  'EndpointNotAllowed',
  'CredentialsUnavailable',
  'Unknown',
] as const;
export type MetricFailureKind = (typeof METRIC_FAILURE_KINDS)[number];

/** A failed metric read, with a message fit for status and logs: no response body, no credential. */
export class MetricSourceError extends Error {
  override readonly name = 'MetricSourceError';
  constructor(
    readonly kind: MetricFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The kind of a failed HTTP answer, by its status. */
export function httpFailureKind(status: number): MetricFailureKind {
  if (status === 401) return 'Unauthorized';
  if (status === 403) return 'Forbidden';
  if (status === 404) return 'NotFound';
  if (status === 413) return 'TooLarge';
  if (status >= 400 && status < 500) return 'ClientError';
  return 'ServerError';
}
