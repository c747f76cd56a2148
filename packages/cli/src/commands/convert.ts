/**
 * `prescale convert FILE`: AIBrix PodAutoscaler manifests to prescale's. The converted
 * manifests go to stdout (or `--out`), what could not be carried over to stderr.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Command } from '@commander-js/extra-typings';
import { convertAibrix, parseYamlDocuments, toYaml } from '@prescale/kubernetes';
import { UsageError } from '../usageError.js';

export interface ConvertOutput {
  yaml: string;
  /** `name: note` lines. */
  notes: string[];
  converted: number;
}

/** The YAML documents of a file; a syntax error names the file, line and column. */
function yamlDocuments(text: string, file: string): unknown[] {
  try {
    return parseYamlDocuments(text);
  } catch (cause) {
    const e = cause as { reason?: string; mark?: { line: number; column: number } };
    if (e.reason === undefined) throw cause;
    throw new UsageError(e.mark ? `${file} line ${e.mark.line + 1} column ${e.mark.column + 1}` : file, `not valid YAML: ${e.reason}`);
  }
}

/** Converts every document of an AIBrix manifest file's text (`file` names it in errors). */
export function convertText(text: string, file = 'the manifest'): ConvertOutput {
  const docs: string[] = [];
  const notes: string[] = [];
  for (const doc of yamlDocuments(text, file)) {
    const { manifest, notes: n } = convertAibrix(doc);
    const name = String((doc as { metadata?: { name?: string } }).metadata?.name ?? '(unnamed)');
    for (const note of n) notes.push(`${name}: ${note}`);
    // What could not be carried over stays with the manifest, as comments.
    if (manifest) docs.push(`${n.map((note) => `# ${note}\n`).join('')}${toYaml(manifest)}`);
  }
  return { yaml: docs.join('---\n'), notes, converted: docs.length };
}

export function convertCommand(): Command<[string], { out?: string }> {
  return new Command('convert')
    .description('convert AIBrix autoscaling.aibrix.ai/v1alpha1 PodAutoscaler manifests (with their annotations) to prescale\u2019s')
    .argument('<file>', 'YAML file with one or more AIBrix PodAutoscalers')
    .option('--out <file>', 'write the converted manifests here instead of stdout')
    .action(async (file, options) => {
      const result = convertText(await readFile(file, 'utf8'), file);
      for (const note of result.notes) console.error(`prescale convert: ${note}`);
      if (result.converted === 0) throw new UsageError(file, 'no autoscaling.aibrix.ai/v1alpha1 PodAutoscaler found');
      if (options.out) await writeFile(options.out, result.yaml);
      else process.stdout.write(result.yaml);
    });
}
