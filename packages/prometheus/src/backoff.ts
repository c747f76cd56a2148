/**
 * Exponential backoff with jitter for the client's retries: the n-th consecutive
 * failure waits `min(maxMs, initialMs × factor^(n−1))`, scaled by a random factor in
 * [1 − jitter, 1] so that many clients failing together do not retry in step (the
 * "equal jitter" family of AWS' "Exponential Backoff And Jitter").
 * @module
 */
import { PrometheusError } from './errors.js';

export interface BackoffOptions {
  /** Wait after the first failure, ms. Default 250. */
  initialMs?: number;
  /** Longest wait, ms. Default 30,000. */
  maxMs?: number;
  /** Growth per failure. Default 2. */
  factor?: number;
  /** Fraction of the wait that is random, 0..1. Default 0.5. */
  jitter?: number;
}

export interface Backoff {
  initialMs: number;
  maxMs: number;
  factor: number;
  jitter: number;
}

/**
 * Fills in defaults and checks ranges.
 * @throws PrometheusError `InvalidArgument` naming the bad field.
 */
export function backoffOptions(options: BackoffOptions = {}): Backoff {
  const b = { initialMs: options.initialMs ?? 250, maxMs: options.maxMs ?? 30_000, factor: options.factor ?? 2, jitter: options.jitter ?? 0.5 };
  const check = (ok: boolean, field: string, rule: string): void => {
    if (!ok) throw new PrometheusError('InvalidArgument', `backoff.${field} ${rule} (got ${String(b[field as keyof Backoff])})`);
  };
  check(Number.isFinite(b.initialMs) && b.initialMs >= 0, 'initialMs', 'must be a number ≥ 0');
  check(Number.isFinite(b.maxMs) && b.maxMs >= b.initialMs, 'maxMs', 'must be ≥ initialMs');
  check(Number.isFinite(b.factor) && b.factor >= 1, 'factor', 'must be ≥ 1');
  check(b.jitter >= 0 && b.jitter <= 1, 'jitter', 'must be in [0, 1]');
  return b;
}

/** The wait after `failures` consecutive failures (≥ 1); `random()` is in [0, 1). */
export function backoffDelay(backoff: Backoff, failures: number, random: () => number): number {
  const full = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** Math.max(0, failures - 1));
  return Math.round(full * (1 - backoff.jitter * random()));
}
