/** Typed reads of untyped vector JSON; a missing or mistyped field throws a VectorError. */

export class VectorError extends Error {
  override readonly name = 'VectorError';
}

export type Json = Record<string, unknown>;

export function obj(value: unknown, at: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new VectorError(`${at} must be an object`);
  return value as Json;
}

export function arr(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw new VectorError(`${at} must be an array`);
  return value;
}

export function num(value: unknown, at: string): number {
  if (typeof value !== 'number') throw new VectorError(`${at} must be a number`);
  return value;
}

export function optNum(value: unknown, at: string): number | null {
  return value === null || value === undefined ? null : num(value, at);
}

export function str(value: unknown, at: string): string {
  if (typeof value !== 'string') throw new VectorError(`${at} must be a string`);
  return value;
}

/** Seconds relative to the runner's epoch → milliseconds since the Unix epoch. */
export function at(t0: number, seconds: number): number {
  return t0 + seconds * 1000;
}
