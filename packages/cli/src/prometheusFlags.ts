/**
 * Flags every command that talks to Prometheus or to pods shares: timeout, bearer
 * token, extra headers and TLS, turned into `@prescale/prometheus`'s HTTP options.
 */
import { readFileSync } from 'node:fs';
import { type Command, Option, type OptionValues } from '@commander-js/extra-typings';
import { parseDuration } from '@prescale/core';
import type { HttpOptions } from '@prescale/prometheus';

export interface HttpFlags {
  timeout: string;
  bearerTokenFile?: string;
  header: string[];
  caFile?: string;
  insecureSkipVerify?: true;
}

/** Adds the shared flags to a command. */
export function withHttpFlags<A extends unknown[], O extends OptionValues>(command: Command<A, O>, defaultTimeout: string) {
  return command
    .addOption(new Option('--timeout <duration>', 'per request').default(defaultTimeout))
    .addOption(new Option('--bearer-token-file <file>', 'send "Authorization: Bearer <token>" (default: $PRESCALE_BEARER_TOKEN); basic auth: put user:password@ in the URL'))
    .addOption(new Option('--header <name:value>', 'an extra header, e.g. X-Scope-OrgID:team (repeatable)').argParser((v: string, all: string[] = []) => [...all, v]).default([] as string[]))
    .addOption(new Option('--ca-file <file>', 'PEM of the CA to trust'))
    .addOption(new Option('--insecure-skip-verify', 'accept any TLS certificate'));
}

/** The HTTP options the flags ask for. */
export function httpOptions(flags: HttpFlags): HttpOptions {
  const headers: Record<string, string> = {};
  for (const h of flags.header) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new Error(`--header "${h}" must be name:value`);
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
