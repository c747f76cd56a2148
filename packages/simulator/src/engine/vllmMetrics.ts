/**
 * The metrics a simulated replica exposes, with vLLM's names, types, buckets and 0–1
 * scale (reference simulator.md §3, from vllm `vllm/v1/metrics/loggers.py`). The KV-cache
 * gauge is `vllm:kv_cache_usage_perc` from 0.10 on; 0.9 exposes it under both names;
 * before 0.9 only `vllm:gpu_cache_usage_perc` exists. The per-gap inter-token histogram
 * is `vllm:time_per_output_token_seconds` before 0.11 and
 * `vllm:inter_token_latency_seconds` from 0.11 on (both in 0.11 and 0.12).
 * @module
 */

import { SimulatorError } from '../errors.js';
import { BucketIndex } from './bucketIndex.js';

/** A vLLM release line that decides metric names: `0.6`, `0.9`, `0.10`, `0.11`, `0.13`… */
export type VllmVersion = string;
export const DEFAULT_VLLM_VERSION: VllmVersion = '0.10';

export const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560];
export const ITL_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80];
export const E2E_BUCKETS = [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680];

function minor(version: VllmVersion): number {
  const m = /^0\.(\d+)/.exec(version);
  return m ? Number(m[1]) : 99;
}

/** The metric names that depend on the version. */
export interface MetricNames {
  /** The KV-cache gauge. */
  kvCache: string[];
  /** The inter-token histogram. */
  interToken: string[];
  /** `_sum` and `_count` of each `interToken` name. */
  interTokenSum: string[];
  interTokenCount: string[];
}

/** The names of the KV-cache gauge and the inter-token histogram in a version. */
export function metricNames(version: VllmVersion): MetricNames {
  const v = minor(version);
  const kvCache = v < 9 ? ['vllm:gpu_cache_usage_perc'] : v === 9 ? ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'] : ['vllm:kv_cache_usage_perc'];
  const interToken = v < 11 ? ['vllm:time_per_output_token_seconds'] : v < 13 ? ['vllm:inter_token_latency_seconds', 'vllm:time_per_output_token_seconds'] : ['vllm:inter_token_latency_seconds'];
  return { kvCache, interToken, interTokenSum: interToken.map((n) => `${n}_sum`), interTokenCount: interToken.map((n) => `${n}_count`) };
}

/**
 * A cumulative histogram with fixed upper bounds, as Prometheus keeps it. Without
 * `buckets` it keeps only `_sum` and `_count` (all a scaler reads from a scrape; a
 * simulation run skips the bucket lookup per observation), and its bucket counts stay 0.
 */
export class BucketHistogram {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  private readonly index: BucketIndex | null;

  constructor(
    readonly bounds: readonly number[],
    buckets = true,
  ) {
    this.counts = new Float64Array(bounds.length + 1);
    this.index = buckets ? new BucketIndex(bounds) : null;
  }

  /** Whether the bucket counts are kept (a `/metrics` page can be rendered from them). */
  get bucketed(): boolean {
    return this.index !== null;
  }

  observe(value: number, weight = 1): void {
    // The first bucket whose upper bound is at least the value (the last is +Inf).
    if (this.index !== null) this.counts[this.index.of(value)]! += weight;
    this.sum += value * weight;
    this.count += weight;
  }
}

/**
 * A replica's counters and histograms since its engine started (they reset with the
 * pod). `buckets: false` keeps the histograms' sums and counts only: what a simulation
 * run's scrapes read; a replica whose `/metrics` page is rendered keeps the buckets.
 */
export class ReplicaMetrics {
  promptTokens = 0;
  generationTokens = 0;
  success = 0;
  aborted = 0;
  preemptions = 0;
  readonly ttft: BucketHistogram;
  readonly interToken: BucketHistogram;
  readonly e2e: BucketHistogram;

  constructor(buckets = true) {
    this.ttft = new BucketHistogram(TTFT_BUCKETS, buckets);
    this.interToken = new BucketHistogram(ITL_BUCKETS, buckets);
    this.e2e = new BucketHistogram(E2E_BUCKETS, buckets);
  }
}

/** What a scrape reads of a replica's metrics besides the gauges: counters, and sums and counts of the histograms. */
export interface MetricCounters {
  promptTokens: number;
  generationTokens: number;
  success: number;
  preemptions: number;
  ttft: { sum: number; count: number };
  e2e: { sum: number; count: number };
  interToken: { sum: number; count: number };
}

