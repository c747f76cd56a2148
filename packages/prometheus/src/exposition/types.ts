/**
 * What a `/metrics` page holds once parsed: metric families, each with its type, help,
 * unit and samples. Sample names keep their suffixes (`_total`, `_bucket`, `_sum`, …),
 * so the same sample reads the same whether the page was Prometheus text (0.0.4) or
 * OpenMetrics 1.0 (prometheus.io/docs/instrumenting/exposition_formats,
 * github.com/OpenObservability/OpenMetrics specification/OpenMetrics.md).
 * @module
 */

export type Labels = Readonly<Record<string, string>>;

/** Metric types of both formats: `untyped` is the text format's, `unknown` OpenMetrics'. */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'unknown' | 'untyped';

export interface Sample {
  /** The sample's own name, suffix included: `vllm:request_success_total`, `x_bucket`. */
  name: string;
  labels: Labels;
  /** May be NaN or ±Infinity, as exposed. */
  value: number;
  /** Milliseconds since the epoch, when the page gave one. */
  timestampMs?: number;
}

export interface MetricFamily {
  /** The family name: the TYPE line's name, or the sample name for an untyped sample. */
  name: string;
  type: MetricType;
  help?: string;
  unit?: string;
  samples: Sample[];
}

export type ExpositionFormat = 'prometheus' | 'openmetrics';

/** The Accept header that asks for OpenMetrics and falls back to the text format. */
export const SCRAPE_ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
