import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE, GPU_PROFILES, iterationSeconds } from '../gpu/gpuProfile.js';
import { Replica, type ReplicaSink } from './replica.js';
import { RequestPool } from './requestPool.js';

/** Runs one replica on `batch` identical requests that are all waiting at t = 0. */
function runBatch(gpuName: string, batch: number, input: number, output: number) {
  const gpu = GPU_PROFILES[gpuName]!;
  const pool = new RequestPool();
  const done: Array<{ ttft: number; e2e: number }> = [];
  const sink: ReplicaSink = {
    completed(req, time) {
      done.push({ ttft: pool.firstToken[req]! - pool.arrival[req]!, e2e: time - pool.arrival[req]! });
      pool.release(req);
    },
    aborted() {
      throw new Error('no request should be dropped');
    },
    interToken() {},
  };
  const replica = new Replica(0, 'r0', gpu, pool, sink);
  const ids = Array.from({ length: batch }, () => pool.alloc(0, input, output));
  for (const id of ids.slice(0, -1)) replica.waiting.push(id);
  replica.enqueue(ids[ids.length - 1]!, 0);
  let usage = 0;
  while (replica.runEnd < Infinity) {
    // The state at the last iteration boundary before the run ends (what a scrape would read).
    replica.syncTo(replica.runEnd - 1e-9);
    usage = Math.max(usage, replica.usedBlocks);
    replica.endRun();
  }
  return { gpu, done, usage, replica };
}

describe('one replica matches the profile formula', () => {
  const input = 32;
  const output = 64;
  for (const gpuName of ['V100', 'A100-80GB', 'H100']) {
    it.each([1, 8, 32])(`${gpuName}: batch %i`, (batch) => {
      const { gpu, done, usage } = runBatch(gpuName, batch, input, output);
      // One mixed iteration prefills every prompt and samples the first tokens ...
      const prefill = iterationSeconds(gpu, 0, 0, batch, batch * input, batch * input * input);
      // ... then output − 1 decode steps of the whole batch, context growing by one token each.
      let decode = 0;
      for (let j = 0; j < output - 1; j++) decode += iterationSeconds(gpu, batch, batch * (input + j), 0, 0, 0);
      expect(done).toHaveLength(batch);
      for (const r of done) {
        expect(r.ttft).toBeCloseTo(prefill, 12);
        expect(r.e2e).toBeCloseTo(prefill + decode, 9);
      }
      const tpot = decode / (output - 1);
      const throughput = (batch * output) / (prefill + decode);
      expect((done[0]!.e2e - done[0]!.ttft) / (output - 1)).toBeCloseTo(tpot, 12);
      expect((batch * output) / done[0]!.e2e).toBeCloseTo(throughput, 6);
      // KV: each sequence holds ceil(KV tokens / 16) blocks; one step before the end it has
      // the prompt and all but its last two output tokens in the cache.
      expect(usage).toBe(batch * Math.ceil((input + output - 2) / BLOCK_SIZE));
    });
  }

  it('a larger batch is slower per step but gives more tokens per second', () => {
    const one = runBatch('A100-80GB', 1, input, output).done[0]!;
    const many = runBatch('A100-80GB', 32, input, output).done[0]!;
    expect(many.e2e).toBeGreaterThan(one.e2e);
    expect((32 * output) / many.e2e).toBeGreaterThan((16 * output) / one.e2e);
  });

  it('a prompt over the token budget is prefilled in chunks', () => {
    const { gpu, done } = runBatch('A100-80GB', 1, 3000, 2);
    const first = iterationSeconds(gpu, 0, 0, 1, 2048, 2048 * 2048);
    const second = iterationSeconds(gpu, 0, 0, 1, 952, 952 * 952);
    expect(done[0]!.ttft).toBeCloseTo(first + second, 12);
  });

  it('preempts the newest request when the KV cache runs out, and still finishes everything', () => {
    const gpu = { ...GPU_PROFILES['V100']!, kvBlocks: 200 };
    const pool = new RequestPool();
    let finished = 0;
    const replica = new Replica(0, 'r0', gpu, pool, {
      completed(req) {
        finished++;
        pool.release(req);
      },
      aborted() {
        throw new Error('no request should be dropped');
      },
      interToken() {},
    });
    const ids = Array.from({ length: 20 }, () => pool.alloc(0, 100, 300));
    for (const id of ids.slice(0, -1)) replica.waiting.push(id);
    replica.enqueue(ids[19]!, 0);
    while (replica.runEnd < Infinity) {
      replica.endRun();
      expect(replica.usedBlocks).toBeLessThanOrEqual(199);
    }
    expect(finished).toBe(20);
    expect(replica.metrics.preemptions).toBeGreaterThan(0);
    expect(replica.usedBlocks).toBe(0);
  });
});
