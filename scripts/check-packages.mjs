// `pnpm lint:packages` (part of `pnpm test`, after `pnpm build`): what users install.
// Packs every package as publishing would (pnpm pack: publishConfig applied, prepack
// run), then
// - checks each tarball's types with @arethetypeswrong/cli, profile esm-only: every
//   entry point resolves with types under node16/nodenext (from ESM) and bundler. The
//   packages are ESM; the node16-from-CommonJS row is left out because attw's
//   TypeScript predates `require()` of ES modules (Node ≥ 20.19 loads them, and
//   TypeScript ≥ 5.8 allows it under `module: nodenext`);
// - installs the @prescale/core tarball in a fresh CommonJS project and `require()`s
//   its entry points there;
// - `require()`s every entry point of the other packages from a CommonJS script in the
//   workspace (their dependencies are not installable offline from the tarballs alone).
// Exits 1 with the tool's output on the first problem.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const packagesDir = join(root, 'packages');
const work = mkdtempSync(join(tmpdir(), 'prescale-packages-'));

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stdout.write(result.stdout ?? '');
    process.stderr.write(result.stderr ?? '');
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${result.status ?? result.signal}`);
  }
  return result.stdout;
}

/** The entry points a package exports, as `require()` specifiers (package.json left out). */
function entryPoints(name, manifest) {
  return Object.keys(manifest.exports)
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? name : `${name}/${key.slice(2)}`));
}

try {
  const tarballs = new Map();
  for (const dir of readdirSync(packagesDir)) {
    const manifest = JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8'));
    run('pnpm', ['pack', '--pack-destination', work], join(packagesDir, dir));
    const tarball = join(work, `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`);
    tarballs.set(manifest.name, tarball);
    run('pnpm', ['exec', 'attw', '--profile', 'esm-only', '--no-emoji', '--no-color', '--format', 'table-flipped', tarball], root);
    console.log(`${manifest.name}: types resolve (node16 from ESM, bundler)`);

    const script = `${entryPoints(manifest.name, manifest).map((s) => `require(${JSON.stringify(s)});`).join('\n')}\n`;
    const probe = join(packagesDir, 'cli', `.require-probe-${dir}.cjs`);
    writeFileSync(probe, script);
    try {
      run('node', [probe], join(packagesDir, 'cli'));
    } finally {
      rmSync(probe, { force: true });
    }
    console.log(`${manifest.name}: require() loads ${entryPoints(manifest.name, manifest).join(', ')}`);
  }

  const consumer = join(work, 'commonjs-consumer');
  run('mkdir', ['-p', consumer], work);
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ name: 'commonjs-consumer', version: '1.0.0', type: 'commonjs', private: true }, null, 2)}\n`);
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarballs.get('@prescale/core')], consumer);
  run('node', ['-e', "const core = require('@prescale/core'); require('@prescale/core/upstream'); if (typeof core.kpaStep !== 'function') throw new Error('kpaStep missing');"], consumer);
  console.log('@prescale/core: require() works in a fresh CommonJS project with the packed tarball');
} catch (error) {
  console.error(`lint:packages: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
