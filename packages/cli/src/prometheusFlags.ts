/**
 * Flags every command that talks to Prometheus or to pods shares: timeout, bearer
 * token, extra headers, TLS and the body cap, turned into `@prescale/prometheus`'s
 * HTTP options.
 */
import { readFileSync } from 'node:fs';
import { type Command, Option, type OptionValues } from '@commander-js/extra-typings';
import { parseDuration } from '@prescale/core';
import { type HttpOptions, isPrometheusError, parseTimeSpec } from '@prescale/prometheus';
import { laterDefault } from './help.js';
import { UsageError } from './usageError.js';

// A type, not an interface, so that it is assignable to commander's OptionValues.
export type HttpFlags = {
  timeout: string;
  bearerTokenFile?: string;
  header?: string[];
  caFile?: string;
  insecureSkipVerify?: true;
  maxBodySize?: string;
};

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** `10MiB`, `64MB`, `512KiB`, `1000000` (bytes) as a whole number of bytes. */
export function parseByteSize(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  const bytes = m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : Number.NaN;
  if (!(bytes >= 1 && Number.isSafeInteger(bytes))) throw new UsageError(flag, `"${text}" must be a size such as 10MiB, 64MB, 512KiB or a number of bytes`);
  return bytes;
}

/** A byte count as `--max-body-size` takes it, in MiB (the defaults are whole MiB). */
function mebibytes(bytes: number): string {
  return `${bytes / 1024 ** 2}MiB`;
}

/**
 * Adds the shared flags to a command, with its defaults: the request timeout, and the
 * body cap the command's requests get from `@prescale/prometheus` (pod pages or
 * Prometheus answers), shown as the one default of `--max-body-size`.
 */
export function withHttpFlags<A extends unknown[], O extends OptionValues>(
  command: Command<A, O>,
  defaults: { timeout: string; maxBodyBytes: number },
): Command<A, O & HttpFlags> {
  return command
    .addOption(new Option('--timeout <duration>', 'per request').default(defaults.timeout))
    .addOption(laterDefault(new Option('--bearer-token-file <file>', 'send "Authorization: Bearer <token>" with the token in this file; for basic auth, put user:password@ in the URL'), 'the token in $PRESCALE_BEARER_TOKEN'))
    .addOption(new Option('--header <name:value>', 'an extra header, e.g. X-Scope-OrgID:team (repeatable)').argParser((v: string, all: string[] = []) => [...all, v]))
    .addOption(new Option('--ca-file <file>', 'PEM of the CA to trust'))
    .addOption(new Option('--insecure-skip-verify', 'accept any TLS certificate'))
    // The chain's own inferred type is too long for the declaration emitter: say what it adds.
    .addOption(laterDefault(new Option('--max-body-size <size>', 'largest response body to read, e.g. 10MiB or 64MB; a larger one fails with BodyTooLarge'), mebibytes(defaults.maxBodyBytes))) as unknown as Command<A, O & HttpFlags>;
}

/** The HTTP options the flags ask for. */
export function httpOptions(flags: HttpFlags): HttpOptions {
  const headers: Record<string, string> = {};
  for (const h of flags.header ?? []) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new UsageError('--header', `"${h}" must be name:value`);
    headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim();
  }
  const token = flags.bearerTokenFile !== undefined ? readFileSync(flags.bearerTokenFile, 'utf8').trim() : process.env.PRESCALE_BEARER_TOKEN;
  const tls = flags.caFile !== undefined || flags.insecureSkipVerify ? { ...(flags.caFile !== undefined ? { ca: readFileSync(flags.caFile) } : {}), ...(flags.insecureSkipVerify ? { insecureSkipVerify: true } : {}) } : undefined;
  return {
    timeoutMs: parseDuration(flags.timeout, '--timeout'),
    headers,
    ...(token ? { auth: { type: 'bearer' as const, token } } : {}),
    ...(tls ? { tls } : {}),
    ...(flags.maxBodySize !== undefined ? { maxBodyBytes: parseByteSize('--max-body-size', flags.maxBodySize) } : {}),
  };
}

/**
 * An http or https URL given on the command line (`--prometheus`, a scrape target);
 * `where` names it in the error, which is the same for every command.
 */
export function httpUrl(text: string, where: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new UsageError(where, `"${text}" is not an http or https URL`);
  return text;
}

/** A time flag (`--from`, `--to`): "now", a duration back from now or an ISO-8601 time. */
export function timeFlag(text: string, flag: string, nowMs: number): number {
  try {
    return parseTimeSpec(text, nowMs);
  } catch (cause) {
    if (isPrometheusError(cause) && cause.code === 'InvalidArgument') throw new UsageError(flag, cause.detail);
    throw cause;
  }
}
