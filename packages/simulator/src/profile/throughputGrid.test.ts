import { parseThroughputProfile } from '@prescale/core';
import { describe, expect, it } from 'vitest';
import { GPU_PROFILES } from '../gpu/gpuProfile.js';
import { measureThroughputGrid, type ThroughputGridOptions } from './throughputGrid.js';

const base: ThroughputGridOptions = {
  gpu: GPU_PROFILES['A100-80GB']!,
  inputTicks: [64, 1024],
  outputTicks: [16, 512],
  slo: { ttftSeconds: 2, tpotSeconds: 0.1, percentile: 99 },
  cost: 3.67,
  trialRequests: 200,
  coarseRequests: 100,
};

describe('the throughput grid (prescale profile --grid)', () => {
  it("writes a profile core reads, in AIBrix's layout, with the SLO and how it was measured", () => {
    const p = measureThroughputGrid(base);
    const read = parseThroughputProfile(JSON.parse(JSON.stringify(p)), 'grid');
    expect(read.indexes).toEqual([[16, 512], [64, 1024]]);
    expect(read.cost).toBe(3.67);
    expect(read.slos).toEqual({ percentile: 99, ttft: 2, tpot: 0.1 });
    expect(read.prescale).toMatchObject({ tputTolerance: 0.9, trialRequests: 200, seed: 1 });
    expect(read.created).toBeUndefined();
    for (const row of read.tputs) for (const v of row) expect(v).toBeGreaterThan(0);
    // Longer requests, fewer of them: 32× the output or 16× the prompt costs capacity.
    expect(read.tputs[1]![0]!).toBeLessThan(read.tputs[0]![0]!);
    expect(read.tputs[0]![1]!).toBeLessThan(read.tputs[0]![0]!);
  }, 120_000);

  it('is the same on every run (one seed for every trial)', () => {
    const small = { ...base, inputTicks: [256], outputTicks: [64] };
    expect(measureThroughputGrid(small)).toEqual(measureThroughputGrid(small));
  }, 120_000);

  it('gives 0 where no rate meets the SLO, and where a request cannot fit in the KV cache', () => {
    const impossible = measureThroughputGrid({ ...base, inputTicks: [256], outputTicks: [64], slo: { ttftSeconds: 0.001, percentile: 50 } });
    expect(impossible.tputs).toEqual([[0]]);
    const tiny = measureThroughputGrid({ ...base, gpu: { ...GPU_PROFILES['A100-80GB']!, kvBlocks: 8 }, inputTicks: [64, 1024], outputTicks: [16] });
    expect(tiny.tputs[0]![0]!).toBeGreaterThan(0); // 80 tokens: 5 blocks
    expect(tiny.tputs[0]![1]).toBe(0); // 1,040 tokens: 65 blocks
  }, 120_000);

  it("measures cells beyond the context as the simulator serves them, once for cells that clip alike", () => {
    const p = measureThroughputGrid({ ...base, inputTicks: [2048, 4096], outputTicks: [2048], trialRequests: 100 });
    expect(p.prescale!.simulatedLengths).toEqual([[[2048, 2048], [2048, 2048]]]);
    expect(p.tputs[0]![0]).toBe(p.tputs[0]![1]);
  }, 120_000);

  it('reports progress cell by cell', () => {
    const seen: string[] = [];
    measureThroughputGrid({ ...base, outputTicks: [16], onProgress: (done, total) => seen.push(`${done}/${total}`) });
    expect(seen).toEqual(['1/2', '2/2']);
  }, 120_000);
});
