/**
 * The `prescale` process: runs the command line and turns its outcome into the exit
 * code of the one convention (exitCode.ts), with every error said in one voice
 * (userMessage.ts) on stderr.
 */
import { program } from './program.js';
import { userMessage } from './userMessage.js';

/** Runs `argv` (node, script, arguments…) and returns the exit code; errors go to `stderr`. */
export async function runCli(argv: readonly string[], stderr: (text: string) => void = (text) => void process.stderr.write(text)): Promise<number> {
  process.exitCode = undefined;
  try {
    await program().parseAsync(argv);
  } catch (error) {
    const { message, exitCode } = userMessage(error);
    if (message !== '') stderr(`prescale: ${message}\n`);
    return exitCode;
  }
  // A command whose result failed (a conformance case, a pod) sets process.exitCode to 1.
  return Number(process.exitCode ?? 0);
}
