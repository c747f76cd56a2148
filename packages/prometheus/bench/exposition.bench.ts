/**
 * Parsing 1 MB of exposition text (target, issue #5: ≤ 20 ms). The page is what ~110
 * vLLM engines' metrics look like side by side (gauges, counters, the TTFT and e2e
 * histograms with vLLM's buckets), in the text format and in OpenMetrics. The baseline
 * does the least any parser must: split the lines and read each value as a number.
 */
import { bench, describe } from 'vitest';
import { formatExposition, type MetricFamily, parseExposition } from '@prescale/prometheus';

const TTFT = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560];
const E2E = [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680];

function page(bytes: number): MetricFamily[] {
  const families: MetricFamily[] = [
    { name: 'vllm:num_requests_running', type: 'gauge', help: 'Number of requests in model execution batches.', samples: [] },
    { name: 'vllm:num_requests_waiting', type: 'gauge', help: 'Number of requests waiting to be processed.', samples: [] },
    { name: 'vllm:kv_cache_usage_perc', type: 'gauge', help: 'KV-cache usage. 1 means 100 percent usage.', samples: [] },
    { name: 'vllm:request_success_total', type: 'counter', help: 'Count of successfully processed requests.', samples: [] },
    { name: 'vllm:prompt_tokens_total', type: 'counter', help: 'Number of prefill tokens processed.', samples: [] },
    { name: 'vllm:time_to_first_token_seconds', type: 'histogram', help: 'Histogram of time to first token in seconds.', samples: [] },
    { name: 'vllm:e2e_request_latency_seconds', type: 'histogram', help: 'Histogram of e2e request latency in seconds.', samples: [] },
  ];
  const [running, waiting, kv, success, prompt, ttft, e2e] = families as [MetricFamily, MetricFamily, MetricFamily, MetricFamily, MetricFamily, MetricFamily, MetricFamily];
  for (let i = 0; formatExposition(families).length < bytes; i++) {
    const labels = { model_name: `meta-llama/Llama-3.1-8B-Instruct-${i}`, engine: String(i % 8) };
    running.samples.push({ name: running.name, labels, value: i % 17 });
    waiting.samples.push({ name: waiting.name, labels, value: i % 5 });
    kv.samples.push({ name: kv.name, labels, value: (i % 100) / 100 });
    for (const reason of ['stop', 'length', 'abort']) success.samples.push({ name: success.name, labels: { ...labels, finished_reason: reason }, value: 1000 + i });
    prompt.samples.push({ name: prompt.name, labels, value: 1.5e6 + i * 31 });
    for (const [f, bounds] of [[ttft, TTFT], [e2e, E2E]] as const) {
      bounds.forEach((le, k) => f.samples.push({ name: `${f.name}_bucket`, labels: { ...labels, le: String(le) }, value: k * 10 + i }));
      f.samples.push({ name: `${f.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: bounds.length * 10 + i });
      f.samples.push({ name: `${f.name}_sum`, labels, value: 1234.5678 + i });
      f.samples.push({ name: `${f.name}_count`, labels, value: bounds.length * 10 + i });
    }
  }
  return families;
}

const text = formatExposition(page(1 << 20));
// The same page in OpenMetrics: counter families lose _total, timestamps none, # EOF at the end.
const openMetrics = `${text.replace(/^# (HELP|TYPE) (vllm:\w+)_total /gm, '# $1 $2 ')}# EOF\n`;

let sink = 0;
describe(`parse ${(text.length / 2 ** 20).toFixed(2)} MiB of exposition text`, () => {
  bench('baseline: split lines and Number() each last field', () => {
    for (const line of text.split('\n')) {
      if (line === '' || line.charCodeAt(0) === 35) continue;
      sink += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  });

  bench('parseExposition, text format 0.0.4', () => {
    sink += parseExposition(text).length;
  });

  bench('parseExposition, OpenMetrics 1.0', () => {
    sink += parseExposition(openMetrics).length;
  });
});

bench.skip(`sink ${sink}`, () => undefined);
