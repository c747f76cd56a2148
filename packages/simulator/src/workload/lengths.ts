/**
 * Token lengths of requests whose trace gives only arrival counts: drawn from a lengths
 * file (`input_tokens,output_tokens`, optionally gzipped, as in shared/data/*lengths*)
 * by sampling rows uniformly, or from a built-in log-normal distribution. Every request
 * is clipped to the model's context: prompt + output ≤ `maxModelLen`.
 * @module
 */
import { basename } from 'node:path';
import { SimulatorError } from '../errors.js';
import type { Random } from '../random/prng.js';

export interface LengthDistribution {
  /** Shown in reports. */
  name: string;
  /** Draws one request's lengths into `out` (no allocation). */
  sample(random: Random, out: { input: number; output: number }): void;
  /** Mean prompt and output tokens (for reports and the capacity profile). */
  meanInput: number;
  meanOutput: number;
}

/**
 * The built-in mix: prompt log-normal with median 600 tokens (σ 0.8), output median 200
 * (σ 0.7): a chat workload between the AIBrix 8-minute trace (mean 294 / 73, reference
 * aibrix.md §6.2) and Azure's 2023 conversation trace (median 1,020 / 129).
 */
export const BUILT_IN_LENGTHS = { inputMedian: 600, inputSigma: 0.8, outputMedian: 200, outputSigma: 0.7 } as const;

/** Quantiles of the standard normal at (i + ½)/n (Acklam's rational approximation, |error| < 1.2e-9). */
function normalQuantiles(n: number): Float64Array {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = (i + 0.5) / n;
    let x: number;
    if (p < 0.02425 || p > 1 - 0.02425) {
      const q = Math.sqrt(-2 * Math.log(p < 0.5 ? p : 1 - p));
      x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
      if (p > 0.5) x = -x;
    } else {
      const q = p - 0.5;
      const r = q * q;
      x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
    }
    out[i] = x;
  }
  return out;
}

/** A log-normal drawn by table: one uniform picks one of 8,192 equally likely quantiles. */
function logNormalTable(median: number, sigma: number): Int32Array {
  const z = normalQuantiles(8192);
  return Int32Array.from(z, (x) => Math.max(1, Math.round(median * Math.exp(sigma * x))));
}

export function builtInLengths(): LengthDistribution {
  const { inputMedian, inputSigma, outputMedian, outputSigma } = BUILT_IN_LENGTHS;
  const inputs = logNormalTable(inputMedian, inputSigma);
  const outputs = logNormalTable(outputMedian, outputSigma);
  return {
    name: `built-in log-normal (prompt median ${inputMedian}, σ ${inputSigma}; output median ${outputMedian}, σ ${outputSigma})`,
    sample(random, out) {
      out.input = inputs[random.nextUint32() & 8191]!;
      out.output = outputs[random.nextUint32() & 8191]!;
    },
    meanInput: inputMedian * Math.exp((inputSigma * inputSigma) / 2),
    meanOutput: outputMedian * Math.exp((outputSigma * outputSigma) / 2),
  };
}

/** Parses a lengths CSV (`input_tokens,output_tokens`). Errors name the source and line. */
export function parseLengths(text: string, source: string): LengthDistribution {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== 'input_tokens,output_tokens') {
    throw new SimulatorError('InvalidTrace', `${source} line 1`, lines[0], 'must be the header "input_tokens,output_tokens"');
  }
  const inputs: number[] = [];
  const outputs: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const row = lines[i]!.trim();
    if (row === '') continue;
    const [a, b, extra] = row.split(',');
    const input = Number(a);
    const output = Number(b);
    if (extra !== undefined || !Number.isInteger(input) || !Number.isInteger(output) || input < 1 || output < 1) {
      throw new SimulatorError('InvalidTrace', `${source} line ${i + 1}`, row, 'must be two positive integers: input_tokens,output_tokens');
    }
    inputs.push(input);
    outputs.push(output);
  }
  if (inputs.length === 0) throw new SimulatorError('InvalidTrace', `${source} line 2`, '', 'the lengths file has no rows');
  const ins = Int32Array.from(inputs);
  const outs = Int32Array.from(outputs);
  return {
    name: `${basename(source)} (${ins.length} rows)`,
    sample(random, out) {
      const k = random.int(ins.length);
      out.input = ins[k]!;
      out.output = outs[k]!;
    },
    meanInput: inputs.reduce((s, v) => s + v, 0) / ins.length,
    meanOutput: outputs.reduce((s, v) => s + v, 0) / outs.length,
  };
}

/** Clips a request to the model's context (at least 1 prompt and 1 output token). */
export function clipToContext(r: { input: number; output: number }, maxModelLen: number): void {
  if (r.input > maxModelLen - 1) r.input = maxModelLen - 1;
  if (r.input + r.output > maxModelLen) r.output = maxModelLen - r.input;
}
