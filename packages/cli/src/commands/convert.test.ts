import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
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
