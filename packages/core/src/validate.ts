/**
 * Checks shared by every config parser and step function. Each one either returns the
 * value or throws a {@link PrescaleError} naming the field.
 * @module
 */
import { PrescaleError, type PrescaleErrorCode } from './errors.js';

export function finite(field: string, value: unknown, code: PrescaleErrorCode = 'InvalidConfig'): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new PrescaleError(code, field, value, 'must be a finite number');
  }
  return value;
}

export function positive(field: string, value: unknown, code: PrescaleErrorCode = 'InvalidConfig'): number {
  const v = finite(field, value, code);
  if (v <= 0) throw new PrescaleError(code, field, value, 'must be greater than 0');
  return v;
}

export function nonNegative(field: string, value: unknown): number {
  const v = finite(field, value);
  if (v < 0) throw new PrescaleError('InvalidConfig', field, value, 'must not be negative');
  return v;
}

export function atLeast(field: string, value: unknown, min: number, exclusive = false): number {
  const v = finite(field, value);
  if (exclusive ? v <= min : v < min) {
    throw new PrescaleError('InvalidConfig', field, value, `must be ${exclusive ? 'greater than' : 'at least'} ${min}`);
  }
  return v;
}

export function inRange(field: string, value: unknown, min: number, max: number): number {
  const v = finite(field, value);
  if (v < min || v > max) throw new PrescaleError('InvalidConfig', field, value, `must be within [${min}, ${max}]`);
  return v;
}

export function nonNegativeInt(field: string, value: unknown, code: PrescaleErrorCode = 'InvalidConfig'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new PrescaleError(code, field, value, 'must be a non-negative integer');
  }
  return value;
}

export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new PrescaleError('InvalidConfig', field, value, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function bool(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new PrescaleError('InvalidConfig', field, value, 'must be true or false');
  return value;
}

/** A timestamp in milliseconds: finite and not negative. */
export function timestamp(field: string, value: unknown): number {
  const v = finite(field, value, 'InvalidTime');
  if (v < 0) throw new PrescaleError('InvalidTime', field, value, 'must not be negative');
  return v;
}

/** Replica bounds: `0 ≤ min ≤ max`, both integers. */
export function replicaBounds(min: unknown, max: unknown): { minReplicas: number; maxReplicas: number } {
  const minReplicas = nonNegativeInt('config.minReplicas', min);
  const maxReplicas = nonNegativeInt('config.maxReplicas', max);
  if (maxReplicas < 1) throw new PrescaleError('InvalidConfig', 'config.maxReplicas', max, 'must be at least 1');
  if (minReplicas > maxReplicas) {
    throw new PrescaleError('InvalidConfig', 'config.minReplicas', min, `must not exceed maxReplicas (${maxReplicas})`);
  }
  return { minReplicas, maxReplicas };
}

/** Rejects settings the scaler does not know, which are almost always typos. */
export function knownKeys(field: string, input: object, keys: readonly string[]): void {
  for (const key of Object.keys(input)) {
    if (!keys.includes(key)) {
      throw new PrescaleError('InvalidConfig', `${field}.${key}`, (input as Record<string, unknown>)[key], `is not a known setting (known: ${keys.join(', ')})`);
    }
  }
}
