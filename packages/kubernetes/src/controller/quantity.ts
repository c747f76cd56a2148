/**
 * Kubernetes resource quantities (`250m`, `1.5`, `129Mi`, `1e3`, `123456n`) as numbers,
 * as metrics.k8s.io reports usage and pod specs request resources (the serialisation
 * of `resource.Quantity`: https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/).
 * @module
 */

const SUFFIXES: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};

const QUANTITY = /^([+-]?[0-9]+(?:\.[0-9]*)?|[+-]?\.[0-9]+)(?:([eE][+-]?[0-9]+)|(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?)$/;

/** The quantity's value in base units (cores, bytes); null when it is not a quantity. */
export function parseQuantity(text: unknown): number | null {
  if (typeof text === 'number') return Number.isFinite(text) ? text : null;
  if (typeof text !== 'string') return null;
  const m = QUANTITY.exec(text.trim());
  if (!m) return null;
  const value = m[2] !== undefined ? Number(`${m[1]}${m[2]}`) : Number(m[1]) * (SUFFIXES[m[3] ?? ''] ?? Number.NaN);
  return Number.isFinite(value) ? value : null;
}
