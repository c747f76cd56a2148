/**
 * The fleet run: the router's rule (only types able to serve a request's bucket, least
 * loaded by outstanding requests over the profiled rate), every request counted, dollars
 * from each type's GPU time, a controller's bad output held, determinism; the fleet
 * oracle and the whole comparison with a solver that fails (the greedy allocation).
 */
import { fc, test } from '@fast-check/vitest';
import type { MipSolver, ThroughputProfile } from '@prescale/core';
import { describe, expect, it } from 'vitest';
import { gpuProfile } from '../gpu/gpuProfile.js';
import { defaultColdStart } from '../engine/coldStart.js';
import type { ArrivalSource } from '../workload/arrivals.js';
import { RUNS } from '../testSupport.js';
import { runFleetComparison } from './fleetComparison.js';
import { fleetNeed, fleetOracle } from './fleetOracle.js';
import { type FleetController, type FleetRunOptions, runFleetSimulation } from './fleetSimulation.js';
import { optimizerController, scheduleController } from './optimizerController.js';

const grid = { inputTicks: [256, 2048], outputTicks: [64, 512] };
/** A100 serves every bucket; the L4 only short prompts with short outputs. */
const A100 = gpuProfile('A100-80GB');
const L4 = gpuProfile('L4');
const tputs = { a100: [[12, 5], [3.6, 1.6]], l4: [[3, 0], [0, 0]] };

function arrivalsOf(list: Array<[number, number, number]>): ArrivalSource {
  let k = -1;
  const a: ArrivalSource = {
    time: 0,
    input: 0,
    output: 0,
    next() {
      if (++k >= list.length) return false;
      [a.time, a.input, a.output] = list[k]!;
      return true;
    },
  };
  return a;
}

const hold = (replicas: number[]): FleetController => ({ loopSeconds: 10, decide: () => replicas });

function options(list: Array<[number, number, number]>, controller: FleetController, initial = [1, 1]): FleetRunOptions {
  return {
    name: 'test',
    arrivals: arrivalsOf(list),
    durationSeconds: 600,
    seed: 1,
    grid,
    pools: [
      { gpu: A100, costPerHour: 3.67, tputs: tputs.a100, initialReplicas: initial[0]!, coldStart: defaultColdStart(A100.weightBytes) },
      { gpu: L4, costPerHour: 0.7, tputs: tputs.l4, initialReplicas: initial[1]!, coldStart: defaultColdStart(L4.weightBytes) },
    ],
    controller,
    drainGraceSeconds: 60,
    windowSeconds: 60,
    chartWindows: 1,
    slo: { ttftSeconds: 2, tpotSeconds: 0.1 },
  };
}

const requestArb = fc.tuple(fc.double({ min: 0, max: 599, noNaN: true }), fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 900 }));
const sorted = (list: Array<[number, number, number]>) => [...list].sort((a, b) => a[0] - b[0]);

describe('runFleetSimulation', () => {
  test.prop([fc.array(requestArb, { maxLength: 60 }).map(sorted)], { numRuns: Math.ceil(RUNS / 10) })(
    'every request is counted; a type never gets a request it cannot serve while one able is ready; dollars are GPU time × price',
    (list) => {
      const out = runFleetSimulation(options(list, hold([1, 1])));
      expect(out.arrived).toBe(list.length);
      expect(out.completed + out.aborted).toBe(list.length);
      expect(out.misrouted).toBe(0);
      const l4Able = list.filter(([, i, o]) => i < 724 && o < 182).length; // nearest log2 tick: 256 in, 64 out
      expect(out.byType[1]!.routed).toBeLessThanOrEqual(l4Able);
      expect(out.byType[0]!.routed + out.byType[1]!.routed).toBe(list.length);
      for (const t of out.byType) expect(t.costUsd).toBeCloseTo((t.gpuSeconds / 3600) * t.costPerHour!, 9);
      expect(out.costUsd).toBeCloseTo(out.byType.reduce((s, t) => s + t.costUsd!, 0), 9);
      expect(out.gpuSeconds).toBeCloseTo(2 * 600, 6);
    },
  );

  it('least loaded by outstanding requests over the profiled rate: the faster type takes more of what both serve', () => {
    const list: Array<[number, number, number]> = Array.from({ length: 200 }, (_, k) => [k * 0.05, 200, 50]);
    const out = runFleetSimulation(options(list, hold([1, 1])));
    expect(out.byType[0]!.routed).toBeGreaterThan(out.byType[1]!.routed);
    expect(out.byType[1]!.routed).toBeGreaterThan(0);
  });

  it('with no able type ready, a request goes to another type and is counted as misrouted', () => {
    const out = runFleetSimulation(options([[1, 2000, 400]], hold([0, 1]), [0, 1]));
    expect(out.misrouted).toBe(1);
    expect(out.byType[1]!.routed).toBe(1);
    expect(out.completed).toBe(1);
  });

  it('a controller that answers NaN, a negative or a fraction holds those pools', () => {
    const out = runFleetSimulation(options([[1, 100, 10]], hold([Number.NaN, -1]), [2, 1]));
    expect(out.scaleActions).toBe(0);
    expect(out.gpuSeconds).toBeCloseTo(3 * 600, 6);
    const half = runFleetSimulation(options([[1, 100, 10]], hold([1.5, 1]), [2, 1]));
    expect(half.scaleActions).toBe(0);
  });

  it('the same options give the same run', () => {
    const list: Array<[number, number, number]> = Array.from({ length: 300 }, (_, k) => [k * 1.9, 100 + ((k * 37) % 2000), 10 + ((k * 13) % 500)]);
    const schedule = scheduleController([[1, 1, 2, 3, 3, 2, 1, 1, 1, 1], [0, 1, 1, 1, 0, 0, 0, 1, 1, 0]], 60, 10);
    const a = runFleetSimulation(options(list, schedule));
    const b = runFleetSimulation(options(list, schedule));
    expect(JSON.stringify({ ...a, ttft: a.ttft.quantile(0.99) })).toBe(JSON.stringify({ ...b, ttft: b.ttft.quantile(0.99) }));
  });
});

