import { readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { sharedDir } from './packages/cli/src/sharedData.js';

// Workspace packages resolve each other to source through the `@prescale/source`
// export condition, so the tests need no build step.
const conditions = ['@prescale/source', 'import', 'module', 'node', 'default'];
const packages = readdirSync(new URL('./packages', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    // Tests read the shared material (conformance vectors, real traces) from here.
    env: { PRESCALE_SHARED: sharedDir() },
    projects: packages.map((name) => ({
      extends: true,
      test: {
        name,
        root: `packages/${name}`,
        include: ['src/**/*.test.ts'],
        benchmark: { include: ['bench/**/*.bench.ts', 'src/**/*.bench.ts'] },
      },
    })),
  },
});
