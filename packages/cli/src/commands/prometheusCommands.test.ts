/**
 * `prescale history` and `prescale scrape` against small HTTP servers on loopback that
 * answer like Prometheus and like vLLM pods (the real-Prometheus tests live in
 * @prescale/prometheus).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCountTrace } from '@prescale/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { program } from '../program.js';
import { parseByteSize } from '../prometheusFlags.js';
import { parseUtcOffset } from './history.js';

async function serve(listener: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(listener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const T0 = Date.parse('2026-11-02T00:00:00-04:00');
const MIN = 60_000;
/** Requests per 10 minutes, by the end of the bin; nothing between 01:00 and 01:30 local. */
const valueAt = (ms: number): number | null => (ms > T0 + 60 * MIN && ms <= T0 + 90 * MIN ? null : (ms - T0) / MIN);
/** Requests per hour with a daily cycle, for the backtest. */
const daily = (ms: number): number => Math.round(100 + 50 * Math.sin((2 * Math.PI * ms) / 86_400_000));

let dir: string;
let prometheus: { server: Server; url: string };
let pods: { server: Server; url: string };
const queries: URLSearchParams[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prescale-cli-'));
  prometheus = await serve((req, res) => {
    const params = new URL(req.url ?? '', 'http://x').searchParams;
    queries.push(params);
    const start = Number(params.get('start')) * 1000;
    const end = Number(params.get('end')) * 1000;
    const step = Number(params.get('step')) * 1000;
    const values: Array<[number, string]> = [];
    for (let t = start; t <= end; t += step) {
      const v = params.get('query') === 'daily' ? daily(t) : valueAt(t);
      if (v !== null) values.push([t / 1000, String(v)]);
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { job: 'vllm' }, values }] } }));
  });
  pods = await serve((req, res) => {
    if (req.url === '/down') {
      res.statusCode = 503;
      return void res.end('starting');
    }
    res.end(
      [
        '# TYPE vllm:num_requests_waiting gauge',
        'vllm:num_requests_waiting{model_name="a"} 3',
        'vllm:num_requests_waiting{model_name="b"} 5',
        '# TYPE vllm:time_to_first_token_seconds histogram',
        'vllm:time_to_first_token_seconds_bucket{le="0.1"} 5',
        'vllm:time_to_first_token_seconds_bucket{le="1"} 10',
        'vllm:time_to_first_token_seconds_bucket{le="+Inf"} 10',
        '',
      ].join('\n'),
    );
  });
});

afterAll(() => {
  prometheus.server.close();
  pods.server.close();
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

function run(...args: string[]): Promise<unknown> {
  return program().exitOverride().parseAsync(['node', 'prescale', ...args]);
}

describe('prescale history', () => {
  it('writes the series as a count trace in local time, gaps as empty fields, with a JSON summary', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const out = join(dir, 'h.csv');
    const json = join(dir, 'h.json');
    await run('history', '--prometheus', prometheus.url, '--query', 'sum(increase(x[10m]))', '--from', '2026-11-02T00:00:00-04:00', '--to', '2026-11-02T03:00:00-04:00',
      '--step', '10m', '--utc-offset', '-04:00', '--out', out, '--json', json);
    const csv = readFileSync(out, 'utf8');
    expect(csv.split('\n').slice(0, 2)).toEqual(['t_start_iso,requests', '2026-11-02T00:00:00-04:00,10']);
    expect(csv).toContain('\n2026-11-02T01:00:00-04:00,\n'); // the bin ending 01:10 had no value
    const series = parseCountTrace(csv, out);
    expect(series.values).toEqual([10, 20, 30, 40, 50, 60, null, null, null, 100, 110, 120, 130, 140, 150, 160, 170, 180]);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ bins: 18, gaps: 3, requests: 1, labels: { job: 'vllm' }, from: '2026-11-02T00:00:00-04:00', to: '2026-11-02T03:00:00-04:00' });
    expect(queries.at(-1)!.get('query')).toBe('sum(increase(x[10m]))');
  });

  it('fails with a typed error naming the URL when Prometheus cannot be reached', async () => {
    await expect(run('history', '--prometheus', 'http://127.0.0.1:9', '--query', 'x', '--from', '1h', '--timeout', '2s')).rejects.toMatchObject({
      code: 'Unreachable',
      message: expect.stringContaining('http://127.0.0.1:9/api/v1/query_range'),
    });
  });

  it('reads UTC offsets', () => {
    expect(['-04:00', '+05:30', 'Z', '-240'].map(parseUtcOffset)).toEqual([-240, 330, 0, -240]);
    expect(() => parseUtcOffset('EDT')).toThrow(/--utc-offset/);
  });
});

