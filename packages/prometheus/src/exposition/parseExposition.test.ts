import { fc, test } from '@fast-check/vitest';
import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LONG_TEST_TIMEOUT_MS, RUNS } from '../testSupport/runs.js';
import { detectFormat, parseExposition } from './parseExposition.js';
import type { MetricFamily } from './types.js';

const TEXT = `# A comment that is not metadata.
# HELP vllm:num_requests_waiting Requests waiting to be processed.
# TYPE vllm:num_requests_waiting gauge
vllm:num_requests_waiting{model_name="llama",engine="0"} 7
vllm:num_requests_waiting{model_name="mistral",engine="0",} 0

# HELP http_requests_total Requests, with a \\\\ and a \\n in its help.
# TYPE http_requests_total counter
http_requests_total{method="post",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"}    3   1395066363000
  http_requests_total { method = "get" , code = "200" } 12
# TYPE ttft_seconds histogram
ttft_seconds_bucket{le="0.05"} 24054
ttft_seconds_bucket{le="0.1"} 33444
ttft_seconds_bucket{le="+Inf"} 144320
ttft_seconds_sum 53423
ttft_seconds_count 144320
# TYPE rpc_duration_seconds summary
rpc_duration_seconds{quantile="0.5"} 4773
rpc_duration_seconds{quantile="0.99"} NaN
rpc_duration_seconds_sum 1.7560473e+07
rpc_duration_seconds_count 2693
escaped{path="C:\\\\dir\\\\file",quote="say \\"hi\\"",nl="a\\nb"} -Inf
no_type_line 1.5e-3
`;

const OPENMETRICS = `# TYPE vllm:request_success counter
# HELP vllm:request_success Finished requests.
vllm:request_success_total{finished_reason="stop"} 120 1700000000.5
vllm:request_success_created{finished_reason="stop"} 1699990000
vllm:request_success_total{finished_reason="length"} 8 # {trace_id="abc"} 1.0 1700000000.1
# TYPE build info
build_info{version="1.2.3"} 1
# TYPE queue_bytes gaugehistogram
# UNIT queue_bytes bytes
queue_bytes_bucket{le="1024"} 3
queue_bytes_bucket{le="+Inf"} 5
queue_bytes_gcount 5
queue_bytes_gsum 4096
# TYPE feature stateset
feature{feature="a"} 1
feature{feature="b"} 0
# TYPE mystery unknown
mystery 42
# EOF
`;

