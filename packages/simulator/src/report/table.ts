/**
 * The comparison table, the same in the terminal and in the report: one row per scaler.
 * @module
 */
import { formatIsoWithOffset } from '@prescale/core';
import type { Comparison } from '../compare.js';
import type { LoadStep } from '../evaluate/results.js';

const seconds = (v: number | null) => (v === null ? '–' : v < 1 ? `${(v * 1000).toFixed(0)} ms` : `${v.toFixed(v < 10 ? 2 : 0)} s`);

/** An ISO time with its offset, to the minute: `1995-07-24T15:47-04:00`. */
const minutes = (iso: string) => `${iso.slice(0, 16)}${iso.slice(19)}`;

/** The reaction cell: seconds, or why there is none (no step to react to, or no reaction within the hour `reactionTime` watches). */
function reaction(step: LoadStep | null, seconds: number | null): string {
  if (step === null) return 'no load step';
  return seconds === null ? 'not within 1 h' : seconds.toFixed(0);
}

export function formatTable(c: Comparison): { header: string[]; rows: string[][]; notes: string[] } {
  const header = ['scaler', 'GPU-hours', 'vs oracle', 'SLO met', 'TTFT p50', 'TTFT p90', 'TTFT p99', 'TPOT p99', 'under-prov. replica-min', 'scale actions', 'direction changes', 'reaction (s)'];
  const rows = c.results.map((r) => [
    r.scaler,
    r.gpuHours.toFixed(1),
    r.gpuHoursVsOracle === null ? '–' : `${r.gpuHoursVsOracle.toFixed(2)}×`,
    `${(100 * r.sloAttainment).toFixed(2)} %`,
    seconds(r.ttftSeconds.p50),
    seconds(r.ttftSeconds.p90),
    seconds(r.ttftSeconds.p99),
    seconds(r.tpotSeconds.p99),
    r.underProvisionedReplicaMinutes.toFixed(0),
    String(r.scaleActions),
    String(r.directionChanges),
    reaction(c.loadStep, r.reactionTimeSeconds),
  ]);
  const step = c.loadStep;
  const leadMinutes = Math.round((c.oracle.leadWindows * c.config.windowSeconds) / 60);
  const notes = [
    `Every run starts with ${c.initialReplicas} ready replica${c.initialReplicas === 1 ? '' : 's'}: the most the load needs in its first ${leadMinutes} minutes (one cold start), as a deployment already serving it would have.`,
    `SLO met: share of requests with TTFT ≤ ${c.config.slo.ttftSeconds} s and TPOT ≤ ${c.config.slo.tpotSeconds * 1000} ms. Under-provisioned: ∫ max(0, need − ready) over the oracle's need curve.`,
    step === null
      ? 'Reaction: this workload has no load step (no rise of the need curve that holds for five windows), so there is nothing to react to.'
      : `Reaction: seconds from the largest load step (${minutes(formatIsoWithOffset(Date.parse(c.workload.startIso) + step.atSeconds * 1000, c.workload.utcOffsetMinutes))}, need ${step.fromReplicas} → ${step.toReplicas} replicas) until enough replicas were ready; "not within 1 h" if they never were.`,
  ];
  for (const r of c.results) {
    const z = r.zero;
    if (z.periods === 0 && z.waited === 0 && z.rejected === 0) continue;
    notes.push(
      `${r.scaler}: ${z.periods} period${z.periods === 1 ? '' : 's'} at zero (${z.hours.toFixed(1)} h); ${z.waited} request${z.waited === 1 ? '' : 's'} (${(100 * z.waitedShare).toFixed(2)} %) found no ready replica and waited in the activator, ${z.timedOut} timed out, ${z.rejected} rejected by a full queue.`,
    );
  }
  return { header, rows, notes };
}

/** The table as aligned plain text. */
export function tableText(c: Comparison): string {
  return alignedTable(formatTable(c));
}

/** A table as aligned plain text (the first column left-aligned, the others right), then its notes. */
export function alignedTable({ header, rows, notes }: { header: string[]; rows: string[][]; notes: string[] }): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line), '', ...notes].join('\n');
}
