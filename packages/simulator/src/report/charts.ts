/**
 * The report's charts as vega-lite specifications rendered to SVG in Node (reference
 * ecosystem.md §4.1: vega 6.4 + vega-lite 6.4, `renderer: 'none'`, `toSVG()`): the
 * panels of AIBrix's experiment figure over the whole run (overviewCharts.ts), zooms on
 * the largest load step and a typical daily ramp (zoomCharts.ts), and the predictive
 * blend's forecast against the demand that came (forecastChart.ts).
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Comparison } from '../compare.js';
import type { ChartSpec } from './chartKit.js';
import { forecastCharts } from './forecastChart.js';
import { overviewCharts } from './overviewCharts.js';
import { zoomCharts, zoomWindows } from './zoomCharts.js';

export interface Chart {
  id: string;
  title: string;
  svg: string;
}

async function render(spec: TopLevelSpec): Promise<string> {
  // Loaded when a chart is drawn: vega's Node build (which vega-lite imports too) has a
  // top-level await (vega-canvas), which would stop `require('@prescale/simulator')`
  // from CommonJS and slow every command that draws nothing.
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The chart specifications of a comparison, in the report's order (exported for tests and for embedding elsewhere). */
export function chartSpecs(c: Comparison): ChartSpec[] {
  const [demand, replicas, ttft, cost] = overviewCharts(c);
  return [demand!, replicas!, ...zoomCharts(c), ...forecastCharts(c), ttft!, cost!];
}

/** Why a chart the report can show is not in this one (a workload with no load step, no daily ramp, no predictive run). */
export function missingCharts(c: Comparison): string[] {
  const { step, ramp } = zoomWindows(c);
  const out: string[] = [];
  if (step === null) out.push('No zoom on the largest load step: this workload has none.');
  if (ramp === null) out.push('No zoom on a daily ramp: the run holds fewer than two whole days.');
  if (Object.keys(c.forecasts).length === 0) out.push('No forecast-versus-actual chart: no predictive scaler ran.');
  return out;
}

export async function renderCharts(c: Comparison): Promise<Chart[]> {
  const charts: Chart[] = [];
  for (const { id, title, spec } of chartSpecs(c)) charts.push({ id, title, svg: await render(spec) });
  return charts;
}
