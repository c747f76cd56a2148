import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The shared material the tests read (conformance vectors, real traces), found as
 * `prescale conformance` finds it: `PRESCALE_SHARED`, else a `shared/` folder (one with
 * `conformance/`) beside this checkout or one of its parents, else `/work/shared`. The
 * root config has its own copy of the lookup so it imports no package's source.
 */
function sharedFolder(): string {
  if (process.env.PRESCALE_SHARED) return resolve(process.env.PRESCALE_SHARED);
  const candidates: string[] = [];
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    candidates.push(join(dir, 'shared'));
    if (dirname(dir) === dir) break;
  }
  const found = [...candidates, '/work/shared'].find((dir) => existsSync(join(dir, 'conformance')));
  if (!found) throw new Error('cannot find the shared folder (conformance vectors, traces): set PRESCALE_SHARED to its path');
  return found;
}

const packages = readdirSync(new URL('./packages', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

// Tests: workspace packages resolve each other to source through the `@prescale/source`
// export condition, so they need no build step. Benchmarks (`vitest bench`, mode
// `benchmark`) measure what users run, the built packages (`pnpm build` first), not the
// sources through the test runner's module loader, which turns every imported binding
// into a property read; benchmark files import the packages by name.
export default defineConfig(({ mode }) => {
  const conditions = [...(mode === 'benchmark' ? [] : ['@prescale/source']), 'import', 'module', 'node', 'default'];
  return {
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      // No test may depend on the machine's speed: CI machines have 2 cores that other
      // work keeps busy, where vitest's 5 s default is too tight for the longer property
      // tests. Timeouts catch hangs, not slowness.
      testTimeout: 60_000,
      hookTimeout: 60_000,
      // Tests read the shared material (conformance vectors, real traces) from here.
      env: { PRESCALE_SHARED: sharedFolder() },
      projects: [
        ...packages.map((name) => ({
          extends: true as const,
          test: {
            name,
            root: `packages/${name}`,
            include: ['src/**/*.test.ts'],
            benchmark: { include: ['bench/**/*.bench.ts'] },
          },
        })),
        // The repository as a user meets it: setup, packed tarballs, the docs' commands.
        // These tests run commands (pnpm, npm, node) rather than import a package.
        { extends: true as const, test: { name: 'repository', root: '.', include: ['tests/**/*.test.ts'] } },
      ],
    },
  };
});
