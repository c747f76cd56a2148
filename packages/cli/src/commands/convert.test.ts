import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { program } from '../program.js';
import { convertText } from './convert.js';

const sample = (file: string) => readFileSync(new URL(`../../../../examples/operator/samples/${file}`, import.meta.url), 'utf8');

describe('prescale convert', () => {
  test('converts every PodAutoscaler of a multi-document file, notes as comments, other kinds skipped', () => {
    const text = `${sample('aibrix/kpa.yaml')}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: llm\n---\n${sample('aibrix/apa.yaml')}`;
    const out = convertText(text);
    expect(out.converted).toBe(2);
    const docs = out.yaml.split(/^---$/m);
    expect(docs).toHaveLength(2);
    expect(docs[0]).toContain('name: mistral-7b-kpa');
    expect(docs[1]).toContain('name: mistral-7b-apa');
    expect(out.notes.some((n) => n.startsWith('llm: skipped'))).toBe(true);
    expect(out.yaml).toMatch(/^# spec.metricsSources\[0\].targetMetric: AIBrix's num_requests_waiting/m);
  });

  test('the converted samples in examples/ are this command\u2019s output', () => {
    for (const f of ['kpa', 'apa', 'optimizer-kpa']) {
      expect(convertText(sample(`aibrix/${f}.yaml`)).yaml).toBe(sample(`converted/${f}.yaml`));
    }
  });
});

describe('prescale convert exits 1 when an object cannot be carried over completely', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prescale-convert-'));
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });
  const run = (...args: string[]) => program().exitOverride().parseAsync(['node', 'prescale', 'convert', ...args]);
  const partial = sample('aibrix/kpa.yaml').replace('  annotations:\n', '  annotations:\n    kpa.autoscaling.aibrix.ai/activation-scale: "2"\n');
  const file = join(dir, 'partial.yaml');
  writeFileSync(file, partial);

  test('a lost annotation fails the command, naming the object; --allow-partial accepts it', async () => {
    const err: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await run(file);
    expect(process.exitCode).toBe(1);
    expect(err.join('\n')).toMatch(/not carried over: annotation kpa.autoscaling.aibrix.ai\/activation-scale/);
    expect(err.at(-1)).toMatch(/^prescale convert: not carried over completely: mistral-7b-kpa; --allow-partial to accept$/);
    process.exitCode = undefined;
    await run(file, '--allow-partial');
    expect(process.exitCode).toBeUndefined();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a complete conversion exits 0', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const ok = join(mkdtempSync(join(tmpdir(), 'prescale-convert-')), 'kpa.yaml');
    writeFileSync(ok, sample('aibrix/kpa.yaml'));
    await run(ok);
    expect(process.exitCode).toBeUndefined();
  });
});

describe('prescale convert of AIBrix\u2019s GPU optimizer fleets', () => {
  const fixture = (file: string) => readFileSync(new URL(`../../../kubernetes/src/convert/fixtures/aibrix-e3e10f9/samples/heterogeneous/${file}`, import.meta.url), 'utf8');
  const files = ['deepseek-coder-7b-l20-podautoscaler.yaml', 'deepseek-coder-7b-v100-podautoscaler.yaml'];

  test('the PodAutoscalers of several files on one optimizer service become one Optimizer PodAutoscaler, complete', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prescale-convert-'));
    const paths = files.map((f) => {
      const p = join(dir, f);
      writeFileSync(p, fixture(f));
      return p;
    });
    const out: string[] = [];
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
    process.exitCode = undefined;
    await program().exitOverride().parseAsync(['node', 'prescale', 'convert', ...paths]);
    expect(process.exitCode).toBeUndefined();
    const yaml = out.join('');
    expect(yaml.match(/^kind: PodAutoscaler$/gm)).toHaveLength(1);
    expect(yaml).toMatch(/scalingStrategy: Optimizer/);
    expect(yaml).toMatch(/^# merged from podautoscaler-deepseek-coder-7b-l20, podautoscaler-deepseek-coder-7b-v100/m);
    expect(convertText(files.map((f) => ({ text: fixture(f), file: f }))).partial).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
    vi.restoreAllMocks();
  });
});
