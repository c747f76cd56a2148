/**
 * Running a command as a user would, from the repository tests: its exit code and
 * everything it printed, never a thrown error.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command args` in `cwd` (default: the repository root) with the environment
 * `env` (default: this process's), through no shell. `timeoutMs` is a generous bound against a hang, not a
 * speed check.
 */
export function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {}): Ran {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 64 << 20,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
