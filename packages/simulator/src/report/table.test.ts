import { describe, expect, it } from 'vitest';
import { comparisonJson, runComparison } from '../compare.js';
import { formatTable, tableText } from './table.js';

describe('the comparison table', () => {
  it('says "no load step" rather than "never" when the workload has none; the JSON keeps null', () => {
    const c = runComparison({ capacityRps: 1, target: 7, workload: { pattern: 'severe_fluctuation', durationSeconds: 600, scaleRps: 3 }, scalers: ['kpa', 'oracle'] });
    expect(c.loadStep).toBeNull();
    const { header, rows } = formatTable(c);
    const column = header.indexOf('reaction (s)');
    for (const row of rows) expect(row[column]).toBe('no load step');
    expect(tableText(c)).toMatch(/no load step/);
    const json = comparisonJson(c) as { config: { loadStep: unknown }; results: Array<{ reactionTimeSeconds: unknown }> };
    expect(json.config.loadStep).toBeNull();
    for (const r of json.results) expect(r.reactionTimeSeconds).toBeNull();
  });
});
