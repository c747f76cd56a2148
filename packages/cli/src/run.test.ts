/**
 * One voice and one exit-code convention for every command (issue 17, item 9): 0
 * success, 1 a failed result, 2 a usage or input error; every error is one line
 * `prescale: <where>: <what>` naming the flag, argument or file as the user wrote it,
 * with values as the user writes them (no internal field names, no milliseconds).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { program } from './program.js';
import { runCli } from './run.js';

const shared = process.env.PRESCALE_SHARED!;
const nasa = join(shared, 'data/nasa_http_1995/arrivals_1min.csv');
const dir = mkdtempSync(join(tmpdir(), 'prescale-run-'));
/** A loopback port nothing listens on. */
let closedPort = 0;

beforeAll(async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closedPort = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Runs `prescale ...args`: the exit code and what went to stderr (commander's messages and ours). */
async function prescale(...args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  const err: string[] = [];
  const out: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(`${a.join(' ')}\n`));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(`${a.join(' ')}\n`));
  const code = await runCli(['node', 'prescale', ...args], (text) => void err.push(text));
  vi.restoreAllMocks();
  return { code, stderr: err.join(''), stdout: out.join('') };
}

/** A conformance file with one passing APA vector, or the same vector expecting a wrong answer. */
function vectorFile(passing: boolean): string {
  const suite = JSON.parse(readFileSync(join(shared, 'conformance/aibrix-apa.json'), 'utf8')) as { cases: Array<{ expect: { desiredReplicas: number } }> };
  const one = suite.cases[0]!;
  const cases = [passing ? one : { ...one, expect: { desiredReplicas: one.expect.desiredReplicas + 1 } }];
  return file(passing ? 'pass.json' : 'fail.json', JSON.stringify({ ...suite, cases }));
}

describe('exit code 0: success', () => {
  it('--version prints the CLI package’s version', async () => {
    const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version as string;
    expect(await prescale('--version')).toEqual({ code: 0, stderr: '', stdout: `${version}\n` });
  });

  it('--help of every command, a passing conformance run and the example', async () => {
    for (const command of ['', ...program().commands.map((c) => c.name())]) {
      const ran = await prescale(...(command ? [command] : []), '--help');
      expect(ran.code, command).toBe(0);
      expect(ran.stdout, command).toMatch(/^Usage: prescale/);
    }
    expect(await prescale('conformance', vectorFile(true))).toMatchObject({ code: 0, stdout: '1 passed, 0 failed\n' });
    expect((await prescale('example', '--scaler', 'kpa')).code).toBe(0);
  });
});

describe('exit code 1: the command ran and failed', () => {
  it('a failed conformance case, an unreachable pod, an unreachable Prometheus', async () => {
    expect(await prescale('conformance', vectorFile(false))).toMatchObject({ code: 1, stdout: expect.stringMatching(/0 passed, 1 failed\n$/) });
    expect(await prescale('scrape', `http://127.0.0.1:${closedPort}/metrics`, '--timeout', '2s')).toMatchObject({ code: 1, stderr: expect.stringContaining('1 of 1 pods failed') });
    const history = await prescale('history', '--prometheus', `http://127.0.0.1:${closedPort}`, '--query', 'x', '--from', '1h', '--timeout', '2s');
    expect(history).toMatchObject({ code: 1, stderr: expect.stringMatching(/^prescale: Unreachable: .*127\.0\.0\.1/) });
  });
});

