/**
 * The one error type `@prescale/core` throws. Every throw carries a code from
 * {@link PrescaleErrorCode}, the path of the offending field and the value seen, so a
 * caller can show the user exactly what to fix. Bad *observations* (a NaN metric, a
 * missing pod) never throw: they produce a hold decision whose reason says so.
 * @module
 */

/**
 * - `InvalidConfig`: a setting is missing, of the wrong type, or outside its range.
 * - `InvalidTarget`: a target value is zero, negative or not finite.
 * - `WindowShorterThanGranularity`: a time window holds less than one bucket.
 * - `InvalidReplicaCount`: a replica count given as input is negative, fractional or
 *   not finite, so there is no safe scale to hold.
 * - `InvalidTime`: a timestamp is not a finite, non-negative number of milliseconds.
 * - `InvalidTrace`: a trace or series is malformed; `field` names the source and line.
 */
export type PrescaleErrorCode =
  | 'InvalidConfig'
  | 'InvalidTarget'
  | 'WindowShorterThanGranularity'
  | 'InvalidReplicaCount'
  | 'InvalidTime'
  | 'InvalidTrace';

export class PrescaleError extends Error {
  override readonly name = 'PrescaleError';
  readonly code: PrescaleErrorCode;
  /** Dotted path of the offending field, e.g. `config.stableWindowSeconds`. */
  readonly field: string;
  readonly value: unknown;

  constructor(code: PrescaleErrorCode, field: string, value: unknown, message: string) {
    super(`${code}: ${field} ${message} (got ${describe(value)})`);
    this.code = code;
    this.field = field;
    this.value = value;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function isPrescaleError(error: unknown): error is PrescaleError {
  return error instanceof PrescaleError;
}
