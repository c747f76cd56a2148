/**
 * The report's charts as vega-lite specifications rendered to SVG in Node (reference
 * ecosystem.md §4.1: vega 6.4 + vega-lite 6.4, `renderer: 'none'`, `toSVG()`). The four
 * panels follow AIBrix's experiment figure (reference simulator.md §4.1): demand over
 * time, ready replicas per scaler against the oracle's need, TTFT over time, and the
 * cumulative GPU cost.
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Comparison } from '../compare.js';

export interface Chart {
  id: string;
  title: string;
  svg: string;
}

const WIDTH = 900;
const HEIGHT = 220;

function base(title: string, values: unknown[]): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height: HEIGHT,
    title,
    data: { values: values as Record<string, unknown>[] },
    config: { font: 'DejaVu Sans, sans-serif', legend: { orient: 'right' } },
  };
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

/** The chart specifications of a comparison (exported for tests and for embedding elsewhere). */
export function chartSpecs(c: Comparison): Array<{ id: string; title: string; spec: TopLevelSpec }> {
  const W = c.config.windowSeconds;
  const chartWindows = Math.max(1, Math.ceil(c.arrivalsPerWindow.length / 1000));
  const points = Math.ceil(c.arrivalsPerWindow.length / chartWindows);
  const iso = (i: number) => new Date(c.runs.length > 0 ? Date.parse(c.workload.startIso) + i * chartWindows * W * 1000 : 0).toISOString();
  const mean = (a: ArrayLike<number>, p: number) => {
    let s = 0;
    let n = 0;
    for (let w = p * chartWindows; w < Math.min(a.length, (p + 1) * chartWindows); w++) {
      s += a[w]!;
      n++;
    }
    return n === 0 ? 0 : s / n;
  };
  const demand: unknown[] = [];
  const replicas: unknown[] = [];
  const ttft: unknown[] = [];
  const cost: unknown[] = [];
  for (let p = 0; p < points; p++) {
    demand.push({ time: iso(p), rps: mean(c.arrivalsPerWindow, p) / W });
    replicas.push({ time: iso(p), scaler: 'need (oracle)', replicas: mean(c.need, p) });
  }
  for (const run of c.runs) {
    let gpuSeconds = 0;
    for (let p = 0; p < points; p++) {
      replicas.push({ time: iso(p), scaler: run.name, replicas: mean(run.windows.ready, p) });
      for (let w = p * chartWindows; w < Math.min(run.windows.billed.length, (p + 1) * chartWindows); w++) gpuSeconds += run.windows.billed[w]! * W;
      cost.push({ time: iso(p), scaler: run.name, gpuHours: gpuSeconds / 3600 });
      const h = run.ttftByChartWindow[p];
      const p99 = h?.quantile(0.99);
      if (p99 != null) ttft.push({ time: iso(p), scaler: run.name, ttftP99: Math.max(1e-3, p99), ttftP50: Math.max(1e-3, h!.quantile(0.5)!) });
    }
  }
  const x = { field: 'time', type: 'temporal', title: null, axis: { format: '%a %d %H:%M', labelAngle: 0 } } as const;
  // One colour per scaler in every chart (the need curve only appears in one of them).
  const domain = [...c.runs.map((r) => r.name), 'need (oracle)'];
  const color = { field: 'scaler', type: 'nominal', title: null, scale: { domain, scheme: 'tableau10' } } as const;
  return [
    {
      id: 'demand',
      title: 'Demand',
      spec: { ...base('Demand: requests per second', demand), mark: { type: 'area', line: true, opacity: 0.4 }, encoding: { x, y: { field: 'rps', type: 'quantitative', title: 'requests / s' } } } as TopLevelSpec,
    },
    {
      id: 'replicas',
      title: 'Ready replicas',
      spec: {
        ...base('Ready replicas per scaler against the replicas the load needs', replicas),
        mark: { type: 'line', strokeWidth: 1.2, interpolate: 'step-after' },
        encoding: { x, y: { field: 'replicas', type: 'quantitative', title: 'ready replicas' }, color, strokeDash: { condition: { test: "datum.scaler === 'need (oracle)'", value: [4, 3] }, value: [1, 0] } },
      } as TopLevelSpec,
    },
    {
      id: 'ttft',
      title: 'TTFT over time',
      spec: {
        ...base('Time to first token, p99 of the requests arriving in each interval (log scale)', ttft),
        mark: { type: 'line', strokeWidth: 1.2 },
        encoding: {
          x,
          y: { field: 'ttftP99', type: 'quantitative', title: 'TTFT p99 (s)', scale: { type: 'log' } },
          color,
        },
      } as TopLevelSpec,
    },
    {
      id: 'cost',
      title: 'Cumulative GPU cost',
      spec: {
        ...base('Cumulative GPU cost', cost),
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: { x, y: { field: 'gpuHours', type: 'quantitative', title: 'GPU-hours' }, color },
      } as TopLevelSpec,
    },
  ];
}

export async function renderCharts(c: Comparison): Promise<Chart[]> {
  const charts: Chart[] = [];
  for (const { id, title, spec } of chartSpecs(c)) charts.push({ id, title, svg: await render(spec) });
  return charts;
}
