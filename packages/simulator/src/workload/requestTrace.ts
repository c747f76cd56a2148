/**
 * Per-request traces (`t_offset_s,input_tokens,output_tokens`, optionally gzipped; the
 * format of shared/data/README.md): one row per request, seconds from the trace's start,
 * in time order. Parsing is pure; the caller reads and gunzips the file.
 * @module
 */
import type { BinnedSeries } from '@prescale/core';
import { SimulatorError } from '../errors.js';
import { Random, STREAMS } from '../random/prng.js';

export const REQUEST_TRACE_HEADER = 't_offset_s,input_tokens,output_tokens';

export interface RequestTrace {
  offsets: Float64Array;
  inputs: Int32Array;
  outputs: Int32Array;
}

/** @throws SimulatorError `InvalidTrace` naming the source and line. */
export function parseRequestTrace(text: string, source: string): RequestTrace {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== REQUEST_TRACE_HEADER) {
    throw new SimulatorError('InvalidTrace', `${source} line 1`, lines[0], `must be the header "${REQUEST_TRACE_HEADER}"`);
  }
  const offsets: number[] = [];
  const inputs: number[] = [];
  const outputs: number[] = [];
  let previous = 0;
  for (let i = 1; i < lines.length; i++) {
    const row = lines[i]!.trim();
    if (row === '') continue;
    const fields = row.split(',');
    const where = `${source} line ${i + 1}`;
    if (fields.length !== 3) throw new SimulatorError('InvalidTrace', where, row, 'must have three fields: t_offset_s,input_tokens,output_tokens');
    const t = Number(fields[0]);
    const input = Number(fields[1]);
    const output = Number(fields[2]);
    if (fields[0] === '' || !Number.isFinite(t) || t < 0) throw new SimulatorError('InvalidTrace', where, fields[0], 't_offset_s must be a non-negative number');
    if (!Number.isInteger(input) || input < 1 || !Number.isInteger(output) || output < 1) {
      throw new SimulatorError('InvalidTrace', where, row, 'input_tokens and output_tokens must be positive integers');
    }
    if (t < previous) throw new SimulatorError('InvalidTrace', where, fields[0], 'is earlier than the previous row: rows must be in time order');
    previous = t;
    offsets.push(t);
    inputs.push(input);
    outputs.push(output);
  }
  if (offsets.length === 0) throw new SimulatorError('InvalidTrace', `${source} line 2`, '', 'the trace has no rows');
  return { offsets: Float64Array.from(offsets), inputs: Int32Array.from(inputs), outputs: Int32Array.from(outputs) };
}

/**
 * Rescales a request trace's rate by `factor`: each request is kept ⌊factor⌋ times plus
 * once more with probability frac(factor); copies are spaced evenly between the request
 * and the next one, so the order and the shape of the traffic are kept.
 */
export function rescaleRequestTrace(trace: RequestTrace, factor: number, seed: number): RequestTrace {
  const random = new Random(seed, STREAMS.rescale);
  const whole = Math.floor(factor);
  const frac = factor - whole;
  const offsets: number[] = [];
  const inputs: number[] = [];
  const outputs: number[] = [];
  const n = trace.offsets.length;
  for (let i = 0; i < n; i++) {
    const copies = whole + (random.uniform() < frac ? 1 : 0);
    const t = trace.offsets[i]!;
    const gap = i + 1 < n ? trace.offsets[i + 1]! - t : 0;
    for (let c = 0; c < copies; c++) {
      offsets.push(t + (gap * c) / copies);
      inputs.push(trace.inputs[i]!);
      outputs.push(trace.outputs[i]!);
    }
  }
  return { offsets: Float64Array.from(offsets), inputs: Int32Array.from(inputs), outputs: Int32Array.from(outputs) };
}

/** Requests per bin of a request trace (the history a predictor can take). */
export function requestTraceSeries(trace: RequestTrace, binSeconds: number, startMs: number): BinnedSeries {
  const last = trace.offsets[trace.offsets.length - 1] ?? 0;
  const values: Array<number | null> = new Array<number | null>(Math.floor(last / binSeconds) + 1).fill(0);
  for (const t of trace.offsets) {
    const i = Math.floor(t / binSeconds);
    values[i] = (values[i] ?? 0) + 1;
  }
  return { startMs, binMs: binSeconds * 1000, values, utcOffsetMinutes: 0 };
}