/** Fails every solve: the optimizer answers with its greedy allocation (deterministic, no HiGHS in this package). */
const failing: MipSolver = { name: 'failing', solve: () => { throw new Error('no solver in this test'); } };

const profiles: ThroughputProfile[] = [
  { gpu: 'A100-80GB', cost: 3.67, indexes: [grid.outputTicks, grid.inputTicks], tputs: tputs.a100 },
  { gpu: 'L4', cost: 0.7, indexes: [grid.outputTicks, grid.inputTicks], tputs: tputs.l4 },
];

describe('the fleet oracle and comparison', () => {
  it('each window gets replicas of each type, never an empty fleet, and a schedule at least its need', async () => {
    const { optimizerConfig } = await import('@prescale/core');
    const config = optimizerConfig({ profiles });
    const windows = [{ inputs: [200, 200, 1500], outputs: [50, 50, 400] }, { inputs: [], outputs: [] }, { inputs: [200], outputs: [60] }];
    const solved = fleetNeed(config, windows, 60, failing);
    for (let w = 0; w < windows.length; w++) expect(solved.need[0]![w]! + solved.need[1]![w]!).toBeGreaterThanOrEqual(1);
    expect(solved.need[0]![0]).toBeGreaterThanOrEqual(1); // the long request needs the A100
    const oracle = fleetOracle({ windowSeconds: 60, initialReplicas: [1, 0], maxReplicas: [5, 5], leadWindows: 0, setupSeconds: 300 }, solved);
    oracle.schedules.forEach((s, j) => s.ready.forEach((r, w) => expect(r).toBeGreaterThanOrEqual(solved.need[j]![w]!)));
  });

  it('every result carries costUsd beside gpuHours; the oracle is 1× itself; single-type scalers are refused with --fleet', () => {
    const c = runFleetComparison(
      { fleet: ['A100-80GB', 'L4'], profiles, workload: { pattern: 'slight_fluctuation', durationSeconds: 1200, scaleRps: 2 }, maxReplicas: 'auto', gpuCosts: { L4: 0.8 } },
      failing,
    );
    expect(c.results.map((r) => r.scaler)).toEqual(['optimizer', 'optimizer-predictive', 'oracle']);
    for (const r of c.results) {
      expect(r.costUsd).toBeCloseTo(r.fleet.byType.reduce((s, t) => s + (t.gpuSeconds / 3600) * t.costPerHour!, 0), 9);
      expect(r.fleet.byType.find((t) => t.name === 'L4')!.costPerHour).toBe(0.8);
    }
    expect(c.results[1]!.costUsdVsOracle).toBe(1);
    expect(() => runFleetComparison({ fleet: ['L4'], profiles, scalers: ['kpa'] }, failing)).toThrow(/with --fleet, the scalers are optimizer, optimizer-predictive and oracle/);
    expect(() => runFleetComparison({ fleet: ['L4', 'L4'], profiles }, failing)).toThrow(/twice/);
  });
});

describe('optimizerController', () => {
  /** A stand-in for the predictive blend: a blend-shaped decision forecasting `upper` req/s. */
  const forecasting = (upper: number) =>
    ({
      scaler: {
        step: (state: unknown) => ({ state, decision: { scaler: 'blend', detail: { bins: [{ startMs: 0, p50: upper / 2, upper, burstFactor: 1 }] } } }),
      },
      state: {},
    }) as unknown as NonNullable<Parameters<typeof optimizerController>[0]['forecaster']>;

  it('holds the starting fleet until holdSeconds, then solves; a forecast above the observed rate raises the solve', async () => {
    const { FLEET_SCALER_DEFAULTS, optimizerConfig } = await import('@prescale/core');
    const config = optimizerConfig({ profiles });
    const messages: string[] = [];
    const make = (forecaster?: ReturnType<typeof forecasting>) =>
      optimizerController({ config, settings: FLEET_SCALER_DEFAULTS, solver: failing, windowSeconds: 60, shapeWindowSeconds: 600, loopSeconds: 10, holdSeconds: 300, startMs: 0, onDecision: (_t, d) => messages.push(d.message), ...(forecaster ? { forecaster } : {}) });
    const reactive = make();
    const predictive = make(forecasting(50));
    for (let k = 0; k < 600; k++) {
      reactive.observe!(k * 0.5, 200, 50);
      predictive.observe!(k * 0.5, 200, 50);
    }
    expect(reactive.decide(290, [3, 1], [3, 1])).toEqual([3, 1]);
    expect(messages).toHaveLength(0);
    const r = reactive.decide(300, [3, 1], [3, 1]);
    const p = predictive.decide(300, [3, 1], [3, 1]);
    expect(messages[0]).toMatch(/for 1\.98 req\/s/);
    expect(messages[1]).toMatch(/forecast: 50\.00 req\/s/);
    expect(p[0]! + p[1]!).toBeGreaterThan(r[0]! + r[1]!);
  });
});
