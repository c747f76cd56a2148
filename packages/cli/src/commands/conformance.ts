import { writeFile } from 'node:fs/promises';
import { Argument, Command } from '@commander-js/extra-typings';
import { join } from 'node:path';
import { formatFailure, runConformance } from '../conformance/runner.js';
import { sharedDir } from '../sharedData.js';

export function conformanceCommand(): Command<[string[]], { json?: string; verbose?: true }> {
  return new Command('conformance')
    .description('run conformance vectors (shared/conformance/FORMAT.md) through @prescale/core')
    .addArgument(new Argument('[paths...]', 'vector files or directories (searched for *.json)').default([] as string[], 'the shared conformance folder'))
    .option('--json <file>', 'also write every case result as JSON')
    .option('--verbose', 'list passing cases too')
    .action(async (paths, options) => {
      const report = await runConformance(paths.length > 0 ? paths : [join(sharedDir(), 'conformance')]);
      for (const r of report.results) {
        if (!r.passed) console.log(formatFailure(r));
        else if (options.verbose) console.log(`ok   ${r.id} (${r.kind})`);
      }
      if (options.json) await writeFile(options.json, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`${report.passed} passed, ${report.failed} failed`);
      if (report.failed > 0) process.exitCode = 1;
    });
}
