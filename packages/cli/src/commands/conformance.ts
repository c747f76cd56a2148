import { writeFile } from 'node:fs/promises';
import { Argument, Command } from '@commander-js/extra-typings';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFailure, runConformance } from '../conformance/runner.js';
import { sharedDir } from '../sharedData.js';

/**
 * The CLI's own vectors (`conformance/` beside its package.json, shipped in the
 * package): behaviour upstream has beyond the shared vectors (several metrics, KEP-4951
 * tolerances, AIBrix's pending-replica rule), derived from the upstream code.
 */
export function bundledVectorsDir(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return existsSync(join(dir, 'conformance')) ? join(dir, 'conformance') : null;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function conformanceCommand(): Command<[string[]], { json?: string; verbose?: true }> {
  return new Command('conformance')
    .description('run conformance vectors (shared/conformance/FORMAT.md) through @prescale/core')
    .addArgument(new Argument('[paths...]', 'vector files or directories (searched for *.json)').default([] as string[], 'the shared conformance folder and the CLI\u2019s own vectors'))
    .option('--json <file>', 'also write every case result as JSON')
    .option('--verbose', 'list passing cases too')
    .action(async (paths, options) => {
      const bundled = bundledVectorsDir();
      const report = await runConformance(paths.length > 0 ? paths : [join(sharedDir(), 'conformance'), ...(bundled ? [bundled] : [])]);
      for (const r of report.results) {
        if (!r.passed) console.log(formatFailure(r));
        else if (options.verbose) console.log(`ok   ${r.id} (${r.kind})`);
      }
      if (options.json) await writeFile(options.json, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`${report.passed} passed, ${report.failed} failed`);
      if (report.failed > 0) process.exitCode = 1;
    });
}
