/**
 * Go's `time.ParseDuration` subset AIBrix annotations use ("30s", "3m", "1h30m",
 * "500ms", "0s"), in seconds. Returns null for anything else.
 * @module
 */
const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 1e-6, µs: 1e-6, ns: 1e-9 };

export function parseGoDuration(text: string): number | null {
  const s = text.trim();
  if (s === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * (UNIT_SECONDS[m[2] ?? ''] ?? Number.NaN);
    at = re.lastIndex;
  }
  return at === s.length && at > 0 && Number.isFinite(total) ? total : null;
}
