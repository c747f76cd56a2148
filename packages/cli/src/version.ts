/**
 * The version `prescale --version` prints: @prescale/cli's, from its package.json (one
 * folder up from src/ and from the built dist/).
 */
import { readFileSync } from 'node:fs';

export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error('@prescale/cli: package.json has no version');
  return manifest.version;
}
