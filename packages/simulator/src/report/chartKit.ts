/**
 * What every chart of the report shares: the time axis in the trace's own UTC offset
 * (NASA's −04:00 shows its own days and hours, not the renderer's), one colour per
 * scaler that stays the same in every chart and is told apart at a glance (the
 * Okabe–Ito palette, chosen to stay distinct for colour-blind readers; the need curve a
 * dashed grey), and the vega-lite boilerplate.
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';

export const WIDTH = 760;
export const HEIGHT = 220;
/** The need curve's series name. */
export const NEED = 'need (oracle)';

/** A chart of the report: its id (`figure#chart-<id>`), caption and vega-lite specification. */
export interface ChartSpec {
  id: string;
  title: string;
  spec: TopLevelSpec;
}

/** `UTC−04:00`, `UTC+05:30`, `UTC`. */
export function offsetLabel(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const a = Math.abs(minutes);
  return `UTC${minutes < 0 ? '−' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/**
 * Times on a chart: epoch ms shifted by the trace's offset and read as UTC, so the
 * axis shows the trace's local clock whatever the time zone of the machine that draws it.
 */
export function localTime(utcOffsetMinutes: number): (epochMs: number) => number {
  return (epochMs) => epochMs + utcOffsetMinutes * 60_000;
}

/** The x encoding of a time axis in the trace's offset (vega's own choice of label per tick: days, then hours as one zooms in). */
export function timeAxis(utcOffsetMinutes: number): Record<string, unknown> {
  return { field: 'time', type: 'temporal', scale: { type: 'utc' }, title: `time (${offsetLabel(utcOffsetMinutes)})`, axis: { labelAngle: 0, labelOverlap: true } };
}

const KNOWN: Record<string, string> = {
  hpa: '#0072B2', // blue
  kpa: '#E69F00', // orange
  apa: '#CC79A7', // reddish purple
  predictive: '#009E73', // bluish green
  oracle: '#222222', // black
  [NEED]: '#8c8c8c', // grey, drawn dashed
};
const EXTRA = ['#D55E00', '#56B4E9', '#F0E442', '#9d755d', '#bab0ac'];

/** The colour scale for exactly these series (so a legend lists only what its chart draws). */
export function colourScale(series: readonly string[]): { domain: string[]; range: string[] } {
  let extra = 0;
  return { domain: [...series], range: series.map((s) => KNOWN[s] ?? EXTRA[extra++ % EXTRA.length]!) };
}

/** The colour encoding of a `series` field over these series. */
export function colourBy(field: string, series: readonly string[], title: string | null = null): Record<string, unknown> {
  return { field, type: 'nominal', title, scale: colourScale(series), legend: { orient: 'right' } };
}

/** The need curve dashed, every other series solid. */
export function needDash(field: string): Record<string, unknown> {
  return { condition: { test: `datum['${field}'] === '${NEED}'`, value: [5, 3] }, value: [1, 0] };
}

/** The specification's common part: schema, size, title, data (none for a layered chart whose layers bring their own) and fonts. */
export function base(title: string | { text: string; subtitle: string }, values: unknown[] | null, height = HEIGHT): Record<string, unknown> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: WIDTH,
    height,
    title,
    ...(values !== null ? { data: { values } } : {}),
    config: { font: 'DejaVu Sans, sans-serif', legend: { orient: 'right' }, title: { subtitleColor: '#555' } },
  };
}

/** Mean of `a` over the chart point `p` of `per` windows. */
export function meanOver(a: ArrayLike<number>, p: number, per: number): number {
  let s = 0;
  let n = 0;
  for (let w = p * per; w < Math.min(a.length, (p + 1) * per); w++) {
    s += a[w]!;
    n++;
  }
  return n === 0 ? 0 : s / n;
}
