import { describe, expect, it } from 'vitest';
import { matchesLabels, parseMatchers } from './matchers.js';

describe('label matchers', () => {
  it('parses PromQL matchers, with or without braces, with escapes', () => {
    expect(parseMatchers('{model_name="llama", le!="+Inf",pod=~"vllm-.*" , x!~"a\\"b"}')).toEqual([
      { name: 'model_name', op: '=', value: 'llama' },
      { name: 'le', op: '!=', value: '+Inf' },
      { name: 'pod', op: '=~', value: 'vllm-.*' },
      { name: 'x', op: '!~', value: 'a"b' },
    ]);
    expect(parseMatchers('')).toEqual([]);
  });

  it('matches like PromQL: anchored regular expressions, a missing label reads as empty', () => {
    const labels = { pod: 'vllm-0', model_name: 'llama' };
    expect(matchesLabels(labels, parseMatchers('pod=~"vllm-.*"'))).toBe(true);
    expect(matchesLabels(labels, parseMatchers('pod=~"vllm"'))).toBe(false); // anchored
    expect(matchesLabels(labels, parseMatchers('engine=""'))).toBe(true);
    expect(matchesLabels(labels, parseMatchers('engine!=""'))).toBe(false);
    expect(matchesLabels(labels, { model_name: 'llama' })).toBe(true);
    expect(matchesLabels(labels, { model_name: 'mistral' })).toBe(false);
    expect(matchesLabels(labels, undefined)).toBe(true);
  });

  it.each(['pod', 'pod=vllm', 'pod="a" extra', 'pod=~"("', '{pod=="a"}'])('rejects %j', (text) => {
    expect(() => parseMatchers(text)).toThrowError(expect.objectContaining({ code: 'InvalidArgument' }));
  });
});
