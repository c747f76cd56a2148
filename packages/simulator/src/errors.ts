/**
 * The simulator's typed error: bad input (a malformed trace row, an unknown scaler,
 * pattern or GPU, an impossible setting) with the source, the field and the value, and
 * the underlying cause when there is one (a core `PrescaleError`, a file-system error).
 * @module
 */
export type SimulatorErrorCode = 'InvalidTrace' | 'InvalidConfig' | 'UnknownName';

export class SimulatorError extends Error {
  override readonly name = 'SimulatorError';

  constructor(
    readonly code: SimulatorErrorCode,
    /** Where: `file.csv line 12`, `config.scalers`, `--gpu`. */
    readonly field: string,
    readonly value: unknown,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${field}: ${message}`, options);
  }
}

/** An error for an unknown name that lists the valid ones. */
export function unknownName(field: string, value: string, valid: readonly string[], extra = ''): SimulatorError {
  return new SimulatorError('UnknownName', field, value, `unknown ${JSON.stringify(value)}; valid: ${valid.join(', ')}${extra}`);
}
