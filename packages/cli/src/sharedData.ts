/**
 * Where the project's shared material (conformance vectors, traces) lives: the
 * `PRESCALE_SHARED` environment variable, else a `shared/` folder beside the checkout
 * or one of its parents, else `/work/shared` (the development machines' layout, also
 * used by CI clones made elsewhere).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKPLACE_SHARED = '/work/shared';

export function sharedDir(): string {
  const fromEnv = process.env.PRESCALE_SHARED;
  if (fromEnv) return resolve(fromEnv);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'shared');
    if (existsSync(join(candidate, 'conformance'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (existsSync(join(WORKPLACE_SHARED, 'conformance'))) return WORKPLACE_SHARED;
  throw new Error('cannot find the shared folder (conformance vectors, traces): set PRESCALE_SHARED to its path');
}
