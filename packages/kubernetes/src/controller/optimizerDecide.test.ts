import { demandFromHistograms, type FleetScalerState } from '@prescale/core';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { OptimizerSpecSchema } from '../crd/optimizerSpec.js';
import type { OptimizerPodAutoscalerSpec } from '../crd/spec.js';
import { optimizerTestSpec, profilesConfigMap, startPointSolver, TEST_PROFILES } from '../testing/optimizer.js';
import { RUNS } from '../testSupport.js';
import { decideFleet, decodeFleetState, encodeFleetState } from './optimizerDecide.js';
import { fleetConfig, type OptimizerReading } from './optimizerRead.js';

const DATA = profilesConfigMap('p').data as Record<string, string>;

/** A reading of the two test types with these bounds, replicas as read (any integer, even out of bounds) and demand. */
function reading(bounds: Array<{ min: number; max: number }>, current: number[], ready: number[], rps: number | null, shares: number[]): OptimizerReading {
  const raw = optimizerTestSpec('llm', {}, Object.fromEntries(TEST_PROFILES.map((p, k) => [p.gpu, bounds[k]!])));
  const optimizer = OptimizerSpecSchema.parse((raw as { optimizer: unknown }).optimizer);
  const spec: OptimizerPodAutoscalerSpec = { scalingStrategy: 'Optimizer', optimizer };
  const config = fleetConfig(optimizer, DATA);
  const h = (s: number[]) => s.map((_v, k) => ({ le: [300, 1000, Infinity][k]!, value: s.slice(0, k + 1).reduce((a, b) => a + b, 0) }));
  const demand = rps === null ? null : demandFromHistograms(config, rps, { prompt: h(shares), generation: h([...shares].reverse()) }, 60);
  return {
    spec,
    config,
    types: optimizer.targets.map((target, k) => ({ target, scale: { replicas: current[k]!, selector: 'app=x', resourceVersion: '1' }, ready: ready[k]! })),
    demand,
    demandNote: demand === null ? 'test: missing' : null,
    failures: [],
  };
}

const bounds = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })).map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) }));
const replicas = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constantFrom(-3, 1e9));

describe('the fleet decision of an Optimizer loop', () => {
  test.prop(
    [
      fc.tuple(bounds, bounds),
      fc.tuple(replicas, replicas),
      fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 })),
      fc.option(fc.oneof(fc.double({ min: 0, max: 1e4, noNaN: true }), fc.constantFrom(Number.NaN, Infinity, -1)), { nil: null }),
      fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 3, maxLength: 3 }),
      fc.array(fc.record({ atMs: fc.integer({ min: 0, max: 600_000 }), rps: fc.double({ min: 0, max: 1e4, noNaN: true }) }), { maxLength: 5 }),
    ],
    { numRuns: RUNS },
  )('every type within its bounds, an integer, never NaN; missing demand holds the current replicas (within bounds)', (b, current, ready, rps, shares, rates) => {
    const r = reading(b, current, ready, rps, shares);
    const state: FleetScalerState = { rates };
    const d = decideFleet(r, state, startPointSolver, 600_000);
    r.types.forEach((t, k) => {
      const n = d.desired[t.target.gpu]!;
      expect(Number.isSafeInteger(n)).toBe(true);
      expect(n).toBeGreaterThanOrEqual(b[k]!.min);
      expect(n).toBeLessThanOrEqual(b[k]!.max);
      if (r.demand === null) expect(n).toBe(Math.min(b[k]!.max, Math.max(b[k]!.min, Number.isSafeInteger(current[k]) ? current[k]! : b[k]!.min)));
    });
    if (r.demand === null) {
      expect(d.outcome).toMatchObject({ kind: 'held', reason: 'DemandUnavailable' });
      expect(d.state).toBe(state);
    }
  });

  it('holds with NoSolver when the operator has no solver', () => {
    const d = decideFleet(reading([{ min: 0, max: 4 }, { min: 0, max: 4 }], [2, 1], [2, 1], 5, [1, 1, 1]), null, undefined, 0);
    expect(d.outcome).toMatchObject({ kind: 'held', reason: 'NoSolver' });
    expect(d.desired).toEqual({ L4: 2, A100: 1 });
  });

  it('keeps the fleet state through status, and drops saved rates that are not finite numbers ≥ 0', () => {
    const state = { rates: [{ atMs: 1, rps: 2.5 }] };
    expect(decodeFleetState(encodeFleetState(state))).toEqual(state);
    expect(decodeFleetState('{"format":"fleet/1","rates":[{"atMs":1,"rps":-1},{"atMs":2,"rps":"x"},{"atMs":3,"rps":4}]}')).toEqual({ rates: [{ atMs: 3, rps: 4 }] });
    expect(decodeFleetState('{"format":1,"state":{}}')).toBeNull();
    expect(decodeFleetState(undefined)).toBeNull();
  });
});
