/**
 * The JSON envelope of Prometheus' HTTP API, validated with zod
 * (prometheus.io/docs/prometheus/latest/querying/api, "Format overview" and
 * "Expression query result formats"): `{status, data: {resultType, result}, errorType,
 * error, warnings, infos}`, sample values as `[unix seconds, "value"]`. Thanos and Mimir
 * answer the same shape.
 * @module
 */
import { z } from 'zod';
import { PrometheusError } from '../errors.js';
import type { Labels } from '../exposition/types.js';
import { parseGoFloat } from '../goFloat.js';
import { type HttpAnswer, snippet } from './request.js';

const samplePair = z.tuple([z.number(), z.string()]);
const metric = z.record(z.string(), z.string());

const data = z.discriminatedUnion('resultType', [
  z.object({
    resultType: z.literal('matrix'),
    result: z.array(z.object({ metric, values: z.array(samplePair).optional(), histograms: z.array(z.unknown()).optional() })),
  }),
  z.object({
    resultType: z.literal('vector'),
    result: z.array(z.object({ metric, value: samplePair.optional(), histogram: z.unknown().optional() })),
  }),
  z.object({ resultType: z.literal('scalar'), result: samplePair }),
  z.object({ resultType: z.literal('string'), result: samplePair }),
]);

const envelope = z.object({
  status: z.enum(['success', 'error']),
  data: z.unknown().optional(),
  errorType: z.string().optional(),
  error: z.string().optional(),
  warnings: z.array(z.string()).optional(),
  infos: z.array(z.string()).optional(),
});

export type ApiData = z.infer<typeof data>;

export interface ApiAnswer {
  /** The request's URL (credentials removed). */
  url: string;
  data: ApiData;
  warnings: string[];
  infos: string[];
}

/**
 * Reads an answer of the API.
 * @throws PrometheusError `QueryFailed` for a Prometheus error body (with its HTTP status
 *   and `errorType`), `HttpStatus` for any other non-2xx answer, `InvalidResponse` for an
 *   HTML page, malformed or truncated JSON, or a body of the wrong shape.
 */
export function readApiAnswer(answer: HttpAnswer): ApiAnswer {
  const { url, status, text } = answer;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    if (status < 200 || status > 299) throw new PrometheusError('HttpStatus', `the server answered ${status}: ${snippet(text) || '(empty body)'}`, { url, status });
    const html = /^\s*</.test(text) || /html/i.test(answer.contentType);
    const what = html ? `an HTML page instead of JSON (a proxy or login page?): ${snippet(text)}` : text.trim() === '' ? 'an empty body' : `malformed or truncated JSON (${(error as Error).message})`;
    throw new PrometheusError('InvalidResponse', what, { url, status, cause: error });
  }
  const env = envelope.safeParse(json);
  if (!env.success) {
    if (status < 200 || status > 299) throw new PrometheusError('HttpStatus', `the server answered ${status}: ${snippet(text)}`, { url, status });
    throw new PrometheusError('InvalidResponse', `not a Prometheus API answer: ${z.prettifyError(env.error).replace(/\s+/g, ' ')}`, { url, status, cause: env.error });
  }
  const warnings = env.data.warnings ?? [];
  if (env.data.status === 'error') {
    throw new PrometheusError('QueryFailed', env.data.error ?? 'the server reported an error without a message', {
      url,
      status,
      ...(env.data.errorType !== undefined ? { errorType: env.data.errorType } : {}),
      warnings,
    });
  }
  if (status < 200 || status > 299) throw new PrometheusError('HttpStatus', `the server answered ${status} with a success body`, { url, status, warnings });
  const parsed = data.safeParse(env.data.data);
  if (!parsed.success) {
    throw new PrometheusError('InvalidResponse', `unexpected data: ${z.prettifyError(parsed.error).replace(/\s+/g, ' ')}`, { url, status, warnings, cause: parsed.error });
  }
  return { url, data: parsed.data, warnings, infos: env.data.infos ?? [] };
}

/**
 * A sample value of the API as a number (NaN and ±Inf included).
 * @throws PrometheusError `InvalidSample` naming the series and time.
 */
export function sampleValue(text: string, labels: Labels, seconds: number, url: string): number {
  const v = parseGoFloat(text);
  if (v === undefined) {
    throw new PrometheusError('InvalidSample', `"${snippet(text, 40)}" is not a number (series ${formatLabels(labels)} at ${seconds})`, { url });
  }
  return v;
}

/** `{a="1", b="2"}`, sorted, as Prometheus prints a label set. */
export function formatLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  const name = labels.__name__ ?? '';
  const inner = keys.filter((k) => k !== '__name__').map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `${name}{${inner.join(', ')}}`;
}
