/**
 * Scale to zero in the simulator (issue 21, item 1) on a slice of a real trace: the
 * activator holds the requests that find no ready replica, reports them to the KPA as
 * load (so a model at zero wakes), fails them after its timeout or when full; TTFT
 * counts from arrival; the result counts the zero periods and the requests that waited.
 * Warm capacity (item 5): a pod on a warm node skips the pending phases.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareComparison, runOne } from '../compare.js';
import { summarize } from '../evaluate/results.js';
import { nominalColdStartSeconds, nominalPendingSeconds } from './coldStart.js';
import type { RunOutput } from './runOutput.js';
import { WarmPool } from './warmPool.js';

const TRACE = join(process.env.PRESCALE_SHARED!, 'data/nasa_http_1995/arrivals_1min.csv');
/** One day of NASA's traffic thinned to about 11 requests an hour: a model idle for long stretches. */
const sparse = (over: Record<string, unknown> = {}) =>
  prepareComparison({ workload: { trace: TRACE, scaleRps: 0.003, warmupSeconds: 0, durationSeconds: 86_400 }, minReplicas: 0, scalers: ['kpa'], seed: 3, ...over });

const summary = (run: RunOutput) => summarize(run, { oracleGpuSeconds: null, step: null, initialReady: 0, wallSeconds: 1 });

describe('scale to zero with an activator', () => {
  const p = sparse();
  const run = runOne(p, 'kpa');
  const r = summary(run);

  it('goes to zero between bursts and wakes again for the requests the activator holds (the reactive path)', () => {
    expect(r.zero.periods).toBeGreaterThan(1);
    expect(r.zero.hours).toBeGreaterThan(1);
    expect(r.zero.waited).toBeGreaterThan(0);
    // Every request is accounted for, and the held ones were served: none timed out with a 10-minute timeout.
    expect(run.completed + run.aborted).toBe(run.arrived);
    expect(r.zero.timedOut).toBe(0);
    expect(run.completed).toBe(run.arrived);
    // At zero most of the day, it costs well under one replica all day.
    expect(r.gpuHours).toBeLessThan(24 - r.zero.hours + 1e-9);
  });

  it('counts the wait in the TTFT of the requests that waited for a cold start', () => {
    // The slowest first token waited for a whole cold start (at least half the nominal one: phases are clipped to [½, 2]×).
    expect(run.ttft.quantile(1)!).toBeGreaterThan(0.5 * nominalColdStartSeconds(p.coldModel));
    expect(r.sloAttainment).toBeLessThan(1);
  });

  it('fails the requests that wait longer than the timeout, and rejects those that find the queue full', () => {
    const short = runOne(sparse({ activator: { capacity: 10_000, timeoutSeconds: 30 } }), 'kpa');
    expect(short.activator.timedOut).toBeGreaterThan(0);
    expect(short.aborted).toBeGreaterThanOrEqual(short.activator.timedOut);
    const tiny = runOne(sparse({ activator: { capacity: 1, timeoutSeconds: 600 } }), 'kpa');
    expect(tiny.activator.rejected).toBeGreaterThan(0);
    expect(tiny.activator.maxQueue).toBe(1);
  });

  it('warns that hpa and apa cannot wake a model at zero', () => {
    expect(sparse({ scalers: ['kpa', 'hpa', 'apa:x'] }).warnings.join('\n')).toMatch(/--min-replicas 0: hpa, apa:x cannot wake a model at zero/);
    expect(p.warnings.join('\n')).not.toMatch(/cannot wake/);
  });

  it('says in the table notes how long the scaler was at zero and how many requests waited', async () => {
    const { formatTable } = await import('../report/table.js');
    const comparison = { config: p.config, results: [r], initialReplicas: 0, oracle: { leadWindows: 7 }, loadStep: null, workload: { startIso: '', utcOffsetMinutes: 0 } };
    const notes = formatTable(comparison as unknown as Parameters<typeof formatTable>[0]).notes;
    expect(notes.some((n) => n.startsWith(`kpa: ${r.zero.periods} periods at zero`) && n.includes(`${r.zero.waited} requests`))).toBe(true);
  });
});

describe('a warm pool', () => {
  it('starts pods on warm nodes in engine start and readiness only, refills each taken node after the pending phases, and bills its slots', () => {
    const p = sparse();
    const pool = new WarmPool(1, nominalPendingSeconds(p.coldModel));
    const cold = runOne(p, 'kpa');
    const warm = runOne({ ...p }, 'kpa', { warmPool: pool });
    expect(warm.warmStarts).toBeGreaterThan(0);
    expect(warm.warmStarts).toBe(pool.taken);
    // A warm start is shorter, so the requests that waited for one saw a shorter wait.
    expect(warm.ttft.quantile(0.999)!).toBeLessThan(cold.ttft.quantile(0.999)!);
    // The pool always holds its one slot (warm or refilling): billed all day.
    pool.finish(86_400);
    expect(pool.slotSeconds).toBeCloseTo(86_400, 6);
  });

  it('takes only slots that are already warm, and shrinks the ones still provisioning first', () => {
    const pool = new WarmPool(0, 200);
    pool.resize(2, 100);
    expect(pool.take(250)).toBe(false);
    expect(pool.take(300)).toBe(true);
    expect(pool.size).toBe(2);
    pool.resize(1, 310);
    expect(pool.take(320)).toBe(true);
    expect(pool.take(330)).toBe(false);
    pool.finish(400);
    expect(pool.slotSeconds).toBe(2 * 210 + 1 * 90);
    expect(() => pool.resize(-1, 500)).toThrow(/pool.size/);
  });
});
