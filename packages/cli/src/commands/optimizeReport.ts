/**
 * What `prescale optimize` prints (docs/optimizer.md "prescale optimize"): the window's
 * demand, the decision (its message, each type's replicas, load and price), where the
 * demand went by bucket, and the mix set beside each single GPU type.
 */
import type { AllocationDecision, DemandMix } from '@prescale/core';

/** The cheapest fleet of one GPU type alone, solved as the mix is. */
export interface SingleTypeResult {
  gpu: string;
  replicas: number;
  costPerHour: number;
  /** Demand that type cannot serve under the SLO (or within its maximum), req/s. */
  uncoveredRps: number;
  status: AllocationDecision['status'];
}

export interface OptimizationReport {
  trace: string;
  from: number;
  windowSeconds: number;
  scale: number;
  demand: DemandMix;
  decision: AllocationDecision;
  singleTypes: readonly SingleTypeResult[];
}

const money = (usd: number) => `$${usd.toFixed(2)}/h`;

export function printOptimization(r: OptimizationReport): void {
  const { demand, decision: d } = r;
  const scaled = r.scale === 1 ? '' : `, × ${r.scale}`;
  console.log(`${r.trace}: ${demand.requests} requests in [${r.from} s, ${r.from + r.windowSeconds} s)${scaled} = ${demand.totalRps.toFixed(3)} req/s over ${d.buckets.length} buckets`);
  if (demand.clamped > 0) console.log(`  ${demand.clamped} requests longer than the grid's last tick counted in its edge buckets`);
  console.log(`\n${d.message}`);
  if (d.solver) console.log(`solver: ${d.solver.name}, ${d.solver.formulation}, ${d.solver.columns} columns × ${d.solver.rows} rows, ${d.solver.nodes ?? '?'} nodes, ${d.solver.solverStatus}`);
  console.log(`\n${'type'.padEnd(12)} ${'replicas'.padStart(8)} ${'$/h each'.padStart(9)} ${'load'.padStart(7)} ${'util'.padStart(6)} ${'req/s'.padStart(8)}`);
  for (const t of d.types) {
    console.log(`${t.name.padEnd(12)} ${String(t.replicas).padStart(8)} ${t.costPerHour.toFixed(3).padStart(9)} ${t.load.toFixed(3).padStart(7)} ${`${(100 * t.utilization).toFixed(0)} %`.padStart(6)} ${t.servedRps.toFixed(3).padStart(8)}`);
  }
  console.log(`\ndemand by bucket (req/s; share served by each type)`);
  console.log(`${'in'.padStart(6)} ${'out'.padStart(6)} ${'req/s'.padStart(8)}  ${d.types.map((t) => t.name.padStart(10)).join(' ')}`);
  for (const b of d.buckets) {
    const shares = b.servedRps.map((v) => (v > 0 ? `${((100 * v) / b.demandRps).toFixed(0)} %` : '-').padStart(10));
    const left = b.uncoveredRps > 0 ? `  uncovered ${b.uncoveredRps.toPrecision(3)}` : '';
    console.log(`${String(b.input).padStart(6)} ${String(b.output).padStart(6)} ${b.demandRps.toFixed(3).padStart(8)}  ${shares.join(' ')}${left}`);
  }
  console.log(`\nsingle GPU type, solved the same way`);
  const covering = r.singleTypes.filter((s) => s.uncoveredRps === 0);
  const cheapest = covering.length > 0 ? covering.reduce((a, b) => (b.costPerHour < a.costPerHour ? b : a)) : null;
  for (const s of r.singleTypes) {
    const note = s.uncoveredRps > 0 ? `cannot serve ${s.uncoveredRps.toPrecision(3)} req/s` : `mix = ${(d.costPerHour / s.costPerHour).toFixed(3)} ×`;
    console.log(`${s.gpu.padEnd(12)} ${String(s.replicas).padStart(8)} ${money(s.costPerHour).padStart(10)}  ${note}`);
  }
  if (cheapest !== null && d.uncoveredRps === 0) {
    console.log(`\nthe mix costs ${(d.costPerHour / cheapest.costPerHour).toFixed(3)} × the cheapest single type that covers the demand (${cheapest.replicas} ${cheapest.gpu}, ${money(cheapest.costPerHour)})`);
  }
}