function family(families: MetricFamily[], name: string): MetricFamily {
  const f = families.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no family ${name}`);
  return f;
}

describe('text format 0.0.4', () => {
  const families = parseExposition(TEXT);

  it('groups samples into typed families with their help', () => {
    expect(families.map((f) => [f.name, f.type])).toEqual([
      ['vllm:num_requests_waiting', 'gauge'],
      ['http_requests_total', 'counter'],
      ['ttft_seconds', 'histogram'],
      ['rpc_duration_seconds', 'summary'],
      ['escaped', 'untyped'],
      ['no_type_line', 'untyped'],
    ]);
    expect(family(families, 'http_requests_total').help).toBe('Requests, with a \\ and a \n in its help.');
  });

  it('reads labels (trailing comma, spaces) and timestamps in milliseconds', () => {
    expect(family(families, 'vllm:num_requests_waiting').samples[1]).toEqual({ name: 'vllm:num_requests_waiting', labels: { model_name: 'mistral', engine: '0' }, value: 0 });
    expect(family(families, 'http_requests_total').samples).toEqual([
      { name: 'http_requests_total', labels: { method: 'post', code: '200' }, value: 1027, timestampMs: 1395066363000 },
      { name: 'http_requests_total', labels: { method: 'post', code: '400' }, value: 3, timestampMs: 1395066363000 },
      { name: 'http_requests_total', labels: { method: 'get', code: '200' }, value: 12 },
    ]);
  });

  it('keeps suffixed sample names in histogram and summary families, with NaN and ±Inf', () => {
    expect(family(families, 'ttft_seconds').samples.map((s) => [s.name, s.labels.le ?? '', s.value])).toEqual([
      ['ttft_seconds_bucket', '0.05', 24054],
      ['ttft_seconds_bucket', '0.1', 33444],
      ['ttft_seconds_bucket', '+Inf', 144320],
      ['ttft_seconds_sum', '', 53423],
      ['ttft_seconds_count', '', 144320],
    ]);
    expect(family(families, 'rpc_duration_seconds').samples[1]!.value).toBeNaN();
    expect(family(families, 'rpc_duration_seconds').samples[2]!.value).toBe(1.7560473e7);
  });

  it('unescapes label values', () => {
    expect(family(families, 'escaped').samples[0]).toEqual({ name: 'escaped', labels: { path: 'C:\\dir\\file', quote: 'say "hi"', nl: 'a\nb' }, value: -Infinity });
  });

  it('accepts an empty page and CRLF line ends', () => {
    expect(parseExposition('')).toEqual([]);
    expect(parseExposition('a 1\r\nb 2\r\n').map((f) => f.samples[0]!.value)).toEqual([1, 2]);
  });
});

describe('OpenMetrics 1.0', () => {
  const families = parseExposition(OPENMETRICS);

  it('is recognised by its # EOF or its content type', () => {
    expect(detectFormat(OPENMETRICS)).toBe('openmetrics');
    expect(detectFormat(TEXT)).toBe('prometheus');
    expect(detectFormat('a 1\n', 'application/openmetrics-text; version=1.0.0')).toBe('openmetrics');
  });

  it('reads counters by family name with _total and _created, skips exemplars, timestamps in seconds', () => {
    const f = family(families, 'vllm:request_success');
    expect(f).toMatchObject({ type: 'counter', help: 'Finished requests.' });
    expect(f.samples).toEqual([
      { name: 'vllm:request_success_total', labels: { finished_reason: 'stop' }, value: 120, timestampMs: 1_700_000_000_500 },
      { name: 'vllm:request_success_created', labels: { finished_reason: 'stop' }, value: 1_699_990_000 },
      { name: 'vllm:request_success_total', labels: { finished_reason: 'length' }, value: 8 },
    ]);
  });

  it('reads info, gaugehistogram (with its unit), stateset and unknown', () => {
    expect(families.map((f) => [f.name, f.type, f.samples.length])).toEqual([
      ['vllm:request_success', 'counter', 3],
      ['build', 'info', 1],
      ['queue_bytes', 'gaugehistogram', 4],
      ['feature', 'stateset', 2],
      ['mystery', 'unknown', 1],
    ]);
    expect(family(families, 'queue_bytes').unit).toBe('bytes');
    expect(family(families, 'build').samples[0]!.name).toBe('build_info');
  });
});

describe('bad pages are errors that name the line', () => {
  const cases: Array<[string, string, 'prometheus' | 'openmetrics', number, RegExp]> = [
    ['a value that is not a number', 'a 1\nb one\n', 'prometheus', 2, /"one" is not a number/],
    ['a missing value', 'a 1\nb\n', 'prometheus', 2, /expected a space and a value/],
    ['an unterminated label value', 'a{x="1} 2\n', 'prometheus', 1, /unterminated value/],
    ['a label without quotes', 'a{x=1} 2\n', 'prometheus', 1, /quoted value/],
    ['a missing comma', 'a{x="1" y="2"} 2\n', 'prometheus', 1, /expected , or \}/],
    ['a repeated label', 'a{x="1",x="2"} 2\n', 'prometheus', 1, /label x repeats/],
    ['a repeated series', 'a{x="1"} 1\na{x="1"} 2\n', 'prometheus', 2, /repeats/],
    ['a fractional timestamp in text', 'a 1 1.5\n', 'prometheus', 1, /integer milliseconds/],
    ['junk after the timestamp', 'a 1 2 3\n', 'prometheus', 1, /unexpected "3"/],
    ['an unknown type', '# TYPE a countr\na 1\n', 'prometheus', 1, /not a text-format metric type/],
    ['a second TYPE line', '# TYPE a gauge\n# TYPE a gauge\na 1\n', 'prometheus', 2, /second TYPE/],
    ['a bucket without le', '# TYPE h histogram\nh_bucket 1\n', 'prometheus', 2, /no numeric le/],
    ['a bucket with a bad le', '# TYPE h histogram\nh_bucket{le="big"} 1\n', 'prometheus', 2, /no numeric le/],
    ['a text page cut mid-line', '# TYPE a gauge\na 1\nb 2', 'prometheus', 3, /does not end with a line feed/],
    ['a name starting with a digit', '1a 1\n', 'prometheus', 1, /does not start with a metric name/],
    ['an OpenMetrics page without # EOF', '# TYPE a gauge\na 1\n', 'openmetrics', 3, /no "# EOF"/],
    ['text after # EOF', 'a 1\n# EOF\nb 2\n', 'openmetrics', 3, /after # EOF/],
    ['interleaved OpenMetrics families', '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na{x="y"} 2\n# EOF\n', 'openmetrics', 5, /interleaved/],
    ['an OpenMetrics counter without _total', '# TYPE c counter\nc 1\n# EOF\n', 'openmetrics', 2, /does not fit the counter family c .*_total/],
    ['a sample that does not fit its family', '# TYPE h histogram\nh 1\n', 'prometheus', 2, /does not fit the histogram family h/],
    ['an empty OpenMetrics line', 'a 1\n\n# EOF\n', 'openmetrics', 2, /empty line/],
    ['UNIT in the text format', '# UNIT a seconds\n', 'prometheus', 1, /only in OpenMetrics/],
  ];
  it.each(cases)('%s', (_, text, format, line, message) => {
    expect(() => parseExposition(text, { format, source: 'http://pod/metrics' })).toThrowError(
      expect.objectContaining({ code: 'InvalidExposition', line, url: 'http://pod/metrics', message: expect.stringMatching(message) }),
    );
  });
});

// Families rendered by prom-client 15.1.3 in both formats parse back to what was set.
const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/).filter((n) => !/(_total|_created|_bucket|_sum|_count|_info)$/.test(n));
const labelValue = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '"', '\\', '\n', 'é', '{', '}', ',', '=', '#'), maxLength: 8 });
const gaugeValue = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: false }), fc.constant(Number.NaN), fc.integer());
const spec = fc.record({
  names: fc.uniqueArray(name, { minLength: 3, maxLength: 3 }),
  gauges: fc.array(fc.tuple(labelValue, gaugeValue), { maxLength: 4 }),
  counters: fc.array(fc.tuple(labelValue, fc.double({ min: 0, max: 1e12, noNaN: true })), { maxLength: 4 }),
  observations: fc.array(fc.oneof(fc.double({ min: 0, max: 12, noNaN: true }), fc.integer({ min: 0, max: 48 }).map((q) => q / 4)), { maxLength: 20 }),
  // Positive bounds on a coarse grid, as latencies have: prom-client 15.1.3 counts an
  // observation above a single negative bound into it.
  buckets: fc.uniqueArray(fc.integer({ min: 1, max: 40 }).map((q) => q / 4), { minLength: 1, maxLength: 5 }),
});

async function render(s: Spec, openMetrics: boolean): Promise<string> {
  const registry = new client.Registry<client.RegistryContentType>();
  if (openMetrics) registry.setContentType(client.openMetricsContentType);
  const [g, c, h] = s.names as [string, string, string];
  const gauge = new client.Gauge({ name: g, help: `gauge ${g}`, labelNames: ['v'], registers: [registry] });
  for (const [v, x] of s.gauges) gauge.set({ v }, x);
  const counter = new client.Counter({ name: `${c}_total`, help: 'a "counter" \\ with\nlines', labelNames: ['v'], registers: [registry] });
  for (const [v, x] of s.counters) counter.inc({ v }, x);
  const histogram = new client.Histogram({ name: h, help: 'h', buckets: [...s.buckets].sort((a, b) => a - b), registers: [registry] }); // prom-client expects them sorted
  for (const x of s.observations) histogram.observe(x);
  return registry.metrics();
}

type Spec = { names: string[]; gauges: Array<[string, number]>; counters: Array<[string, number]>; observations: number[]; buckets: number[] };

/** What the registry holds, as series key → value. */
function expected(s: Spec): Map<string, number> {
  const out = new Map<string, number>();
  const [g, c, h] = s.names as [string, string, string];
  const last = new Map<string, number>();
  for (const [v, x] of s.gauges) last.set(v, x);
  for (const [v, x] of last) out.set(`${g}|v=${v}`, x === 0 ? 0 : x); // -0 prints as 0
  const sums = new Map<string, number>();
  for (const [v, x] of s.counters) sums.set(v, (sums.get(v) ?? 0) + x);
  for (const [v, x] of sums) out.set(`${c}_total|v=${v}`, x);
  const bounds = [...s.buckets].sort((a, b) => a - b);
  for (const b of bounds) out.set(`${h}_bucket|le=${b}`, s.observations.filter((x) => x <= b).length);
  out.set(`${h}_bucket|le=+Inf`, s.observations.length);
  out.set(`${h}_count|`, s.observations.length);
  return out;
}

function parsed(families: MetricFamily[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of families) {
    for (const s of f.samples) {
      if (s.name.endsWith('_sum')) continue; // float sums: compared separately
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}=${k === 'le' && v !== '+Inf' ? Number(v) : v}`);
      out.set(`${s.name}|${labels.join(',')}`, s.value);
    }
  }
  return out;
}

test.prop([spec], { numRuns: RUNS })("prom-client's text and OpenMetrics pages parse back to the values set", async (s) => {
  for (const om of [false, true]) {
    const text = await render(s as Spec, om);
    const families = parseExposition(text);
    expect(detectFormat(text)).toBe(om ? 'openmetrics' : 'prometheus');
    expect(parsed(families)).toEqual(expected(s as Spec));
    const h = families.find((f) => f.name === s.names[2])!;
    expect(h.type).toBe('histogram');
    const sum = h.samples.find((x) => x.name.endsWith('_sum'))!.value;
    expect(sum).toBeCloseTo(s.observations.reduce((a, b) => a + b, 0), 6);
    expect(families.find((f) => f.name === (om ? s.names[1] : `${s.names[1]}_total`))?.help).toBe('a "counter" \\ with\nlines');
  }
}, LONG_TEST_TIMEOUT_MS);