/** The instantaneous state a scrape reads. */
export interface ReplicaGauges {
  running: number;
  waiting: number;
  /** 0–1: `1 − free/(total − 1)`, as vLLM's block pool computes it (one null block). */
  kvCacheUsage: number;
}

/**
 * The per-pod values a scaler observes, by vLLM name: gauges, counters, and `_sum` /
 * `_count` of the histograms (what a `rate(sum)/rate(count)` mean needs).
 */
export function podMetricValues(g: ReplicaGauges, m: MetricCounters, names: MetricNames): Record<string, number> {
  const out: Record<string, number> = {
    'vllm:num_requests_running': g.running,
    'vllm:num_requests_waiting': g.waiting,
    'vllm:prompt_tokens_total': m.promptTokens,
    'vllm:generation_tokens_total': m.generationTokens,
    'vllm:request_success_total': m.success,
    'vllm:num_preemptions_total': m.preemptions,
    'vllm:time_to_first_token_seconds_sum': m.ttft.sum,
    'vllm:time_to_first_token_seconds_count': m.ttft.count,
    'vllm:e2e_request_latency_seconds_sum': m.e2e.sum,
    'vllm:e2e_request_latency_seconds_count': m.e2e.count,
  };
  for (const name of names.kvCache) out[name] = g.kvCacheUsage;
  for (let i = 0; i < names.interToken.length; i++) {
    out[names.interTokenSum[i]!] = m.interToken.sum;
    out[names.interTokenCount[i]!] = m.interToken.count;
  }
  return out;
}

function histogramLines(name: string, h: BucketHistogram, labels: string): string[] {
  const lines = [`# TYPE ${name} histogram`];
  let cumulative = 0;
  for (let i = 0; i < h.bounds.length; i++) {
    cumulative += h.counts[i]!;
    lines.push(`${name}_bucket{${labels},le="${h.bounds[i]}"} ${cumulative}`);
  }
  lines.push(`${name}_bucket{${labels},le="+Inf"} ${h.count}`, `${name}_sum{${labels}} ${h.sum}`, `${name}_count{${labels}} ${h.count}`);
  return lines;
}

/**
 * The replica's `/metrics` page in the Prometheus text format 0.0.4, as vLLM would
 * serve it, so code that parses a live endpoint can be tested against the simulator.
 */
export function renderExposition(
  g: ReplicaGauges,
  m: ReplicaMetrics,
  options: { version?: VllmVersion; modelName?: string; numGpuBlocks: number },
): string {
  if (!m.ttft.bucketed) throw new SimulatorError('InvalidConfig', 'renderExposition', 'metrics without buckets', 'the replica keeps histogram sums and counts only: create it with histogram buckets to render its /metrics page');
  const version = options.version ?? DEFAULT_VLLM_VERSION;
  const names = metricNames(version);
  const labels = `model_name="${options.modelName ?? 'model'}"`;
  const lines: string[] = [];
  const gauge = (name: string, v: number) => lines.push(`# TYPE ${name} gauge`, `${name}{${labels}} ${v}`);
  const counter = (name: string, v: number, extra = '') => lines.push(`# TYPE ${name} counter`, `${name}{${labels}${extra}} ${v}`);
  gauge('vllm:num_requests_running', g.running);
  gauge('vllm:num_requests_waiting', g.waiting);
  for (const name of names.kvCache) gauge(name, g.kvCacheUsage);
  counter('vllm:prompt_tokens_total', m.promptTokens);
  counter('vllm:generation_tokens_total', m.generationTokens);
  lines.push('# TYPE vllm:request_success_total counter', `vllm:request_success_total{${labels},finished_reason="length"} ${m.success}`, `vllm:request_success_total{${labels},finished_reason="abort"} ${m.aborted}`);
  counter('vllm:num_preemptions_total', m.preemptions);
  lines.push(...histogramLines('vllm:time_to_first_token_seconds', m.ttft, labels));
  for (const name of names.interToken) lines.push(...histogramLines(name, m.interToken, labels));
  lines.push(...histogramLines('vllm:e2e_request_latency_seconds', m.e2e, labels));
  lines.push('# TYPE vllm:cache_config_info gauge', `vllm:cache_config_info{block_size="16",num_gpu_blocks="${options.numGpuBlocks}"} 1`);
  return `${lines.join('\n')}\n`;
}
