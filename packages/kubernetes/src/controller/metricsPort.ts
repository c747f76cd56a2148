/**
 * What the controller learns from outside the API server, as ports so the metric
 * plumbing can be swapped (and faked in tests): the current value of a metric on each
 * pod, the current request rate a predictive scaler learns from, and the load history a
 * forecaster needs. The operator receives them as arguments; `prescale operator`
 * implements them on `@prescale/prometheus` (packages/cli/src/operator/ports.ts), so
 * this package does not depend on it.
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

/** Where a predictive scaler's request rate comes from: a PromQL query on a Prometheus server. */
export interface RequestRateQuery {
  endpoint: string;
  /** A query whose value is requests per second (`spec.predictive.history.query`). */
  query: string;
}

export interface RequestRateReader {
  /**
   * The query's current value, requests per second (several series summed), or null
   * when it returned nothing usable. Read every loop of a predictive scaler.
   */
  readRequestRate(query: RequestRateQuery): Promise<number | null>;
}

/** The metric reads of every loop: the pods' values, `prometheus` sources, and the request rate. */
export interface PodMetricsReader extends RequestRateReader {
  /**
   * The value of `source.targetMetric` (samples matching `source.labelMatchers`,
   * summed) on each pod, by pod name. A pod that could not be scraped, has no IP or does
   * not expose the metric is `null` (missing), never 0.
   */
  readPods(pods: readonly PodEndpoint[], source: MetricSource): Promise<Record<string, number | null>>;
  /** The value of a `prometheus` source's query (one number), or null when it failed. */
  readQuery(source: MetricSource): Promise<number | null>;
}

export interface HistoryRequest {
  endpoint: string;
  query: string;
  /** ms since the epoch. */
  from: number;
  to: number;
  stepMs: number;
}

export interface HistoryLoader {
  /**
   * The query's values (a request rate, req/s) as a regular series of `stepMs` bins,
   * aligned to the epoch, with gaps marked.
   */
  load(request: HistoryRequest): Promise<BinnedSeries>;
}
