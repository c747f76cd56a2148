/**
 * How a phase of the loop stops it: the {@link Halt} the status reports and the error
 * behind it, which the loop returns and logs.
 * @module
 */
import type { Halt } from './status.js';

/** The message of whatever was thrown. */
export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Whatever was thrown, as an Error. */
export const toError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** A phase that stopped the loop before it decided. */
export interface Stopped {
  ok: false;
  halt: Halt;
  /** The failure behind it; none for an invalid spec or a conflict. */
  error?: Error;
}

/** The loop stops on a failed call or step. */
export function failed(reason: 'FailedGetScale' | 'FailedListPods' | 'FailedDecision', error: unknown): Stopped {
  return { ok: false, halt: { reason, message: errorText(error) }, error: toError(error) };
}