describe('exit code 2: usage and input errors, one line naming the flag or file', () => {
  const bad = () => file('bad.csv', 't_start_iso,requests\n2020-01-01T00:00:00Z,1\n2020-01-01T00:10:00Z,many\n');
  const missing = () => join(dir, 'missing.csv');
  const cases: Array<[string, () => string[], RegExp]> = [
    ['an unknown command', () => ['simulat'], /^prescale: unknown command 'simulat'\n\(Did you mean simulate\?\)/],
    ['an unknown flag', () => ['simulate', '--warmpu', '1d'], /^prescale: unknown option '--warmpu'\n\(Did you mean --warmup\?\)\n\(prescale simulate --help lists its options\)\n$/],
    ['a missing required flag', () => ['forecast'], /^prescale: required option '--input <file>' not specified\n/],
    ['a bad choice', () => ['example', '--scaler', 'foo'], /^prescale: option '--scaler <name>' argument 'foo' is invalid/],
    ['a bad duration', () => ['simulate', '--warmup', '90', '--no-report'], /^prescale: --warmup: must be a duration such as 250ms, 90s, 5m, 1h30m, 14d or 2w \(got "90"\)\n$/],
    ['a bad integer', () => ['simulate', '--seed', 'x', '--no-report'], /^prescale: --seed: must be an integer \(got "x"\)\n$/],
    ['a horizon that is not a whole number of bins', () => ['backtest', '--input', nasa, '--horizon', '7m'], /^prescale: --horizon: must be a whole number \(≥ 1\) of 10-minute bins \(got 7m\)\n$/],
    ['a horizon the forecast cannot take', () => ['forecast', '--input', nasa, '--horizon', '7m'], /^prescale: --horizon: must be a whole number \(≥ 1\) of 10-minute bins \(got 7m\)\n$/],
    ['a bin that does not divide the trace’s', () => ['forecast', '--input', nasa, '--bin', '90s'], new RegExp(`^prescale: --bin: 1m30s is not a whole multiple of the 1m bins of ${nasa}\n$`)],
    ['a bad --at', () => ['forecast', '--input', nasa, '--at', 'noon'], /^prescale: --at: "noon" is not an ISO-8601 time with an offset/],
    ['a malformed trace in forecast', () => ['forecast', '--input', bad()], new RegExp(`^prescale: ${dir}/bad\\.csv line 3: requests must be a number or empty \\(a gap\\) \\(got "many"\\)\n$`)],
    ['the same malformed trace in simulate', () => ['simulate', '--trace', bad(), '--no-report'], new RegExp(`^prescale: ${dir}/bad\\.csv line 3: requests must be a number or empty \\(a gap\\) \\(got "many"\\)\n$`)],
    ['a missing trace in forecast', () => ['forecast', '--input', missing()], new RegExp(`^prescale: ${missing()}: no such file or directory\n$`)],
    ['a missing trace in simulate', () => ['simulate', '--trace', missing(), '--no-report'], new RegExp(`^prescale: ${missing()}: no such file or directory\n$`)],
    ['a missing lengths file in profile', () => ['profile', '--lengths', missing()], new RegExp(`^prescale: ${missing()}: no such file or directory\n$`)],
    ['a missing config file', () => ['simulate', '--config', join(dir, 'missing.yaml'), '--no-report'], new RegExp(`^prescale: ${dir}/missing\\.yaml: no such file or directory\n$`)],
    ['a missing manifest in convert', () => ['convert', join(dir, 'missing.yaml')], new RegExp(`^prescale: ${dir}/missing\\.yaml: no such file or directory\n$`)],
    ['a malformed manifest in convert', () => ['convert', file('bad.yaml', 'kind: PodAutoscaler\napiVersion: [\n')], new RegExp(`^prescale: ${dir}/bad\\.yaml line 3 column 1: not valid YAML: .+\n$`)],
    ['a manifest without a PodAutoscaler', () => ['convert', file('deploy.yaml', 'kind: Deployment\napiVersion: apps/v1\n')], new RegExp(`^prescale: ${dir}/deploy\\.yaml: no autoscaling\\.aibrix\\.ai/v1alpha1 PodAutoscaler found\n$`, 'm')],
    ['a scrape target that is not a URL', () => ['scrape', 'not-a-url'], /^prescale: urls: "not-a-url" is not an http or https URL\n$/],
    ['a Prometheus that is not a URL', () => ['history', '--prometheus', 'not-a-url', '--query', 'x', '--from', '1h'], /^prescale: --prometheus: "not-a-url" is not an http or https URL\n$/],
    ['the same in backtest', () => ['backtest', '--prometheus', 'not-a-url', '--query', 'x', '--from', '1h', '--horizon', '10m'], /^prescale: --prometheus: "not-a-url" is not an http or https URL\n$/],
    ['a bad --from', () => ['history', '--prometheus', 'http://127.0.0.1:9', '--query', 'x', '--from', 'yesterday'], /^prescale: --from: "yesterday" is not a time/],
    ['a bad --match', () => ['scrape', 'http://127.0.0.1:9/metrics', '--match', '{a~"b"}'], /^prescale: --match: cannot read label matchers/],
    ['a bad --quantile', () => ['scrape', 'http://127.0.0.1:9/metrics', '--metric', 'm', '--quantile', 'abc'], /^prescale: --quantile: must be a number from 0 to 1 \(got "abc"\)\n$/],
    ['an unknown model', () => ['backtest', '--input', nasa, '--horizon', '10m', '--models', 'prophet'], /^prescale: --models: "prophet" is not one of auto, /],
    ['an unknown pattern', () => ['simulate', '--pattern', 'nope', '--no-report'], /^prescale: --pattern: unknown "nope"; valid: /],
  ];

  it.each(cases)('%s', async (_, args, message) => {
    const ran = await prescale(...args());
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(message);
    expect(ran.stderr).not.toMatch(/\b[a-z]+Ms\b|\(got \d{4,}\)|ENOENT|Error:/);
  });

  it('every command refuses an unknown flag (or first a missing required one) with 2', async () => {
    for (const command of program().commands.map((c) => c.name())) {
      const ran = await prescale(command, '--no-such-flag');
      expect(ran.code, command).toBe(2);
      expect(ran.stderr, command).toMatch(/^prescale: (unknown option '--no-such-flag'|required option '.+' not specified)\n/);
    }
  });
});
