/**
 * What `prescale simulate --models N` prints and writes: the per-policy table (the same
 * in the terminal and in `report.html`), the notes that say how to read it, the `--json`
 * document (`{"models": {"count": N, "policies": [{"policy", "gpuHours",
 * "sloAttainment", "coldWaitShare", …}]}}`: a check outside the repository reads those
 * names, so they are never renamed; fields may be added) and the offline page.
 * @module
 */
import type { ManyModelsResult } from '../models/manyModels.js';
import { REPORT_STYLE } from './style.js';
import { alignedTable } from './table.js';

const percent = (v: number, digits = 2) => `${(100 * v).toFixed(digits)} %`;

export function modelsTable(r: ManyModelsResult): { header: string[]; rows: string[][]; notes: string[] } {
  const header = ['policy', 'GPU-hours', 'vs min1', 'SLO met', 'waited for a cold start', 'failed', 'at zero', 'pool GPU-hours', 'warm starts'];
  const rows = r.policies.map((p) => [
    p.policy,
    p.gpuHours.toFixed(1),
    p.gpuHoursVsMin1 === null ? '–' : `${p.gpuHoursVsMin1.toFixed(2)}×`,
    percent(p.sloAttainment),
    `${percent(p.coldWaitShare, 3)} (${p.requests.waited})`,
    String(p.requests.failed),
    percent(p.zeroShare, 1),
    p.poolGpuHours.toFixed(1),
    String(p.warmStarts),
  ]);
  const busy = r.models.filter((m) => m.busy).length;
  const arrived = r.policies[0]?.requests.arrived ?? 0;
  const notes = [
    `${r.count} models (${busy} busy, ${r.count - busy} idle most of the day) derived from ${r.sources.join(', ')}; ${(r.durationSeconds / 86_400).toFixed(1)} days simulated after ${(r.warmupSeconds / 86_400).toFixed(1)} days of warm-up history; ${arrived} requests; ${r.gpu} replicas, ${r.capacityRps.toFixed(3)} requests/s each at the SLO.`,
    `Cold start ≈ ${(r.coldStart.nominalSeconds / 60).toFixed(1)} min (p99 ${(r.coldStart.p99Seconds / 60).toFixed(1)} min); on a warm node ${(r.coldStart.warmP99Seconds / 60).toFixed(1)} min (p99), a used warm node refilled in ${(r.coldStart.poolRefillSeconds / 60).toFixed(1)} min.`,
    `GPU-hours: pods from creation to termination, plus the warm pool's node-hours × its price (${r.pool.costPerHour.toFixed(2)} $/h) / the GPU's (${r.pool.gpuCostPerHour.toFixed(2)} $/h); zero+pool keeps ${r.pool.staticNodes} warm node${r.pool.staticNodes === 1 ? '' : 's'}.`,
    'Waited for a cold start: requests that found no ready replica of their model and waited in the activator (their TTFT includes the wait). Failed: timed out there, rejected by a full queue, or killed at the end of a drain. At zero: share of model-hours with no pod.',
  ];
  return { header, rows, notes };
}

/** The table as aligned plain text, with its notes. */
export function modelsTableText(r: ManyModelsResult): string {
  return alignedTable(modelsTable(r));
}

/** The `--json` document. */
export function modelsJson(r: ManyModelsResult): { models: ManyModelsResult } {
  return { models: r };
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `report.html` for a many-models run: the table, its notes, the models and the raw results. */
export function modelsReportHtml(r: ManyModelsResult): string {
  const { header, rows, notes } = modelsTable(r);
  const json = JSON.stringify(modelsJson(r), null, 2);
  const models = r.models.map((m) => `<tr><th>${escape(m.name)}</th><td>${escape(m.source)}</td><td>${m.busy ? 'busy' : 'idle'}</td><td>${m.meanRps.toFixed(3)}</td><td>${percent(m.activeShare, 0)}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>prescale simulate --models ${r.count}</title>
<style>
${REPORT_STYLE}
body { max-width: 1100px; }
</style>
</head>
<body>
<h1>prescale simulate --models ${r.count}: scale to zero, predictive wake-up and warm pools</h1>
<table id="summary"><thead><tr>${header.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead><tbody>
${rows.map((row) => `<tr>${row.map((v, i) => (i === 0 ? `<th>${escape(v)}</th>` : `<td>${escape(v)}</td>`)).join('')}</tr>`).join('\n')}
</tbody></table>
<p>${notes.map(escape).join('<br>')}</p>
<h2>Models</h2>
<table id="models"><thead><tr><th>model</th><th>derived from</th><th>kind</th><th>mean requests/s</th><th>time with traffic</th></tr></thead><tbody>
${models}
</tbody></table>
<h2>Results</h2>
<pre id="config">${escape(json)}</pre>
<script type="application/json" id="results">${json.replace(/</g, '\\u003c')}</script>
</body>
</html>
`;
}
