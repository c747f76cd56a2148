/**
 * Import boundaries, checked by `pnpm lint:deps` (part of `pnpm test`):
 *
 *   cli → {simulator, prometheus, kubernetes, optimizer} → core
 *
 * - no circular import anywhere, type-only imports included;
 * - core's production sources import nothing outside packages/core: no other package,
 *   no npm package, no Node built-in; its tests and benchmarks may add Node built-ins,
 *   vitest and fast-check;
 * - prometheus, simulator, kubernetes and optimizer (tests included) import no workspace
 *   package but core; cli may import any;
 * - another package is imported through its exports, never by a path into it;
 * - the root's vitest config files and repository tests (tests/) import no package;
 * - every `@prescale/*` import resolves.
 *
 * Workspace packages are resolved as the tests resolve them, to their source (the
 * `@prescale/source` export condition), so an import of `@prescale/x` is seen as an
 * import of packages/x/src/… and the path rules apply to it.
 * @type {import('dependency-cruiser').IConfiguration}
 */

/** Modules of package `name` that only tests run: test files, test support, benchmarks. */
const testOnly = (name) => [`^packages/${name}/.+\\.test\\.ts$`, `^packages/${name}/.+/testSupport(\\.ts$|/)`, `^packages/${name}/bench/`];
/** A package's build config (it imports tsup); not part of the package. */
const BUILD_CONFIG = '^packages/[^/]+/tsup\\.config\\.ts$';

/**
 * The files another package may import: the `@prescale/source` targets of each
 * package.json's exports (`.` and subpaths such as `./testing`), read here so that a
 * new entry needs no change to this file.
 */
const { readdirSync, readFileSync } = require('node:fs');
const PACKAGE_ENTRIES = readdirSync('packages').flatMap((name) => {
  const { exports = {} } = JSON.parse(readFileSync(`packages/${name}/package.json`, 'utf8'));
  return Object.values(exports)
    .map((target) => (typeof target === 'object' ? target['@prescale/source'] : undefined))
    .filter((source) => typeof source === 'string')
    .map((source) => `^packages/${name}/${source.replace(/^\.\//, '').replace(/\./g, '\\.')}$`);
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No circular imports anywhere, type-only imports included (tsPreCompilationDeps).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-only-core',
      severity: 'error',
      comment:
        "core's production sources import only core: no other workspace package, no npm package, no Node built-in " +
        '(core is pure; its tsconfig compiles it without Node types too).',
      from: { path: '^packages/core/', pathNot: [...testOnly('core'), BUILD_CONFIG] },
      to: { pathNot: '^packages/core/' },
    },
    {
      name: 'core-tests-import-only-core-node-vitest-fast-check',
      severity: 'error',
      comment: "core's tests, test support and benchmarks may also import Node built-ins, vitest and fast-check; nothing else.",
      from: { path: testOnly('core') },
      to: {
        dependencyTypesNot: ['core'],
        pathNot: ['^packages/core/', '(^|/)node_modules/(vitest|fast-check|@fast-check/vitest)/'],
      },
    },
    {
      name: 'adapters-import-only-core',
      severity: 'error',
      comment:
        'prometheus, simulator, kubernetes and optimizer (tests included) import no workspace package but @prescale/core: ' +
        'adapters meet at core’s types, and only cli composes them.',
      from: { path: '^packages/(prometheus|simulator|kubernetes|optimizer)/' },
      to: { path: '^packages/', pathNot: ['^packages/core/', '^packages/$1/'] },
    },
    {
      name: 'other-packages-through-their-entries',
      severity: 'error',
      comment:
        "Another package is imported through its package.json exports (@prescale/x, @prescale/x/testing), never by a path into its internals.",
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^packages/', pathNot: ['^packages/$1/', ...PACKAGE_ENTRIES] },
    },
    {
      name: 'root-tooling-imports-no-package',
      severity: 'error',
      comment: 'The root config files (vitest.*.ts) and repository tests (tests/) import no package: they run commands, and do not depend on one package’s internals.',
      from: { pathNot: '^packages/' },
      to: { path: '^packages/' },
    },
    {
      name: 'workspace-imports-resolve',
      severity: 'error',
      comment: 'An @prescale/* import that does not resolve would slip past the rules above.',
      from: {},
      to: { couldNotResolve: true, path: '^@prescale/' },
    },
    // cli may import any package: no rule.
  ],
  options: {
    // Neither gathered nor followed, but kept as the target of an import so the rules see
    // it (`exclude` would drop those imports, and with them an import of an npm package).
    doNotFollow: { path: ['(^|/)node_modules/', '^packages/[^/]+/dist/'] },
    // Type-only imports are dependencies too: a cycle through `import type` is a cycle.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@prescale/source', 'import', 'node', 'default'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
