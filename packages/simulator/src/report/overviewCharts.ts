/**
 * The report's charts over the whole run (AIBrix's experiment figure, reference
 * simulator.md §4.1): demand, ready replicas as small multiples (one panel per scaler
 * against the oracle's need curve, since one overplot of two weeks is dominated by the
 * scaler that flaps most), TTFT p99 over time with the SLO as a line, and the
 * cumulative GPU cost. Each point is the mean over `chartWindows` timeline windows, so
 * a run gives at most about a thousand points per series.
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Comparison } from '../compare.js';
import { base, type ChartSpec, colourBy, localTime, meanOver, NEED, needDash, timeAxis, WIDTH } from './chartKit.js';

export function overviewCharts(c: Comparison): ChartSpec[] {
  const W = c.config.windowSeconds;
  const per = Math.max(1, Math.ceil(c.arrivalsPerWindow.length / 1000));
  const points = Math.ceil(c.arrivalsPerWindow.length / per);
  const start = Date.parse(c.workload.startIso);
  const local = localTime(c.workload.utcOffsetMinutes);
  const time = (p: number) => local(start + p * per * W * 1000);
  const names = c.runs.map((r) => r.name);
  const x = timeAxis(c.workload.utcOffsetMinutes);

  const demand: unknown[] = [];
  const need: number[] = [];
  for (let p = 0; p < points; p++) {
    demand.push({ time: time(p), rps: meanOver(c.arrivalsPerWindow, p, per) / W });
    need.push(meanOver(c.need, p, per));
  }
  const replicas: unknown[] = [];
  const ttft: unknown[] = [];
  const cost: unknown[] = [];
  for (const run of c.runs) {
    let gpuSeconds = 0;
    for (let p = 0; p < points; p++) {
      replicas.push({ time: time(p), panel: run.name, series: NEED, replicas: need[p] });
      replicas.push({ time: time(p), panel: run.name, series: run.name, replicas: meanOver(run.windows.ready, p, per) });
      for (let w = p * per; w < Math.min(run.windows.billed.length, (p + 1) * per); w++) gpuSeconds += run.windows.billed[w]! * W;
      cost.push({ time: time(p), scaler: run.name, gpuHours: gpuSeconds / 3600 });
      const h = run.ttftByChartWindow[p];
      const p99 = h?.quantile(0.99);
      if (p99 != null) ttft.push({ time: time(p), scaler: run.name, ttftP99: Math.max(1e-3, p99) });
    }
  }
  const slo = c.config.slo.ttftSeconds;
  const panelHeight = Math.max(60, Math.min(110, Math.round(480 / Math.max(1, names.length))));
  return [
    {
      id: 'demand',
      title: 'Demand',
      spec: { ...base('Demand: requests per second', demand), mark: { type: 'area', line: true, opacity: 0.4 }, encoding: { x, y: { field: 'rps', type: 'quantitative', title: 'requests / s' } } } as unknown as TopLevelSpec,
    },
    {
      id: 'replicas',
      title: 'Ready replicas, one panel per scaler, against the replicas the load needs (the oracle’s need curve, dashed)',
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: { text: 'Ready replicas per scaler against the need curve', subtitle: `one panel per scaler; mean over ${Math.round((per * W) / 60)} min` },
        data: { values: replicas },
        facet: { row: { field: 'panel', type: 'nominal', sort: names, title: null, header: { labelOrient: 'top', labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelFontWeight: 'bold', labelPadding: 2 } } },
        spacing: 6,
        spec: {
          width: WIDTH,
          height: panelHeight,
          mark: { type: 'line', strokeWidth: 1.2, interpolate: 'step-after' },
          encoding: { x, y: { field: 'replicas', type: 'quantitative', title: 'ready' }, color: colourBy('series', [...names, NEED]), strokeDash: needDash('series') },
        },
        resolve: { scale: { y: 'shared' } },
        config: { font: 'DejaVu Sans, sans-serif', title: { subtitleColor: '#555' } },
      } as unknown as TopLevelSpec,
    },
    {
      id: 'ttft',
      title: `TTFT over time, with the SLO (${slo} s)`,
      spec: {
        ...base('Time to first token, p99 of the requests arriving in each interval (log scale)', null),
        layer: [
          {
            data: { values: ttft },
            mark: { type: 'line', strokeWidth: 1.2 },
            encoding: { x, y: { field: 'ttftP99', type: 'quantitative', title: 'TTFT p99 (s)', scale: { type: 'log' } }, color: colourBy('scaler', names) },
          },
          {
            data: { values: [{ slo, label: `SLO ${slo} s` }] },
            layer: [
              { mark: { type: 'rule', color: '#c00', strokeDash: [6, 3], strokeWidth: 1.2 }, encoding: { y: { field: 'slo', type: 'quantitative' } } },
              { mark: { type: 'text', color: '#c00', align: 'left', dx: 4, dy: -6, x: 0 }, encoding: { y: { field: 'slo', type: 'quantitative' }, text: { field: 'label' } } },
            ],
          },
        ],
      } as unknown as TopLevelSpec,
    },
    {
      id: 'cost',
      title: 'Cumulative GPU cost',
      spec: { ...base('Cumulative GPU cost', cost), mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y: { field: 'gpuHours', type: 'quantitative', title: 'GPU-hours' }, color: colourBy('scaler', names) } } as unknown as TopLevelSpec,
    },
  ];
}
