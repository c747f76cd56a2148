/**
 * The exit codes of every `prescale` command, one convention (README "The `prescale`
 * command", and the epilogue of `prescale --help`):
 *
 * - 0: success;
 * - 1: the command ran and its result is a failure: a conformance case failed, a pod
 *   could not be scraped, Prometheus or the cluster could not be reached or answered
 *   with an error;
 * - 2: a usage or input error, found before any work: an unknown command or flag, a
 *   bad flag value, a missing, unreadable or malformed file, a missing kubeconfig.
 * @module
 */
export const EXIT = { success: 0, failed: 1, usage: 2 } as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The convention in words, for `prescale --help`. */
export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0  success',
  '  1  the command ran and failed: a conformance case failed, a pod could not be',
  '     scraped, Prometheus or the cluster could not be reached or answered an error',
  '  2  usage or input error: an unknown command or flag, a bad value, a missing or',
  '     malformed file, no kubeconfig',
].join('\n');
