/**
 * The fleet scaler's switch tolerance with HiGHS (core's tests use scripted solvers):
 * a current mix that covers the demand at a price near the optimum's is kept; one that
 * does not cover it, or costs too much more, is replaced by the optimum.
 */
import { FLEET_SCALER_DEFAULTS, fleetStep, initialFleetState, mixCovers, optimizeAllocation, optimizerConfig } from '@prescale/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHighsSolver } from './highsSolver.js';
import { demandOf, WORKED } from './testSupport.js';

let solver: Awaited<ReturnType<typeof createHighsSolver>>;
beforeAll(async () => {
  solver = await createHighsSolver();
});

const config = optimizerConfig({ profiles: WORKED.profiles });
const demand = demandOf(WORKED.profiles[0]!, WORKED.rates);
const settings = { ...FLEET_SCALER_DEFAULTS, stabilizationSeconds: 0 };

describe('fleetStep with HiGHS: the switch tolerance', () => {
  it('keeps a covering mix priced within the tolerance of the optimum, and says so', () => {
    const optimum = optimizeAllocation(config, { demand }, solver);
    // 2 A10G + 1 A100 covers the worked demand at $5.69/h against the optimum's $5.38/h (5.8 % more).
    const current = { L4: 0, A10G: 2, A100: 1 };
    const covers = mixCovers(config, current, demand, solver);
    expect(covers).not.toBeNull();
    expect(covers!.costPerHour).toBeGreaterThan(optimum.costPerHour);
    const kept = fleetStep(config, { ...settings, switchTolerance: 0.1 }, initialFleetState(), { now: 0, demand, current }, solver);
    expect(kept.decision.keptCurrentMix).toBe(true);
    expect(kept.decision.replicas).toEqual(current);
    expect(kept.decision.message).toMatch(/current mix kept/);
    const switched = fleetStep(config, { ...settings, switchTolerance: 0.05 }, initialFleetState(), { now: 0, demand, current }, solver);
    expect(switched.decision.keptCurrentMix).toBe(false);
    expect(switched.decision.recommended).toEqual(optimum.replicas);
    // The L4 is ordered now; the second A10G goes once it is ready (make before break).
    expect(switched.decision.waitingForReady).toEqual(['L4']);
    expect(switched.decision.replicas).toEqual({ ...optimum.replicas, A10G: 2 });
  });

  it('replaces a mix that no longer covers the demand, whatever its price', () => {
    const current = { L4: 0, A10G: 1, A100: 0 };
    expect(mixCovers(config, current, demand, solver)).toBeNull();
    const d = fleetStep(config, { ...settings, switchTolerance: 10 }, initialFleetState(), { now: 0, demand, current }, solver);
    expect(d.decision.keptCurrentMix).toBe(false);
    expect(d.decision.recommended).toEqual(optimizeAllocation(config, { demand }, solver).replicas);
  });
});
