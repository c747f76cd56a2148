/**
 * The metric ports the operator runs with: per-pod scrapes and Prometheus queries for
 * the {@link PodMetricsReader}, range queries for the {@link HistoryLoader}. They come
 * from `@prescale/prometheus`.
 * @module
 */
import type { HistoryLoader, PodMetricsReader } from '../controller/metricsPort.js';

export interface OperatorPorts {
  metrics: PodMetricsReader;
  history?: HistoryLoader;
}

/** Ports backed by `@prescale/prometheus`. */
export function defaultOperatorPorts(): OperatorPorts {
  throw new Error('pod scraping comes from @prescale/prometheus, which this build does not include yet');
}
