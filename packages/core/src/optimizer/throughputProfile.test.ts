import { describe, expect, it } from 'vitest';
import { viaJson } from '../testSupport.js';
import { parseThroughputProfile, profileGrid, sameGrid } from './throughputProfile.js';

/** A profile as aibrix_gen_profile writes it (reference optimizer.md §5), with a key AIBrix adds later. */
const AIBRIX = {
  gpu: 'simulator-llama2-7b-a100',
  cost: 1.0,
  tputs: [
    [7.7, 6.1, 3.9],
    [3.2, 2.8, 0],
  ],
  indexes: [
    [128, 512],
    [128, 512, 2048],
  ],
  created: 1_733_000_000.5,
  e2e: [
    [1.1, 1.4, 2.0],
    [4.1, 4.6, 5.2],
  ],
  slos: { percentile: 99, e2e: 5 },
  future_key: 'ignored',
};

describe('throughput profiles', () => {
  it("reads AIBrix's aibrix_gen_profile output, rows = output ticks, ignoring unknown keys", () => {
    const p = parseThroughputProfile(AIBRIX, 'a100.json');
    expect(p.gpu).toBe('simulator-llama2-7b-a100');
    expect(profileGrid(p)).toEqual({ inputTicks: [128, 512, 2048], outputTicks: [128, 512] });
    expect(p.tputs[1]![2]).toBe(0);
    expect(p.slos).toEqual({ percentile: 99, e2e: 5 });
    expect('future_key' in p).toBe(false);
  });

  it('takes AIBrix’s default price (1.0) when a profile has none, and omits what it lacks', () => {
    const { cost: _cost, e2e: _e2e, slos: _slos, created: _created, ...bare } = AIBRIX;
    const p = parseThroughputProfile(bare);
    expect(p.cost).toBe(1);
    expect(p.e2e).toBeUndefined();
    expect(p.slos).toBeUndefined();
  });

  it('survives a JSON round trip unchanged', () => {
    const p = parseThroughputProfile(AIBRIX);
    expect(parseThroughputProfile(viaJson(p))).toEqual(p);
  });

  it('names the field of anything malformed', () => {
    const bad = (patch: object) => () => parseThroughputProfile({ ...AIBRIX, ...patch }, 'p.json');
    expect(bad({ tputs: [[1, 2, 3]] })).toThrowError(/p\.json\.tputs .*2 rows/);
    expect(bad({ tputs: [[1, 2], [3, 4]] })).toThrowError(/p\.json\.tputs\[0\] .*3 values/);
    expect(bad({ tputs: [[1, -2, 3], [1, 2, 3]] })).toThrowError(/p\.json\.tputs\[0\]\[1\]/);
    expect(bad({ tputs: [[1, Number.NaN, 3], [1, 2, 3]] })).toThrowError(/finite/);
    expect(bad({ indexes: [[512, 128], [128, 512, 2048]] })).toThrowError(/p\.json\.indexes\[0\]\[1\] .*ascending/);
    expect(bad({ indexes: [[128, 512]] })).toThrowError(/\[\[output ticks\], \[input ticks\]\]/);
    expect(bad({ gpu: '' })).toThrowError(/p\.json\.gpu/);
    expect(bad({ cost: 0 })).toThrowError(/p\.json\.cost/);
    expect(bad({ e2e: [[1]] })).toThrowError(/p\.json\.e2e/);
    expect(() => parseThroughputProfile([1, 2], 'list.json')).toThrowError(/list\.json must be a JSON object/);
  });

  it('compares grids by their ticks', () => {
    const p = parseThroughputProfile(AIBRIX);
    expect(sameGrid(profileGrid(p), { inputTicks: [128, 512, 2048], outputTicks: [128, 512] })).toBe(true);
    expect(sameGrid(profileGrid(p), { inputTicks: [128, 512, 4096], outputTicks: [128, 512] })).toBe(false);
  });
});
