import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { GPU_PROFILES } from '../gpu/gpuProfile.js';
import { RUNS } from '../testSupport.js';
import { Replica } from './replica.js';
import { RequestPool } from './requestPool.js';
import { metricNames, podMetricValues } from './vllmMetrics.js';

interface Arrival {
  gap: number;
  input: number;
  output: number;
}

const arrival = fc.record({
  // Zero gaps too: simultaneous arrivals.
  gap: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })),
  input: fc.integer({ min: 1, max: 3000 }),
  output: fc.integer({ min: 1, max: 300 }),
});
// A small KV cache preempts and drops requests larger than it; the full one rarely does.
const kvBlocks = fc.constantFrom(60, 250, GPU_PROFILES['V100']!.kvBlocks);
const scrapeTimes = fc.array(fc.double({ min: 0, max: 120, noNaN: true }), { maxLength: 30 });

/**
 * Drives one ready replica as a run does: arrivals and scrapes in time order, the
 * replica's runs ended up to each. Records what anything outside the replica can see:
 * each request's first token, end and fate, the outstanding count at each arrival (what
 * the router reads), and every scrape's values.
 */
function drive(mode: 'served' | 'run', arrivals: Arrival[], scrapes: number[], blocks: number) {
  const gpu = { ...GPU_PROFILES['V100']!, kvBlocks: blocks };
  const pool = new RequestPool();
  const index = new Map<number, number>();
  const fates: string[] = new Array<string>(arrivals.length).fill('');
  let lastClock = 0;
  let minFree = Infinity;
  const replica = new Replica(0, 'r0', gpu, pool, {
    completed(req, time) {
      const i = index.get(req)!;
      fates[i] += `done ${pool.firstToken[req]} ${time};`;
      pool.release(req);
    },
    aborted(req, time) {
      fates[index.get(req)!] += `aborted ${time};`;
      pool.release(req);
    },
    interToken() {},
  }, mode);
  replica.phase = 'ready';
  const names = metricNames('0.10');
  const seen: string[] = [];
  const events: Array<{ t: number; kind: 'arrival' | 'scrape'; i: number }> = [];
  let t = 0;
  arrivals.forEach((a, i) => {
    t += a.gap;
    events.push({ t, kind: 'arrival', i });
  });
  scrapes.forEach((s, i) => events.push({ t: s, kind: 'scrape', i }));
  // Ties: arrivals before scrapes, each in its own order (a stable sort).
  events.sort((x, y) => x.t - y.t || (x.kind === y.kind ? 0 : x.kind === 'arrival' ? -1 : 1));
  // Checked once at the end (an expect per iteration would dominate the test's time).
  let clockWentBack = false;
  let minUsed = Infinity;
  const endRunsTo = (limit: number) => {
    while (replica.runEnd <= limit && replica.runEnd < Infinity) {
      replica.endRun();
      if (replica.clock < lastClock) clockWentBack = true;
      lastClock = replica.clock;
      minUsed = Math.min(minUsed, replica.usedBlocks);
      minFree = Math.min(minFree, blocks - 1 - replica.usedBlocks);
    }
  };
  for (const e of events) {
    endRunsTo(e.t);
    if (e.kind === 'arrival') {
      const a = arrivals[e.i]!;
      seen.push(`arrival ${e.i} sees ${replica.outstanding}`);
      const req = pool.alloc(e.t, a.input, a.output);
      index.set(req, e.i);
      replica.enqueue(req, e.t);
    } else {
      replica.syncTo(e.t);
      seen.push(`scrape ${e.t}: ${JSON.stringify(replica.gauges(e.t))} ${JSON.stringify(podMetricValues(replica.gauges(e.t), replica.counters(e.t), names))}`);
    }
  }
  endRunsTo(Infinity);
  return { fates, seen, minFree, minUsed, clockWentBack, replica, inFlight: pool.inFlight };
}

test.prop([fc.array(arrival, { maxLength: 40 }), scrapeTimes, kvBlocks], { numRuns: RUNS })(
  'settling quiet prefill steps ahead is invisible: the same first tokens, ends, drops, router counts and scrapes as a replica that settles every step at its time',
  (arrivals, scrapes, blocks) => {
    const served = drive('served', arrivals, scrapes, blocks);
    const run = drive('run', arrivals, scrapes, blocks);
    expect(run.fates).toEqual(served.fates);
    expect(run.seen).toEqual(served.seen);
  },
);

test.prop([fc.array(arrival, { maxLength: 40 }), scrapeTimes, kvBlocks], { numRuns: RUNS })(
  'a run-mode replica finishes or drops every request exactly once, never moves its clock back, and never holds negative or too many KV blocks',
  (arrivals, scrapes, blocks) => {
    const { fates, minFree, minUsed, clockWentBack, replica, inFlight } = drive('run', arrivals, scrapes, blocks);
    expect(clockWentBack).toBe(false);
    for (const fate of fates) expect(fate).toMatch(/^(done [^;]+|aborted [^;]+);$/);
    expect(inFlight).toBe(0);
    expect(replica.outstanding).toBe(0);
    expect(replica.usedBlocks).toBe(0);
    expect(Math.min(minFree, minUsed)).toBeGreaterThanOrEqual(0);
  },
);
