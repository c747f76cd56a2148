/**
 * The fleet comparison in the terminal: one row per scaler (GPU-hours, dollars, against
 * the fleet oracle, SLO attainment, latency), then each type's share of it.
 * @module
 */
import type { FleetComparison } from './fleetComparison.js';

const seconds = (v: number | null) => (v === null ? '–' : v < 1 ? `${(v * 1000).toFixed(0)} ms` : `${v.toFixed(v < 10 ? 2 : 0)} s`);
const usd = (v: number | null) => (v === null ? '–' : `$${v.toFixed(2)}`);

function aligned(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)];
}

export function fleetTableText(c: FleetComparison): string {
  const main = aligned(
    ['scaler', 'GPU-hours', 'cost', 'vs oracle ($)', 'SLO met', 'TTFT p50', 'TTFT p99', 'TPOT p99', 'scale actions', 'pods'],
    c.results.map((r) => [
      r.scaler,
      r.gpuHours.toFixed(2),
      usd(r.costUsd),
      r.costUsdVsOracle === null ? '–' : `${r.costUsdVsOracle.toFixed(2)}×`,
      `${(100 * r.sloAttainment).toFixed(2)} %`,
      seconds(r.ttftSeconds.p50),
      seconds(r.ttftSeconds.p99),
      seconds(r.tpotSeconds.p99),
      String(r.scaleActions),
      String(r.podsCreated),
    ]),
  );
  const perType = aligned(
    ['scaler / type', '$/h', 'GPU-hours', 'cost', 'most pods', 'requests routed'],
    c.results.flatMap((r) =>
      r.fleet.byType.filter((t) => t.podsCreated > 0).map((t) => [`${r.scaler} / ${t.name}`, t.costPerHour === null ? '–' : t.costPerHour.toFixed(3), (t.gpuSeconds / 3600).toFixed(2), usd(t.costUsd), String(t.maxReplicas), String(t.routed)]),
    ),
  );
  const start = c.types.filter((t) => t.initialReplicas > 0).map((t) => `${t.initialReplicas} ${t.name}`);
  const notes = [
    `Every run starts with ${start.length > 0 ? start.join(' + ') : 'no replicas'}: one solve for the requests of the first cold start at the busiest minute's rate, as a fleet already serving them would have.`,
    `SLO met: share of requests with TTFT ≤ ${c.config.slo.ttftSeconds} s and TPOT ≤ ${c.config.slo.tpotSeconds * 1000} ms. Routing: the least-loaded ready replica able to serve the request (docs/optimizer.md).`,
    ...c.results.filter((r) => r.fleet.misrouted > 0).map((r) => `${r.scaler}: ${r.fleet.misrouted} request(s) found no ready replica able to serve them and went to another type.`),
  ];
  return [...main, '', ...perType, '', ...notes].join('\n');
}
