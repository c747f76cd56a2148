/**
 * Forecast versus actual for the predictive blend: what it sells is capacity ordered
 * before the load, which is only as good as the forecast. For each forecast bin, the
 * forecast the blend made when its lead window (cold start p99 + loop + scrape lag)
 * first reached that bin, that is the one it ordered replicas on, one lead time ahead:
 * its p50 as a line and the band up to the upper quantile (p90 by default, what the
 * blend scales on), against the demand that came. Over the whole run, and zoomed on a
 * typical daily ramp (or the largest load step) with the lead time before the ramp
 * marked: the replicas for the ramp had to be ordered within that span.
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Comparison } from '../compare.js';
import type { RecordedForecasts } from '../scalers/forecastRecorder.js';
import { base, type ChartSpec, localTime, timeAxis } from './chartKit.js';
import { eventMark, zoomWindows } from './zoomCharts.js';

/** One forecast bin: the forecast made when the lead window first reached it, and what came (requests per second; NaN: not simulated whole). */
export interface ForecastBin {
  startMs: number;
  p50: number;
  upper: number;
  actual: number;
}

/** The forecast bins of a recorded run, in time order. */
export function forecastBins(c: Comparison, record: RecordedForecasts): ForecastBin[] {
  const first = new Map<number, { p50: number; upper: number }>();
  for (const f of record.forecasts) for (const b of f.bins) if (!first.has(b.startMs)) first.set(b.startMs, { p50: b.p50, upper: b.upper });
  const W = c.config.windowSeconds;
  const start = Date.parse(c.workload.startIso);
  const perBin = record.binMs / (W * 1000);
  const bins: ForecastBin[] = [];
  for (const [startMs, f] of [...first.entries()].sort((a, b) => a[0] - b[0])) {
    const from = (startMs - start) / (W * 1000);
    let actual = Number.NaN;
    if (Number.isInteger(from) && Number.isInteger(perBin) && from >= 0 && from + perBin <= c.arrivalsPerWindow.length) {
      let n = 0;
      for (let w = from; w < from + perBin; w++) n += c.arrivalsPerWindow[w]!;
      actual = n / (record.binMs / 1000);
    }
    bins.push({ startMs, ...f, actual });
  }
  return bins;
}

const ACTUAL = 'demand that came';
const P50 = 'forecast p50';

function layers(c: Comparison, bins: ForecastBin[], band: string): unknown[] {
  const local = localTime(c.workload.utcOffsetMinutes);
  const x = timeAxis(c.workload.utcOffsetMinutes);
  const colour = { field: 'series', type: 'nominal', title: null, scale: { domain: [ACTUAL, P50, band], range: ['#222222', '#009E73', '#8fd3bd'] } };
  const bandRows = bins.map((b) => ({ time: local(b.startMs), low: b.p50, high: b.upper, series: band }));
  const lineRows: unknown[] = [];
  for (const b of bins) {
    lineRows.push({ time: local(b.startMs), rps: b.p50, series: P50 });
    if (b.actual === b.actual) lineRows.push({ time: local(b.startMs), rps: b.actual, series: ACTUAL });
  }
  return [
    { data: { values: bandRows }, mark: { type: 'area', interpolate: 'step-after', opacity: 0.55 }, encoding: { x, y: { field: 'low', type: 'quantitative', title: 'requests / s' }, y2: { field: 'high' }, color: colour } },
    { data: { values: lineRows }, mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.3 }, encoding: { x, y: { field: 'rps', type: 'quantitative' }, color: colour } },
  ];
}

export function forecastCharts(c: Comparison): ChartSpec[] {
  const name = Object.keys(c.forecasts)[0];
  if (name === undefined) return [];
  const record = c.forecasts[name]!;
  const bins = forecastBins(c, record);
  if (bins.length === 0) return [];
  const q = `p${Math.round(100 * (record.quantile ?? 0.9))}`;
  const band = `forecast p50–${q}`;
  const lead = record.leadTimeSeconds ?? 0;
  const leadText = `${(lead / 60).toFixed(1)} min`;
  let scored = 0;
  let covered = 0;
  let abs = 0;
  for (const b of bins) {
    if (!(b.actual === b.actual)) continue;
    scored++;
    if (b.actual <= b.upper) covered++;
    abs += Math.abs(b.actual - b.p50);
  }
  const accuracy = scored > 0 ? `: the ${q} covered ${((100 * covered) / scored).toFixed(1)} % of ${scored} bins, the p50 was off by ${(abs / scored).toFixed(2)} requests/s on average` : '';
  const binText = `${record.binMs / 60_000}-minute`;
  const charts: ChartSpec[] = [
    {
      id: 'forecast',
      title: `Forecast versus actual (${name})${accuracy}`,
      spec: {
        ...base({ text: `What ${name} forecast, one lead time ahead, against the demand that came`, subtitle: `each ${binText} bin as forecast when the ${leadText} lead time first reached it` }, null),
        layer: layers(c, bins, band),
      } as unknown as TopLevelSpec,
    },
  ];
  const { ramp, step } = zoomWindows(c);
  const zoom = ramp ?? step;
  if (zoom === null) return charts;
  const W = c.config.windowSeconds;
  const start = Date.parse(c.workload.startIso);
  const fromMs = start + zoom.from * W * 1000;
  const toMs = start + zoom.to * W * 1000;
  const atMs = start + zoom.at * W * 1000;
  const local = localTime(c.workload.utcOffsetMinutes);
  const inZoom = bins.filter((b) => b.startMs >= fromMs && b.startMs < toMs);
  charts.push({
    id: 'forecast-zoom',
    title: `Forecast versus actual (${name}), ${ramp !== null ? 'a typical daily ramp' : 'the largest load step'}, with the lead time marked`,
    spec: {
      ...base({ text: `${name}'s forecast around ${zoom.label}`, subtitle: `shaded: the ${leadText} lead time before it, when the replicas it needs had to be ordered` }, null),
      layer: [
        {
          data: { values: [{ from: local(atMs - lead * 1000), to: local(atMs), label: `lead time ${leadText}` }] },
          layer: [
            { mark: { type: 'rect', color: '#f2c14e', opacity: 0.35 }, encoding: { x: { field: 'from', type: 'temporal', scale: { type: 'utc' } }, x2: { field: 'to' } } },
            { mark: { type: 'text', align: 'right', baseline: 'bottom', dx: -2, y: 218, color: '#8a6d0b' }, encoding: { x: { field: 'to', type: 'temporal', scale: { type: 'utc' } }, text: { field: 'label' } } },
          ],
        },
        ...layers(c, inZoom, band),
        eventMark(local(atMs), zoom.label),
      ],
    } as unknown as TopLevelSpec,
  });
  return charts;
}
