import { readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Benchmarks measure what users run: the built packages (`pnpm build` first), not the
// sources through the test runner's module loader, which turns every imported binding
// into a property read. So `@prescale/*` imports resolve to dist here, without the
// `@prescale/source` condition the tests use.
const conditions = ['import', 'module', 'node', 'default'];
const packages = readdirSync(new URL('./packages', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    env: { PRESCALE_SHARED: process.env.PRESCALE_SHARED ?? new URL('../shared', import.meta.url).pathname },
    projects: packages.map((name) => ({
      extends: true,
      test: { name, root: `packages/${name}`, benchmark: { include: ['bench/**/*.bench.ts'] } },
    })),
  },
});
