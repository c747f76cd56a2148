import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RUNS } from '../testSupport.js';
import { demandFromGatewayCounts, demandFromRequests, emptyDemand, scaleDemand } from './loadShape.js';

const GRID = { inputTicks: [128, 256, 512, 1024, 2048], outputTicks: [4, 8, 16, 32, 64, 128, 256, 512] };
const cell = (mix: { rates: number[][] }, input: number, output: number) => mix.rates[GRID.outputTicks.indexOf(output)]![GRID.inputTicks.indexOf(input)]!;

describe('the load shape from a window of requests', () => {
  it('puts each request in its log2 bucket and divides by the window', () => {
    const mix = demandFromRequests(GRID, { inputs: [300, 300, 1000, 5000], outputs: [100, 130, 20, 600] }, 10);
    expect(cell(mix, 256, 128)).toBeCloseTo(0.2, 12); // 300/100 and 300/130 both snap to (256, 128)
    expect(cell(mix, 1024, 16)).toBeCloseTo(0.1, 12); // log2 20 = 4.32 < 4.5
    expect(cell(mix, 2048, 512)).toBeCloseTo(0.1, 12); // 5000 > 2048 and 600 > 512: clamped to the edge
    expect(mix.totalRps).toBeCloseTo(0.4, 12);
    expect(mix).toMatchObject({ requests: 4, clamped: 1, skipped: 0, windowSeconds: 10 });
  });

  it("with snap 'up' a request goes to the tick at or above it", () => {
    const mix = demandFromRequests(GRID, { inputs: [300], outputs: [100] }, 1, { snap: 'up' });
    expect(cell(mix, 512, 128)).toBe(1);
  });

  it('skips requests whose lengths are not positive, finite numbers, and refuses a window that is not', () => {
    const mix = demandFromRequests(GRID, { inputs: [0, Number.NaN, -5, Infinity, 200, 7], outputs: [10, 10, 10, 10, Number.NaN, 9] }, 1);
    expect(mix).toMatchObject({ requests: 1, skipped: 5, totalRps: 1 });
    for (const w of [0, -1, Number.NaN, Infinity]) expect(() => demandFromRequests(GRID, { inputs: [], outputs: [] }, w)).toThrowError(/windowSeconds/);
  });

  test.prop(
    [fc.array(fc.tuple(fc.oneof(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom(0, -1, Number.NaN)), fc.integer({ min: 1, max: 100_000 }))), fc.double({ min: 0.1, max: 3600, noNaN: true })],
    { numRuns: RUNS },
  )('counts every valid request once: Σ rates × window = requests; skipped + requests = all', (rows, window) => {
    const mix = demandFromRequests(GRID, { inputs: rows.map((r) => r[0]), outputs: rows.map((r) => r[1]) }, window);
    expect(mix.requests + mix.skipped).toBe(rows.length);
    expect(mix.totalRps * window).toBeCloseTo(mix.requests, 6);
    for (const row of mix.rates) for (const r of row) expect(r).toBeGreaterThanOrEqual(0);
  });
});

describe("the load shape from AIBrix's gateway counts", () => {
  it('decodes "<in>:<out>" keys in tenths of log2 and scales each record to meta_total_reqs', () => {
    // 82 = round(log2(300) × 10); 70 = round(log2(128) × 10); 100 = log2(1024) × 10; 43 = round(log2(20) × 10)
    const records = [
      { '82:70': 3, '100:43': 1, meta_v: 4, meta_interval_sec: 10, meta_precision: 10, meta_total_reqs: 8, meta_pending_reqs: 0 },
      { '82:70': 2, meta_v: 2 },
    ];
    const mix = demandFromGatewayCounts(GRID, records, 20);
    expect(cell(mix, 256, 128)).toBeCloseTo((6 + 2) / 20, 12); // 3 scaled ×2 by meta_total_reqs, then 2
    expect(cell(mix, 1024, 16)).toBeCloseTo(2 / 20, 12);
    expect(mix.requests).toBeCloseTo(10, 12);
  });

  it('skips entries that are neither counts nor meta fields', () => {
    const mix = demandFromGatewayCounts(GRID, [{ '82:70': 1, hello: 3, '82:x': 1, '90:70': -2, '91:70': Number.NaN }], 1);
    expect(mix).toMatchObject({ requests: 1, skipped: 4 });
  });
});

describe('scaleDemand', () => {
  it('keeps the shape and scales the total; refuses a factor that is not finite and ≥ 0', () => {
    const mix = scaleDemand(demandFromRequests(GRID, { inputs: [128, 2048], outputs: [4, 512] }, 1), 3);
    expect(mix.totalRps).toBe(6);
    expect(cell(mix, 128, 4)).toBe(3);
    expect(() => scaleDemand(emptyDemand(GRID, 1), Number.NaN)).toThrowError(/factor/);
  });
});
