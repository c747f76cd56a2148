/**
 * Flags every command that talks to Prometheus or to pods shares: timeout, bearer
 * token, extra headers, TLS and the body cap, turned into `@prescale/prometheus`'s
 * HTTP options.
 */
import { readFileSync } from 'node:fs';
import { type Command, Option, type OptionValues } from '@commander-js/extra-typings';
import { parseDuration } from '@prescale/core';
import type { HttpOptions } from '@prescale/prometheus';

// A type, not an interface, so that it is assignable to commander's OptionValues.
export type HttpFlags = {
  timeout: string;
  bearerTokenFile?: string;
  header: string[];
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
  if (!(bytes >= 1 && Number.isSafeInteger(bytes))) throw new Error(`${flag} "${text}" must be a size such as 10MiB, 64MB, 512KiB or a number of bytes`);
  return bytes;
}

/** Adds the shared flags to a command. */
export function withHttpFlags<A extends unknown[], O extends OptionValues>(command: Command<A, O>, defaultTimeout: string): Command<A, O & HttpFlags> {
  return command
    .addOption(new Option('--timeout <duration>', 'per request').default(defaultTimeout))
    .addOption(new Option('--bearer-token-file <file>', 'send "Authorization: Bearer <token>" (default: $PRESCALE_BEARER_TOKEN); basic auth: put user:password@ in the URL'))
    .addOption(new Option('--header <name:value>', 'an extra header, e.g. X-Scope-OrgID:team (repeatable)').argParser((v: string, all: string[] = []) => [...all, v]).default([] as string[]))
    .addOption(new Option('--ca-file <file>', 'PEM of the CA to trust'))
    .addOption(new Option('--insecure-skip-verify', 'accept any TLS certificate'))
    // The chain's own inferred type is too long for the declaration emitter: say what it adds.
    .addOption(new Option('--max-body-size <size>', 'largest response body to read, e.g. 10MiB or 64MB; a larger one fails with BodyTooLarge (default: 10 MiB for /metrics pages, 64 MiB for Prometheus answers)')) as unknown as Command<A, O & HttpFlags>;
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
    ...(flags.maxBodySize !== undefined ? { maxBodyBytes: parseByteSize('--max-body-size', flags.maxBodySize) } : {}),
  };
}
