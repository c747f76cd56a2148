/**
 * Sample values as Prometheus reads them: Go's `strconv.ParseFloat`, which both the
 * exposition formats ("a float represented as required by Go's ParseFloat() function",
 * prometheus.io/docs/instrumenting/exposition_formats) and the HTTP API (values are
 * strings) rely on. Accepts decimal numbers with an optional exponent, `NaN` and
 * `Inf`/`Infinity` with an optional sign, case-insensitively (prom-client writes `Nan`).
 * Rejects what JavaScript's `Number` would accept and Go would not: empty text,
 * whitespace, `0x`/`0b`/`0o` prefixes, underscores, and overflow such as `1e999`.
 * Hexadecimal floats (`0x1p-2`) are not supported.
 * @module
 */

const NAN = /^nan$/i;
const INF = /^([+-]?)inf(inity)?$/i;

/** The number `text` denotes, or undefined when Go's ParseFloat would reject it. */
export function parseGoFloat(text: string): number | undefined {
  const n = Number(text);
  if (Number.isFinite(n)) {
    if (text.length === 0) return undefined;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // 0-9 . e E + -
      if (!((c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45)) return undefined;
    }
    return n;
  }
  if (NAN.test(text)) return Number.NaN;
  const inf = INF.exec(text);
  if (inf !== null) return inf[1] === '-' ? -Infinity : Infinity;
  return undefined;
}
