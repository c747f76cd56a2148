/**
 * The `prescale` process: runs the command line and turns its outcome into the exit
 * code of the one convention (exitCode.ts), with every error said in one voice
 * (userMessage.ts) on stderr.
 */
import type { Command } from '@commander-js/extra-typings';
import { SIMULATOR_COMMANDS, simulatorProgram } from './simulatorProgram.js';
import { userMessage } from './userMessage.js';

/**
 * The program `argv` needs: the simulator's commands load a program of their own, with
 * no Kubernetes client to import (seconds of start-up; docs/benchmarks.md, "Simulate
 * speed"); every other command loads the whole one.
 */
async function programFor(argv: readonly string[]): Promise<Command> {
  if (SIMULATOR_COMMANDS.includes(argv[2] ?? '')) return simulatorProgram();
  return (await import('./program.js')).program();
}

/** Runs `argv` (node, script, arguments…) and returns the exit code; errors go to `stderr`. */
export async function runCli(argv: readonly string[], stderr: (text: string) => void = (text) => void process.stderr.write(text)): Promise<number> {
  process.exitCode = undefined;
  try {
    await (await programFor(argv)).parseAsync(argv);
  } catch (error) {
    const { message, exitCode } = userMessage(error);
    if (message !== '') stderr(`prescale: ${message}\n`);
    return exitCode;
  }
  // A command whose result failed (a conformance case, a pod) sets process.exitCode to 1.
  return Number(process.exitCode ?? 0);
}
