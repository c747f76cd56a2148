/**
 * Flags every command that talks to Prometheus or to pods shares: timeout, bearer
 * token, extra headers and TLS, turned into `@prescale/prometheus`'s HTTP options.
 */
import { readFileSync } from 'node:fs';
import { type Command, Option, type OptionValues } from '@commander-js/extra-typings';
import { parseDuration } from '@prescale/core';
import { type HttpOptions, isPrometheusError, parseTimeSpec } from '@prescale/prometheus';
import { laterDefault } from './help.js';
import { UsageError } from './usageError.js';

export interface HttpFlags {
  timeout: string;
  bearerTokenFile?: string;
  header?: string[];
  caFile?: string;
  insecureSkipVerify?: true;
}

/** Adds the shared flags to a command. */
export function withHttpFlags<A extends unknown[], O extends OptionValues>(command: Command<A, O>, defaultTimeout: string) {
  return command
    .addOption(new Option('--timeout <duration>', 'per request').default(defaultTimeout))
    .addOption(laterDefault(new Option('--bearer-token-file <file>', 'send "Authorization: Bearer <token>" with the token in this file; for basic auth, put user:password@ in the URL'), 'the token in $PRESCALE_BEARER_TOKEN'))
    .addOption(new Option('--header <name:value>', 'an extra header, e.g. X-Scope-OrgID:team (repeatable)').argParser((v: string, all: string[] = []) => [...all, v]))
    .addOption(new Option('--ca-file <file>', 'PEM of the CA to trust'))
    .addOption(new Option('--insecure-skip-verify', 'accept any TLS certificate'));
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
