/**
 * Every error of a `prescale` command in one voice, `<where>: <what> (got <value>)`,
 * where `<where>` is the flag, argument, file (with its line) or config field the user
 * wrote, and values are shown as the user writes them (durations as `7m`, not
 * milliseconds); and its exit code (exitCode.ts): 2 for usage and input errors, 1 for
 * a failure while running.
 * @module
 */
import { CommanderError } from '@commander-js/extra-typings';
import { formatDuration, isPrescaleError, type PrescaleError } from '@prescale/core';
import { isPrometheusError } from '@prescale/prometheus';
import { SimulatorError } from '@prescale/simulator';
import { EXIT, type ExitCode } from './exitCode.js';
import { UsageError } from './usageError.js';

/** Commander's exits that are not errors. */
const COMMANDER_SUCCESS = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

const asDuration = (value: unknown): string => (typeof value === 'number' && Number.isFinite(value) ? formatDuration(value) : JSON.stringify(value));
const asTime = (value: unknown): string => (typeof value === 'number' && Number.isFinite(value) ? new Date(value).toISOString() : JSON.stringify(value));

/**
 * The fields of @prescale/core's forecast and backtest requests that the CLI fills from
 * a flag: an error about one names the flag and shows the value as the flag takes it.
 */
const FLAG_OF_FIELD: Readonly<Record<string, { flag: string; show: (value: unknown) => string }>> = {
  horizonMs: { flag: '--horizon', show: asDuration },
  warmupMs: { flag: '--warmup', show: asDuration },
  binMs: { flag: '--bin', show: asDuration },
  'series.binMs': { flag: '--bin', show: asDuration },
  atMs: { flag: '--at', show: asTime },
};

/** A core error as `<where>: <what> (got <value>)`. Core's message is `<code>: <field> <what> (got <value>)`. */
function prescaleMessage(error: PrescaleError): string {
  const prefix = `${error.code}: ${error.field} `;
  const rest = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  const got = / \(got .*\)$/s.exec(rest);
  const what = got ? rest.slice(0, got.index) : rest;
  const flag = FLAG_OF_FIELD[error.field];
  if (flag) return `${flag.flag}: ${what} (got ${flag.show(error.value)})`;
  return `${error.field}: ${what}${got ? got[0] : ''}`;
}

/** A Node system error (ENOENT, EACCES, EISDIR…) about a file: `<path>: <what>`. */
function systemMessage(error: NodeJS.ErrnoException & { path: string }): string {
  const what = /^E[A-Z]+: (.*?)(, \w+ '.*')?$/s.exec(error.message)?.[1] ?? error.message;
  return `${error.path}: ${what}`;
}

function isFileError(error: unknown): error is NodeJS.ErrnoException & { path: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).path === 'string';
}

/** What to print (without the `prescale: ` prefix; '' when commander has printed it) and the exit code. */
export function userMessage(error: unknown): { message: string; exitCode: ExitCode } {
  if (error instanceof CommanderError) return { message: '', exitCode: COMMANDER_SUCCESS.has(error.code) ? EXIT.success : EXIT.usage };
  if (error instanceof UsageError || error instanceof SimulatorError) return { message: error.message, exitCode: EXIT.usage };
  if (isPrescaleError(error)) return { message: prescaleMessage(error), exitCode: EXIT.usage };
  if (isPrometheusError(error)) return error.code === 'InvalidArgument' ? { message: error.detail, exitCode: EXIT.usage } : { message: error.message, exitCode: EXIT.failed };
  if (isFileError(error)) return { message: systemMessage(error), exitCode: EXIT.usage };
  return { message: error instanceof Error ? error.message : String(error), exitCode: EXIT.failed };
}
