/**
 * Runs a real Prometheus for tests and benchmarks (not exported from the package):
 * Debian's `prometheus` and `promtool` (or those in `$PROMETHEUS_BIN_DIR`), on a free
 * loopback port, with a temporary data directory that is removed when it stops.
 * History is loaded with `promtool tsdb create-blocks-from openmetrics`
 * (prometheus.io/docs/prometheus/latest/storage, "Backfilling from OpenMetrics format").
 *
 * Two storage rules matter for backfilled history:
 * - time retention is counted back from the newest block, not from the wall clock, and
 *   defaults to 15 d: three weeks of blocks would lose their oldest week at start-up,
 *   so the server runs with a retention of 100 y;
 * - promtool writes 2 h blocks by default and re-reads the whole input once per block;
 *   `--max-block-duration` (hidden in 2.42's help, listed in later versions) makes them
 *   162 h, which keeps the backfill well under a second.
 *
 * The server never outlives the process that started it: it runs under a small `sh`
 * watchdog in its own process group, which stops it when that process is gone (even
 * after SIGKILL, or a test worker torn down without its hooks), and `stop()` ends the
 * whole group.
 * @module
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PrometheusBinaries {
  prometheus: string;
  promtool: string;
}

/** The binaries, or null when either is missing. */
export function findPrometheus(): PrometheusBinaries | null {
  const dirs = [process.env.PROMETHEUS_BIN_DIR, ...(process.env.PATH ?? '').split(delimiter)].filter((d): d is string => !!d);
  const find = (name: string): string | null => {
    for (const dir of dirs) {
      const path = join(dir, name);
      if (existsSync(path)) return path;
    }
    return null;
  };
  const prometheus = find('prometheus');
  const promtool = find('promtool');
  return prometheus && promtool ? { prometheus, promtool } : null;
}

/** What tests say when the binaries are missing: fail in CI, skip loudly elsewhere. */
export const MISSING_PROMETHEUS =
  'prometheus/promtool not found: install Debian\'s package (apt-get install -y prometheus) or set PROMETHEUS_BIN_DIR. ' +
  'The tests against a real Prometheus are SKIPPED outside CI and FAIL in CI.';

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** One gauge series of `values` (null: no sample) at `startMs + i·stepMs`, as OpenMetrics text. */
export function gaugeOpenMetrics(name: string, labels: string, startMs: number, stepMs: number, values: ReadonlyArray<number | null>): string {
  const lines = [`# HELP ${name} Backfilled by prescale's tests.`, `# TYPE ${name} gauge`];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    lines.push(`${name}${labels} ${v} ${(startMs + i * stepMs) / 1000}`);
  }
  lines.push('# EOF', '');
  return lines.join('\n');
}

export interface RealPrometheus {
  url: string;
  dataDir: string;
  /** Stops the server (TERM, then KILL) and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
  /** The server's log so far. */
  log(): string;
}

export interface StartOptions {
  /** OpenMetrics texts to backfill before the start. */
  backfill?: readonly string[];
  /** `scrape_configs` entries, as YAML lines indented under the key. */
  scrapeConfigs?: string;
  /** Extra flags. */
  args?: readonly string[];
}

/** Starts Prometheus and waits until it is ready (20 s at most). */
export async function startPrometheus(bins: PrometheusBinaries, options: StartOptions = {}): Promise<RealPrometheus> {
  const root = await mkdtemp(join(tmpdir(), 'prescale-prometheus-'));
  const dataDir = join(root, 'data');
  try {
    for (const [i, text] of (options.backfill ?? []).entries()) {
      const file = join(root, `backfill-${i}.om`);
      await writeFile(file, text);
      await run(bins.promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=162h', '--quiet', file, dataDir], { maxBuffer: 16 << 20 });
    }
    const config = join(root, 'prometheus.yml');
    await writeFile(config, `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n${options.scrapeConfigs ?? '  []'}\n`);
    for (let tries = 1; ; tries++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const child = spawn(
        '/bin/sh',
        [
          '-c',
          WATCHDOG,
          bins.prometheus,
          `--config.file=${config}`,
          `--storage.tsdb.path=${dataDir}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--storage.tsdb.retention.time=100y',
          '--log.level=warn',
          ...(options.args ?? []),
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, PRESCALE_WATCH_PID: String(process.pid), PRESCALE_CLEAN_DIR: root } },
      );
      let log = '';
      child.stdout?.on('data', (b: Buffer) => (log += b.toString()));
      child.stderr?.on('data', (b: Buffer) => (log += b.toString()));
      const killOnExit = (): void => signalGroup(child, 'SIGKILL');
      process.once('exit', killOnExit);
      let stopped: Promise<void> | null = null;
      const stop = (): Promise<void> =>
        (stopped ??= (async () => {
          process.removeListener('exit', killOnExit);
          await terminate(child);
          await rm(root, { recursive: true, force: true });
        })());
      try {
        await waitReady(url, child, () => log);
        return { url, dataDir, stop, log: () => log };
      } catch (error) {
        await terminate(child);
        process.removeListener('exit', killOnExit);
        if (tries < 3 && /address already in use/.test(log)) continue;
        throw error;
      }
    }
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${log()}`);
    try {
      const r = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      if (r.status === 200) return;
      await r.body?.cancel();
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`prometheus was not ready within 20 s:\n${log()}`);
}

/**
 * Runs `"$0" "$@"` (prometheus and its flags) and stops it when this shell is told to
 * stop, or when the process `$PRESCALE_WATCH_PID` is gone, in which case it also removes
 * `$PRESCALE_CLEAN_DIR` (nobody is left to). Exits with prometheus' status.
 */
const WATCHDOG = `"$0" "$@" &
child=$!
orphaned=
trap 'kill "$child" 2>/dev/null' TERM INT HUP
while kill -0 "$child" 2>/dev/null; do
  if ! kill -0 "$PRESCALE_WATCH_PID" 2>/dev/null; then kill "$child" 2>/dev/null; orphaned=1; fi
  sleep 0.2
done
wait "$child"
status=$?
if [ -n "$orphaned" ]; then rm -rf "$PRESCALE_CLEAN_DIR"; fi
exit $status`;

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => signalGroup(child, 'SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      signalGroup(child, 'SIGKILL'); // anything left in the group
      resolve();
    });
    signalGroup(child, 'SIGTERM');
  });
}
