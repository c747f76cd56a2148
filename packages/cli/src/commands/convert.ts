/**
 * `prescale convert FILE...`: AIBrix PodAutoscaler manifests to prescale's. The converted
 * manifests go to stdout (or `--out`), what changes meaning and what could not be carried
 * over to stderr (and as comments above each manifest). When any object could not be
 * carried over completely (something lost, or a result that does not validate) the
 * command fails (exit 1, exitCode.ts) unless `--allow-partial` accepts it. PodAutoscalers
 * that only read AIBrix's GPU optimizer become `scalingStrategy: Optimizer`; those of one
 * namespace on the same optimizer service, in any of the files, become one fleet.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Command } from '@commander-js/extra-typings';
import { convertAibrix, isComplete, mergeOptimizerFleets, parseYamlDocuments, toYaml } from '@prescale/kubernetes';
import { EXIT } from '../exitCode.js';
import { UsageError } from '../usageError.js';

export interface ConvertOutput {
  yaml: string;
  /** `name: note` lines: what changes meaning, what was skipped, and what was lost (`not carried over: …`). */
  notes: string[];
  converted: number;
  /** The names of the objects that were not carried over completely. */
  partial: string[];
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

/** Converts every document of AIBrix manifest files' texts (`file` names each in errors), merging the GPU optimizer's fleets. */
export function convertText(text: string | ReadonlyArray<{ text: string; file: string }>, file = 'the manifest'): ConvertOutput {
  const docs: string[] = [];
  const notes: string[] = [];
  const partial: string[] = [];
  const inputs = typeof text === 'string' ? [{ text, file }] : text;
  // Each result is named after its input document (a skipped one has no manifest).
  const inputNames = new Map<object, string>();
  const converted = inputs
    .flatMap((i) => yamlDocuments(i.text, i.file))
    .map((doc) => {
      const c = convertAibrix(doc);
      inputNames.set(c, String((doc as { metadata?: { name?: string } } | null)?.metadata?.name ?? '(unnamed)'));
      return c;
    });
  for (const result of mergeOptimizerFleets(converted)) {
    // A merged fleet is a new object: it is named by its manifest.
    const name = inputNames.get(result) ?? String((result.manifest?.metadata as { name?: string } | undefined)?.name ?? '(unnamed)');
    const n = [...result.lost.map((l) => `not carried over: ${l}`), ...result.notes];
    for (const note of n) notes.push(`${name}: ${note}`);
    if (!result.manifest) continue;
    if (!isComplete(result)) partial.push(name);
    // What changes meaning or could not be carried over stays with the manifest, as comments.
    docs.push(`${n.map((note) => `# ${note}\n`).join('')}${toYaml(result.manifest)}`);
  }
  return { yaml: docs.join('---\n'), notes, converted: docs.length, partial };
}

export function convertCommand(): Command<[string[]], { out?: string; allowPartial?: true }> {
  return new Command('convert')
    .description('convert AIBrix autoscaling.aibrix.ai/v1alpha1 PodAutoscaler manifests (with their annotations) to prescale\u2019s; fails when any cannot be carried over completely')
    .argument('<file...>', 'YAML files with one or more AIBrix PodAutoscalers (a GPU optimizer fleet\u2019s PodAutoscalers together: they become one)')
    .option('--out <file>', 'write the converted manifests here instead of stdout')
    .option('--allow-partial', 'exit 0 even when something could not be carried over (it is still listed)')
    .action(async (files, options) => {
      const result = convertText(await Promise.all(files.map(async (file) => ({ text: await readFile(file, 'utf8'), file }))));
      const file = files.join(', ');
      for (const note of result.notes) console.error(`prescale convert: ${note}`);
      if (result.converted === 0) throw new UsageError(file, 'no autoscaling.aibrix.ai/v1alpha1 PodAutoscaler found');
      if (options.out) await writeFile(options.out, result.yaml);
      else process.stdout.write(result.yaml);
      if (result.partial.length > 0) {
        console.error(`prescale convert: not carried over completely: ${result.partial.join(', ')}${options.allowPartial ? ' (accepted: --allow-partial)' : '; --allow-partial to accept'}`);
        if (!options.allowPartial) process.exitCode = EXIT.failed;
      }
    });
}
