/**
 * `report.html` of `prescale tune`: one offline page with the table of every scaler's
 * defaults and tuned configuration on the tuning and validation parts, and the frontier
 * chart: per scaler the Pareto front of GPU-hours against SLO attainment of the
 * candidates run over the whole tuning part (one line each), the oracle as a point, the
 * chosen configurations marked, and the SLO target as a rule.
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import type { PartMetrics, TuneOutcome } from '../tune/tune.js';
import { renderSvg } from './charts.js';
import { REPORT_STYLE } from './style.js';

export interface TuneReportInput {
  outcome: TuneOutcome;
  /** What was tuned on, for the heading: trace name, span, rate, GPU, cold start, SLO. */
  title: string;
  summary: string;
  target: number;
  /** The `--json` document, embedded as is. */
  json: unknown;
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

/** The frontier chart's vega-lite specification (exported for tests). */
export function frontierSpec(input: TuneReportInput): TopLevelSpec {
  const { outcome, target } = input;
  const front = outcome.scalers.flatMap((s) => s.frontier.map((f, i) => ({ scaler: s.scaler, order: i, gpuHours: f.tuning.gpuHours, slo: f.tuning.sloAttainment })));
  const chosen = outcome.scalers.flatMap((s) => [
    { scaler: s.scaler, kind: 'default', gpuHours: s.default.tuning.gpuHours, slo: s.default.tuning.sloAttainment },
    ...(s.best ? [{ scaler: s.scaler, kind: 'tuned', gpuHours: s.best.tuning.gpuHours, slo: s.best.tuning.sloAttainment }] : []),
  ]);
  const x = { field: 'gpuHours', type: 'quantitative', title: 'GPU-hours (tuning part)', scale: { zero: false } } as const;
  const y = { field: 'slo', type: 'quantitative', title: 'SLO attainment (tuning part)', axis: { format: '.1%' }, scale: { zero: false } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 800,
    height: 360,
    title: 'Frontier: GPU-hours against SLO attainment of the candidates tried',
    config: { font: 'DejaVu Sans, sans-serif' },
    layer: [
      { data: { values: front }, mark: { type: 'line', point: true }, encoding: { x, y, color: { field: 'scaler', type: 'nominal', title: 'scaler' }, order: { field: 'order' } } },
      {
        data: { values: chosen },
        mark: { type: 'point', size: 160, filled: true },
        encoding: { x, y, color: { field: 'scaler', type: 'nominal' }, shape: { field: 'kind', type: 'nominal', title: 'configuration' } },
      },
      {
        data: { values: [{ gpuHours: outcome.oracle.tuning.gpuHours, slo: outcome.oracle.tuning.sloAttainment, name: 'oracle' }] },
        mark: { type: 'point', shape: 'diamond', size: 200, color: 'black', filled: true },
        encoding: { x, y, tooltip: { field: 'name' } },
      },
      { data: { values: [{ target }] }, mark: { type: 'rule', strokeDash: [4, 4], color: '#c00' }, encoding: { y: { field: 'target', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}

/** The page. */
export async function buildTuneReport(input: TuneReportInput): Promise<string> {
  const { outcome } = input;
  const row = (name: string, kind: string, m: PartMetrics | null) =>
    m === null
      ? `<tr><th>${escape(name)}</th><td>${kind}</td><td colspan="4">no candidate met the target on the tuning part</td></tr>`
      : `<tr><th>${escape(name)}</th><td>${kind}</td><td>${m.tuning.gpuHours.toFixed(1)}</td><td>${pct(m.tuning.sloAttainment)}</td><td>${m.validation.gpuHours.toFixed(1)}</td><td>${pct(m.validation.sloAttainment)}</td></tr>`;
  const rows = [row('oracle', '', outcome.oracle), ...outcome.scalers.flatMap((s) => [row(s.scaler, 'default', s.default), row(s.scaler, 'tuned', s.best)])];
  const svg = await renderSvg(frontierSpec(input));
  const json = JSON.stringify(input.json, null, 2);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>prescale tune: ${escape(input.title)}</title>
<style>
${REPORT_STYLE}
body { max-width: 1000px; }
</style>
</head>
<body>
<h1>prescale tune: ${escape(input.title)}</h1>
<p>${escape(input.summary)}</p>
${outcome.stopped ? '<p><strong>Stopped before the budget was spent: the best found so far.</strong></p>' : ''}
<h2>Defaults and tuned configurations</h2>
<table id="summary"><thead><tr><th>scaler</th><th>configuration</th><th>GPU-hours, tuning</th><th>SLO met, tuning</th><th>GPU-hours, validation</th><th>SLO met, validation</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
<h2>Frontier</h2>
<figure class="chart" id="chart-frontier">${svg}<figcaption>Each line is one scaler's Pareto front over the candidates run on the whole tuning part; large marks are its defaults and its tuned configuration, the black diamond the oracle, the dashed line the SLO target.</figcaption></figure>
<h2>Results</h2>
<pre id="config">${escape(json)}</pre>
<script type="application/json" id="results">${json.replace(/</g, '\\u003c')}</script>
</body>
</html>
`;
}