describe('prescale backtest --prometheus', () => {
  it('backtests the history Prometheus returns exactly as the same history written to a file', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const range = ['--query', 'daily', '--from', '2026-11-01T00:00:00Z', '--to', '2026-11-11T00:00:00Z'];
    const common = ['--bin', '1h', '--horizon', '1h', '--warmup', '7d', '--models', 'persistence,seasonal-naive-daily'];
    const file = join(dir, 'daily.csv');
    await run('history', '--prometheus', prometheus.url, ...range, '--step', '1h', '--out', file);
    await run('backtest', '--input', file, ...common);
    await run('backtest', '--prometheus', prometheus.url, ...range, ...common);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(lines[0]);
    expect(lines[0]).toMatch(/\| seasonal-naive-daily \| \d+ \| 0\.0 \|/); // a pure daily cycle: the day before is exact
    await expect(run('backtest', ...common)).rejects.toThrow(/either --input FILE or --prometheus/);
  });
});

describe('prescale scrape', () => {
  function capture(): string[] {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(`${line}\n`));
    vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(`${line}\n`));
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    return lines;
  }

  it('prints the parsed metrics of each pod, filtered, and exits 1 when a pod failed', async () => {
    const lines = capture();
    await run('scrape', `${pods.url}/metrics`, `${pods.url}/down`, '--metric', 'vllm:num_requests_waiting', '--match', '{model_name="b"}');
    const text = lines.join('');
    expect(text).toContain(`== ${pods.url}/metrics  ok, 2 families, 5 samples`);
    expect(text).toContain('# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting{model_name="b"} 5\n');
    expect(text).not.toContain('model_name="a"');
    expect(text).toMatch(new RegExp(`== ${pods.url}/down  FAILED after \\d+ ms: HttpStatus: the pod answered 503: starting`));
    expect(text).toContain('1 of 2 pods failed');
    expect(process.exitCode).toBe(1);
  });

  it('fails a pod whose page is larger than --max-body-size with BodyTooLarge, naming the URL and the cap', async () => {
    const big = await serve((_, res) => res.end(`${'# padding\n'.repeat(20_000)}up 1\n`));
    try {
      const lines = capture();
      await run('scrape', `${pods.url}/metrics`, `${big.url}/metrics`, '--max-body-size', '100KiB');
      const text = lines.join('');
      expect(text).toContain(`== ${pods.url}/metrics  ok`);
      expect(text).toMatch(new RegExp(`== ${big.url}/metrics  FAILED after \\d+ ms: BodyTooLarge: the response body is larger than the 100 KiB cap`));
      expect(text).toContain('1 of 2 pods failed');
      expect(process.exitCode).toBe(1);
      await expect(run('scrape', `${pods.url}/metrics`, '--max-body-size', 'huge')).rejects.toThrow(/--max-body-size: "huge" must be a size/);
    } finally {
      big.server.close();
    }
  });

  it('reads sizes', () => {
    expect(['10MiB', '64MB', '512 KiB', '1000', '1.5kb'].map((t) => parseByteSize('--x', t))).toEqual([10 * 1024 * 1024, 64_000_000, 512 * 1024, 1000, 1500]);
    for (const bad of ['0', '-1', '10 parsecs', '']) expect(() => parseByteSize('--x', bad)).toThrow(/--x/);
  });

  it('prints a histogram quantile per pod, and a failed pod as missing', async () => {
    const lines = capture();
    await run('scrape', `${pods.url}/metrics`, `${pods.url}/down`, '--metric', 'vllm:time_to_first_token_seconds', '--quantile', '0.75');
    expect(lines.join('')).toContain(`${pods.url}/metrics  0.55\n`); // rank 7.5: 2.5 of 5 into (0.1, 1]
    expect(lines.join('')).toContain(`${pods.url}/down  missing (ScrapeFailed: HttpStatus`);
  });
});
