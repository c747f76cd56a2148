/**
 * A failed request to the stand-in API server, answered as Kubernetes answers one: a
 * `Status` object with the HTTP code and the reason (Conflict, NotFound, Invalid, …).
 * @module
 */

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** The `Status` body of a failure. */
export function statusBody(code: number, reason: string, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
