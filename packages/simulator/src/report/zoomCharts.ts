/**
 * The report's zoomed panels: ready replicas of every scaler and the need curve, window
 * by window, around the largest load step and around a typical daily ramp (see
 * zoomWindows.ts), with the start of the step or ramp marked. At this scale one sees
 * whether a scaler's replicas were ready before the load came, and by how much.
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Comparison } from '../compare.js';
import { base, type ChartSpec, colourBy, localTime, NEED, needDash, timeAxis } from './chartKit.js';
import { stepZoom, typicalDailyRamp, type ZoomWindow } from './zoomWindows.js';

/** The zoom windows of a comparison: on its largest load step and on a typical daily ramp (each null when there is none). */
export function zoomWindows(c: Comparison): { step: ZoomWindow | null; ramp: ZoomWindow | null } {
  const W = c.config.windowSeconds;
  return {
    step: stepZoom(c.loadStep, c.need.length, W),
    ramp: typicalDailyRamp(c.need, W, Date.parse(c.workload.startIso), c.workload.utcOffsetMinutes),
  };
}

/** A mark at `at` (ms, already in local time) with its label, as a layer. */
export function eventMark(at: number, label: string): Record<string, unknown> {
  return {
    data: { values: [{ time: at, label }] },
    layer: [
      { mark: { type: 'rule', color: '#444', strokeDash: [2, 2] }, encoding: { x: { field: 'time', type: 'temporal', scale: { type: 'utc' } } } },
      { mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, y: 4, color: '#444' }, encoding: { x: { field: 'time', type: 'temporal', scale: { type: 'utc' } }, text: { field: 'label' } } },
    ],
  };
}

function zoomChart(c: Comparison, id: string, zoom: ZoomWindow, title: string): ChartSpec {
  const W = c.config.windowSeconds;
  const start = Date.parse(c.workload.startIso);
  const local = localTime(c.workload.utcOffsetMinutes);
  const time = (w: number) => local(start + w * W * 1000);
  const values: unknown[] = [];
  for (let w = zoom.from; w < zoom.to; w++) values.push({ time: time(w), series: NEED, replicas: c.need[w] });
  for (const run of c.runs) for (let w = zoom.from; w < zoom.to; w++) values.push({ time: time(w), series: run.name, replicas: run.windows.ready[w] });
  const names = [...c.runs.map((r) => r.name), NEED];
  return {
    id,
    title,
    spec: {
      ...base({ text: title, subtitle: `ready replicas of every scaler and the need, per ${W} s window` }, null),
      layer: [
        {
          data: { values },
          mark: { type: 'line', strokeWidth: 1.5, interpolate: 'step-after' },
          encoding: { x: timeAxis(c.workload.utcOffsetMinutes), y: { field: 'replicas', type: 'quantitative', title: 'ready replicas' }, color: colourBy('series', names), strokeDash: needDash('series') },
        },
        eventMark(time(zoom.at), zoom.label),
      ],
    } as unknown as TopLevelSpec,
  };
}

export function zoomCharts(c: Comparison): ChartSpec[] {
  const { step, ramp } = zoomWindows(c);
  const charts: ChartSpec[] = [];
  if (step !== null) charts.push(zoomChart(c, 'zoom-step', step, 'The largest load step, zoomed in'));
  if (ramp !== null) charts.push(zoomChart(c, 'zoom-ramp', ramp, 'A typical daily ramp, zoomed in'));
  return charts;
}
