import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RUNS } from '../testSupport.js';
import { oracleSchedule } from './oracle.js';

/** Cost of a ready-count schedule as the oracle defines it. */
function cost(ready: number[], initial: number, window: number, setup: number): number {
  let c = 0;
  let previous = initial;
  for (const r of ready) {
    c += window * r + setup * Math.max(0, r - previous);
    previous = r;
  }
  return c;
}

function* schedules(W: number, R: number): Generator<number[]> {
  if (W === 0) {
    yield [];
    return;
  }
  for (const rest of schedules(W - 1, R)) for (let r = 0; r <= R; r++) yield [...rest, r];
}

describe('oracle', () => {
  test.prop(
    [
      fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 6 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 300 }),
    ],
    { numRuns: RUNS },
  )('finds the cheapest feasible schedule (checked against every schedule)', (arrivals, maxReplicas, initial, lead, setup) => {
    const o = oracleSchedule({ arrivals, windowSeconds: 60, capacityRps: 1, minReplicas: 1, maxReplicas, initialReplicas: initial, leadWindows: lead, setupSeconds: setup });
    const start = Math.min(maxReplicas, initial);
    let best = Infinity;
    for (const s of schedules(arrivals.length, maxReplicas)) {
      const feasible = s.every((r, w) => {
        const upper = w < lead ? Math.max(start, 1) : maxReplicas;
        return r >= Math.min(o.need[w]!, upper) && r <= upper && r >= 1;
      });
      if (feasible) best = Math.min(best, cost(s, start, 60, setup));
    }
    expect(o.plannedGpuSeconds).toBeCloseTo(best, 6);
    expect(cost([...o.ready], start, 60, setup)).toBeCloseTo(best, 6);
    for (let w = 0; w < arrivals.length; w++) expect(o.desired[w]).toBeGreaterThanOrEqual(o.ready[w]!);
  });

  it('keeps replicas through a dip shorter than a cold start', () => {
    const arrivals = [600, 600, 60, 60, 600, 600].map((a) => a * 1);
    const o = oracleSchedule({ arrivals, windowSeconds: 60, capacityRps: 1, minReplicas: 1, maxReplicas: 20, initialReplicas: 10, leadWindows: 0, setupSeconds: 300 });
    expect([...o.ready]).toEqual([10, 10, 10, 10, 10, 10]);
    const cheapStart = oracleSchedule({ arrivals, windowSeconds: 60, capacityRps: 1, minReplicas: 1, maxReplicas: 20, initialReplicas: 10, leadWindows: 0, setupSeconds: 10 });
    expect([...cheapStart.ready]).toEqual([10, 10, 1, 1, 10, 10]);
  });
});
