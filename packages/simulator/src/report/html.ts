/**
 * `report.html`: one offline file (no network, no script needed to read it) with the
 * summary table, warnings, the charts as inline SVG, the configuration used and the raw
 * results as JSON (reference ecosystem.md §4.1).
 * @module
 */
import { formatIsoWithOffset } from '@prescale/core';
import { type Comparison, comparisonJson } from '../compare.js';
import { type Chart, missingCharts, renderCharts } from './charts.js';
import { offsetLabel } from './chartKit.js';
import { formatTable } from './table.js';

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function reportHtml(c: Comparison, charts: Chart[]): string {
  const table = formatTable(c);
  const head = table.header.map((h) => `<th>${escape(h)}</th>`).join('');
  const rows = table.rows.map((r) => `<tr>${r.map((v, i) => (i === 0 ? `<th>${escape(v)}</th>` : `<td>${escape(v)}</td>`)).join('')}</tr>`).join('\n');
  const json = JSON.stringify(comparisonJson(c), null, 2);
  const days = (c.workload.durationSeconds / 86_400).toFixed(c.workload.durationSeconds < 86_400 ? 2 : 1);
  const title = c.workload.title;
  const from = formatIsoWithOffset(Date.parse(c.workload.startIso), c.workload.utcOffsetMinutes);
  const missing = missingCharts(c);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>prescale simulate: ${escape(title)}</title>
<style>
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2rem; color: #222; max-width: 1100px; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: right; }
thead th { background: #f3f3f3; } tbody th { text-align: left; }
.warning { background: #fff3cd; border: 1px solid #e0c36c; padding: 0.5rem 1rem; }
figure { margin: 1rem 0; } figcaption { color: #555; font-size: 0.85rem; } .missing { color: #555; font-size: 0.85rem; } pre { background: #f7f7f7; padding: 1rem; overflow: auto; font-size: 0.75rem; max-height: 30rem; }
</style>
</head>
<body>
<h1>prescale simulate: ${escape(title)}</h1>
<p>${title !== c.workload.name ? `<code>${escape(c.workload.name)}</code>: ` : ''}${days} days from ${escape(from)} (times in the trace's ${escape(offsetLabel(c.workload.utcOffsetMinutes))}), mean ${c.workload.meanRps.toFixed(2)} requests/s, ${escape(c.gpu.name)} replicas
(${escape(c.gpu.model)}), cold start ≈ ${(c.coldStart.nominalSeconds / 60).toFixed(1)} min,
SLO TTFT ≤ ${c.config.slo.ttftSeconds} s and TPOT ≤ ${c.config.slo.tpotSeconds * 1000} ms, capacity ${c.capacityRps.toFixed(3)} requests/s per replica, seed ${c.config.seed}.</p>
${c.warnings.map((w) => `<p class="warning">${escape(w)}</p>`).join('\n')}
<h2>Summary</h2>
<table id="summary"><thead><tr>${head}</tr></thead><tbody>
${rows}
</tbody></table>
<p>${table.notes.map(escape).join('<br>')}</p>
<h2>Charts</h2>
${charts.map((ch) => `<figure class="chart" id="chart-${ch.id}">${ch.svg}<figcaption>${escape(ch.title)}</figcaption></figure>`).join('\n')}
${missing.length > 0 ? `<p class="missing">${missing.map(escape).join('<br>')}</p>` : ''}
<h2>Configuration and results</h2>
<pre id="config">${escape(json)}</pre>
<script type="application/json" id="results">${json.replace(/</g, '\\u003c')}</script>
</body>
</html>
`;
}

/** Renders the charts and the page. */
export async function buildReport(c: Comparison): Promise<string> {
  return reportHtml(c, await renderCharts(c));
}
