/**
 * `prescale operator` as a process of its own, as it runs in a pod: the built CLI
 * (packages/cli/bin/prescale.js, `pnpm build` first) with a kubeconfig file, its JSON
 * log lines on stderr collected, stopped with SIGTERM or killed with SIGKILL.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './testEnv.js';

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export class OperatorProcess {
  readonly logs: LogLine[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  metricsUrl: string | null = null;

  constructor(kubeconfig: string, args: readonly string[] = []) {
    this.child = spawn(process.execPath, [join(REPO, 'packages/cli/bin/prescale.js'), 'operator', '--kubeconfig', kubeconfig, '--metrics-address', '127.0.0.1:0', '--health-address', '', ...args], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let buffer = '';
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          const parsed = JSON.parse(line) as LogLine;
          this.logs.push(parsed);
          if (parsed.msg === 'operator started' && typeof parsed.metrics === 'string') this.metricsUrl = parsed.metrics;
        } catch {
          this.logs.push({ level: 'raw', msg: line });
        }
      }
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves once a log line matches; rejects after `timeoutMs` with the log so far. */
  async waitForLog(match: (l: LogLine) => boolean, timeoutMs = 60_000): Promise<LogLine> {
    const start = Date.now();
    for (;;) {
      const found = this.logs.find(match);
      if (found) return found;
      if (this.child.exitCode !== null) throw new Error(`operator exited (${this.child.exitCode}); log:\n${this.logText()}`);
      if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for an operator log line; log:\n${this.logText()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  logText(): string {
    return this.logs.map((l) => JSON.stringify(l)).join('\n');
  }

  /** The operator's own metrics page. */
  async metrics(): Promise<string> {
    if (!this.metricsUrl) throw new Error('the operator has not said where its metrics are');
    return (await fetch(`${this.metricsUrl}/metrics`)).text();
  }

  /** SIGTERM (graceful: loops finish, the Lease is released) or SIGKILL (a crash); resolves on exit. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
