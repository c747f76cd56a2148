import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { LONG_TEST_TIMEOUT_MS, RUNS } from '../testSupport/runs.js';
import { formatExposition, formatValue } from './formatExposition.js';
import { parseExposition } from './parseExposition.js';
import type { MetricFamily } from './types.js';

describe('formatExposition', () => {
  it('writes Go spellings of special values', () => {
    expect([Number.NaN, Infinity, -Infinity, 1e21, -0.5].map(formatValue)).toEqual(['NaN', '+Inf', '-Inf', '1e+21', '-0.5']);
  });

  it('writes OpenMetrics-only types as untyped', () => {
    expect(formatExposition([{ name: 'build', type: 'info', samples: [{ name: 'build', labels: { v: '1' }, value: 1 }] }])).toBe('# TYPE build untyped\nbuild{v="1"} 1\n');
  });
});

const metricName = fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,10}$/).filter((n) => !/_(total|created|bucket|sum|count|info|gsum|gcount)$/.test(n));
const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,6}$/).filter((n) => n !== '__proto__' && n !== 'le');
const labelValue = fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', ' ', 'ü', '}', '#', '=', ','), maxLength: 6 });
const value = fc.oneof(fc.double(), fc.integer());
const family = fc.record({
  name: metricName,
  type: fc.constantFrom('gauge' as const, 'counter' as const, 'untyped' as const),
  help: fc.option(fc.string({ unit: fc.constantFrom('a', ' ', '\\', '\n', 'x'), maxLength: 10 }).map((h) => h.trim()), { nil: undefined }), // blanks around help text are not kept (as in Prometheus)
  series: fc.uniqueArray(fc.dictionary(labelName, labelValue, { maxKeys: 3 }), { maxLength: 4, selector: (l) => JSON.stringify(Object.entries(l).sort()) }),
  values: fc.array(value, { minLength: 4, maxLength: 4 }),
  timestamp: fc.option(fc.integer({ min: -1e12, max: 4e12 }), { nil: undefined }),
});

test.prop([fc.uniqueArray(family, { maxLength: 5, selector: (f) => f.name })], { numRuns: RUNS })('parse(format(families)) gives back the families', (specs) => {
  const families: MetricFamily[] = specs.map((s) => ({
    name: s.name,
    type: s.type,
    ...(s.help !== undefined ? { help: s.help } : {}),
    samples: s.series.map((labels, i) => ({ name: s.name, labels, value: s.values[i]!, ...(s.timestamp !== undefined ? { timestampMs: s.timestamp } : {}) })),
  }));
  const back = parseExposition(formatExposition(families), { format: 'prometheus' });
  // -0 prints as 0
  expect(back).toEqual(families.map((f) => ({ ...f, samples: f.samples.map((s) => ({ ...s, value: s.value === 0 ? 0 : s.value })) })));
}, LONG_TEST_TIMEOUT_MS);
