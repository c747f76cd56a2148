import { describe, expect, test } from 'vitest';
import { TargetIndex } from './targetIndex.js';

const ref = (name: string, kind = 'Deployment') => ({ scaleTargetRef: { kind, name } });

describe('the target index of the conflict rule', () => {
  test('PodAutoscalers naming one workload are each other\u2019s rivals; a different kind or namespace is another target', () => {
    const index = new TargetIndex();
    index.set('default/a', 'default', ref('llm'));
    index.set('default/b', 'default', ref('llm'));
    index.set('default/c', 'default', ref('llm', 'StatefulSet'));
    index.set('other/a', 'other', ref('llm'));
    expect(index.rivals('default/a')).toEqual(['default/b']);
    expect(index.rivals('default/b')).toEqual(['default/a']);
    expect(index.rivals('default/c')).toEqual([]);
    expect(index.rivals('other/a')).toEqual([]);
  });

  test('a changed target, a target removed from the spec and a deleted PodAutoscaler end the conflict', () => {
    const index = new TargetIndex();
    index.set('default/a', 'default', ref('llm'));
    index.set('default/b', 'default', ref('llm'));
    index.set('default/b', 'default', ref('other'));
    expect(index.rivals('default/a')).toEqual([]);
    index.set('default/b', 'default', ref('llm'));
    index.set('default/b', 'default', {});
    expect(index.rivals('default/a')).toEqual([]);
    index.set('default/b', 'default', ref('llm'));
    index.remove('default/b');
    expect(index.rivals('default/a')).toEqual([]);
    expect(index.rivals('default/unknown')).toEqual([]);
  });
});
