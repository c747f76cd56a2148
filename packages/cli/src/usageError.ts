/**
 * A mistake in the command line or in an input file, found by the CLI itself: the
 * message names the flag, argument or file and what is wrong with it, and the command
 * exits 2 (see exitCode.ts).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  /** `where` is the flag (`--bin`), argument or file (`trace.csv line 3`) at fault. */
  constructor(where: string, problem: string) {
    super(`${where}: ${problem}`);
  }
}
