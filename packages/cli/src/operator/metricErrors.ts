/**
 * `@prescale/prometheus`' errors as the operator's {@link MetricSourceError}s: a kind
 * (HTTP status, DNS, unreachable, timeout, a bad answer, a failed query, a body over the
 * limit) and a message built from the error's code, status and URL alone. Never the
 * error's own text, which may quote the response body, and never credentials (the URL
 * is `@prescale/prometheus`' redacted one, without its query string).
 */
import { httpFailureKind, type MetricFailureKind, MetricSourceError } from '@prescale/kubernetes';
import { isPrometheusError, type PrometheusError } from '@prescale/prometheus';

/** Errno codes that mean the host name did not resolve. */
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

/** The first errno-like `code` (ECONNREFUSED, ENOTFOUND, …) down the cause chain. */
function errnoOf(error: unknown): string | null {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e !== null && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/** The URL without its query string, as it may be shown. */
function where(error: PrometheusError): string {
  if (!error.url) return 'the server';
  try {
    const u = new URL(error.url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'the server';
  }
}

function kindAndMessage(error: PrometheusError): [MetricFailureKind, string] {
  const at = where(error);
  const code: string = error.code;
  switch (code) {
    case 'HttpStatus':
      return [httpFailureKind(error.status ?? 500), `HTTP ${error.status ?? '?'} from ${at}`];
    case 'QueryFailed':
      return ['QueryFailed', `${at} failed the query (errorType ${error.errorType ?? 'unknown'}${error.status !== undefined ? `, HTTP ${error.status}` : ''})`];
    case 'Unreachable': {
      const errno = errnoOf(error);
      if (errno !== null && DNS_CODES.has(errno)) return ['DNS', `cannot resolve the host of ${at} (${errno})`];
      return ['Unreachable', `cannot reach ${at}${errno ? ` (${errno})` : ''}`];
    }
    case 'Timeout':
      return ['Timeout', `no complete answer from ${at} in time`];
    case 'BodyTooLarge':
      return ['TooLarge', `the answer from ${at} is over the size limit`];
    case 'Warnings':
      return ['BadResponse', `${at} warned that the data may be partial`];
    case 'NoData':
      return ['BadResponse', 'the query matched no series'];
    case 'MultipleSeries':
      return ['BadResponse', 'the query gave more than one series; aggregate it to one, e.g. sum(...)'];
    default:
      return ['BadResponse', `${code} from ${at}`];
  }
}

/** Whatever a port call threw, as a MetricSourceError whose message may be shown. */
export function toMetricSourceError(error: unknown): MetricSourceError {
  if (error instanceof MetricSourceError) return error;
  if (isPrometheusError(error)) {
    const [kind, message] = kindAndMessage(error);
    return new MetricSourceError(kind, message, { cause: error });
  }
  return new MetricSourceError('Unknown', 'the read failed', { cause: error });
}
