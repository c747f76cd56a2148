/** Comparison of expected and actual values, exact unless a tolerance is given. */

export interface Mismatch {
  /** Where in the case: `steps[2].desiredReplicas`, `ops[4]`, `replicas`. */
  at: string;
  expected: unknown;
  actual: unknown;
}

export function same(expected: unknown, actual: unknown, tolerance?: number): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (tolerance !== undefined) return Math.abs(expected - actual) <= tolerance;
    return Object.is(expected, actual) || expected === actual;
  }
  return expected === actual;
}

/** Compares the keys present in `expect` against `actual`. */
export function compareKeys(
  prefix: string,
  expect: Record<string, unknown>,
  actual: Record<string, unknown>,
  tolerance?: number,
): Mismatch[] {
  const out: Mismatch[] = [];
  for (const [key, expected] of Object.entries(expect)) {
    if (!same(expected, actual[key], tolerance)) out.push({ at: prefix ? `${prefix}.${key}` : key, expected, actual: actual[key] });
  }
  return out;
}
