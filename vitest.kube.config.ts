import { defineConfig } from 'vitest/config';

/**
 * The operator's end-to-end suite (packages/kubernetes/e2e), against a real
 * kube-apiserver and etcd: run it with `pnpm test:kube`, which starts them
 * (scripts/kube-testenv.sh) and hands their folder over in KUBE_TESTENV_DIR. Not part
 * of `pnpm test`. One file at a time: the files share the one API server, and
 * some restart it.
 */
const conditions = ['@prescale/source', 'import', 'module', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    fileParallelism: false,
    // Generous: the API server shares two cores with the operator processes and the
    // tests; timeouts catch hangs, not slowness.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: { name: 'kube-e2e', root: 'packages/kubernetes', include: ['e2e/**/*.e2e.test.ts'] },
      },
    ],
  },
});
