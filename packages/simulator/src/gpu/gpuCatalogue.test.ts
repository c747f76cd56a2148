import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE, GPU_NAMES, GPU_PROFILES, gpuProfile, iterationSeconds } from './gpuProfile.js';
import { GPU_PRICES, gpuCostPerHour, parseGpuCosts } from './gpuPrices.js';

describe('the GPU catalogue', () => {
  it('has the five GPUs of Mélange and AIBrix, each with a sourced default price', () => {
    expect(GPU_NAMES).toEqual(['V100', 'A10G', 'L4', 'A100-80GB', 'H100']);
    for (const name of GPU_NAMES) {
      const price = GPU_PRICES[name]!;
      expect(price.usdPerHour).toBeGreaterThan(0);
      expect(price.source).not.toBe('');
      expect(price.instance).not.toBe('');
    }
  });

  it('orders decode speed by memory bandwidth: L4 < A10G < V100 < A100 < H100', () => {
    const decodeStep = (name: string) => iterationSeconds(GPU_PROFILES[name]!, 16, 16 * 512, 0, 0, 0);
    const order = ['L4', 'A10G', 'V100', 'A100-80GB', 'H100'].map(decodeStep);
    for (let i = 1; i < order.length; i++) expect(order[i]!).toBeLessThan(order[i - 1]!);
  });

  it('gives the 24 GB cards a KV cache that holds a full-context request but less than the 32 GB V100', () => {
    for (const name of ['A10G', 'L4']) {
      const g = GPU_PROFILES[name]!;
      expect(g.kvBlocks * BLOCK_SIZE).toBeGreaterThanOrEqual(g.maxModelLen);
      expect(g.kvBlocks).toBeLessThan(GPU_PROFILES['V100']!.kvBlocks);
      expect(g.maxNumSeqs).toBe(256);
      expect(g.maxNumBatchedTokens).toBe(2048);
    }
  });

  it('finds a GPU by any spelling of its name', () => {
    expect(gpuProfile('a10g').name).toBe('A10G');
    expect(gpuProfile('l4').name).toBe('L4');
    expect(gpuProfile('A100').name).toBe('A100-80GB');
  });
});

describe('--gpu-cost', () => {
  it('overrides the default price of the GPUs it names, and only those', () => {
    const costs = parseGpuCosts('l4=0.8, A100=2.79');
    expect(costs).toEqual({ L4: 0.8, 'A100-80GB': 2.79 });
    expect(gpuCostPerHour('L4', costs)).toBe(0.8);
    expect(gpuCostPerHour('a100', costs)).toBe(2.79);
    expect(gpuCostPerHour('H100', costs)).toBe(GPU_PRICES['H100']!.usdPerHour);
    expect(gpuCostPerHour('my-gpu', costs)).toBeNull();
    expect(parseGpuCosts('my-gpu=1.5', '--gpu-cost', ['my-gpu'])).toEqual({ 'my-gpu': 1.5 });
  });

  it('refuses a malformed list, an unknown GPU and a price that is not positive', () => {
    expect(() => parseGpuCosts('L4')).toThrowError(/NAME=USD_PER_HOUR/);
    expect(() => parseGpuCosts('TPU=1')).toThrowError(/valid: V100, A10G, L4, A100-80GB, H100/);
    expect(() => parseGpuCosts('L4=0')).toThrowError(/positive/);
    expect(() => parseGpuCosts('L4=cheap')).toThrowError(/positive/);
    expect(() => parseGpuCosts('L4=Infinity')).toThrowError(/positive/);
  });
});
