/** The fleet scaler: stabilised per-type targets from one shared solve, never an empty fleet, plain-data state. */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RUNS } from '../testSupport.js';
import { defaultFallbackType, FLEET_SCALER_DEFAULTS, fleetStep, initialFleetState } from './fleetScaler.js';
import { optimizerConfig } from './optimizerConfig.js';
import { scriptedSolver, WORKED_PROFILES, workedDemand } from './testSupport.js';

const config = optimizerConfig({ profiles: WORKED_PROFILES, bounds: { A100: { max: 5 } } });
// A throwing solver gives the greedy allocation (each bucket on its cheapest type per request): deterministic and known.
const greedy = () => scriptedSolver(['throw']);
const rateArb = fc.double({ min: 0, max: 8, noNaN: true });
const ratesArb = fc.tuple(fc.tuple(rateArb, rateArb), fc.tuple(rateArb, rateArb)).map(([a, b]) => [[...a], [...b]]);

describe('fleetStep', () => {
  test.prop([fc.array(fc.tuple(ratesArb, fc.integer({ min: 1, max: 120 })), { minLength: 1, maxLength: 30 })], { numRuns: RUNS })(
    'targets are integers within bounds, never below the recommendation, the fleet never empty, and the state survives JSON',
    (steps) => {
      let state = initialFleetState();
      let now = 0;
      for (const [rates, gap] of steps) {
        now += gap * 1000;
        const r = fleetStep(config, FLEET_SCALER_DEFAULTS, JSON.parse(JSON.stringify(state)), { now, demand: workedDemand(rates) }, greedy());
        let total = 0;
        for (const t of config.types) {
          const v = r.decision.replicas[t.name]!;
          expect(Number.isInteger(v) && v >= t.minReplicas && v <= t.maxReplicas).toBe(true);
          expect(v).toBeGreaterThanOrEqual(Math.min(t.maxReplicas, r.decision.recommended[t.name]!));
          total += v;
        }
        expect(total).toBeGreaterThanOrEqual(1);
        state = r.state;
        expect(state.rates.every((x) => x.atMs > now - FLEET_SCALER_DEFAULTS.stabilizationSeconds * 1000)).toBe(true);
      }
    },
  );

  it('grows at once and shrinks only after the load stayed low for the stabilisation window: the mix is solved at the highest recent rate', () => {
    const high = workedDemand([[8, 4], [2, 6]]);
    const low = workedDemand([[0.8, 0.4], [0.2, 0.6]]);
    const s = { ...FLEET_SCALER_DEFAULTS, stabilizationSeconds: 300 };
    const first = fleetStep(config, s, initialFleetState(), { now: 0, demand: high }, greedy());
    const highTotal = Object.values(first.decision.replicas).reduce((a, b) => a + b, 0);
    const lowAlone = fleetStep(config, s, initialFleetState(), { now: 0, demand: low }, greedy()).decision.replicas;
    const held = fleetStep(config, s, first.state, { now: 200_000, demand: low }, greedy());
    expect(held.decision.replicas).toEqual(first.decision.replicas);
    expect(held.decision.rate).toEqual({ observedRps: 2, solvedRps: 20, source: 'stabilized' });
    expect(held.decision.message).toMatch(/highest of the last 300 s: 20\.00 req\/s/);
    const released = fleetStep(config, s, held.state, { now: 301_000, demand: low }, greedy());
    expect(released.decision.replicas).toEqual(lowAlone);
    expect(Object.values(released.decision.replicas).reduce((a, b) => a + b, 0)).toBeLessThan(highTotal);
  });

  it('a forecast above the observed rate orders its capacity now; one below changes nothing', () => {
    const low = workedDemand([[0.8, 0.4], [0.2, 0.6]]);
    const high = workedDemand([[8, 4], [2, 6]]);
    const ahead = fleetStep(config, FLEET_SCALER_DEFAULTS, initialFleetState(), { now: 0, demand: low, forecastRps: 20 }, greedy());
    expect(ahead.decision.rate.source).toBe('forecast');
    expect(ahead.decision.replicas).toEqual(fleetStep(config, FLEET_SCALER_DEFAULTS, initialFleetState(), { now: 0, demand: high }, greedy()).decision.replicas);
    const below = fleetStep(config, FLEET_SCALER_DEFAULTS, initialFleetState(), { now: 0, demand: low, forecastRps: 1 }, greedy());
    expect(below.decision.rate.source).toBe('observed');
    expect(below.decision.replicas).toEqual(fleetStep(config, FLEET_SCALER_DEFAULTS, initialFleetState(), { now: 0, demand: low }, greedy()).decision.replicas);
  });

  it('no demand: the minimum fleet on the fallback type, and the message says so', () => {
    const r = fleetStep(config, FLEET_SCALER_DEFAULTS, initialFleetState(), { now: 0, demand: workedDemand([[0, 0], [0, 0]]) }, greedy());
    const fallback = defaultFallbackType(config);
    expect(r.decision.minimumAdded).toEqual({ type: fallback, replicas: 1 });
    expect(r.decision.replicas[fallback]).toBe(1);
    expect(r.decision.message).toMatch(/minimum fleet/);
  });

  it('bad settings are a typed error naming the field', () => {
    const bad = () => fleetStep(config, { ...FLEET_SCALER_DEFAULTS, fallbackType: 'TPU' }, initialFleetState(), { now: 0, demand: workedDemand() }, greedy());
    expect(bad).toThrow(/fallbackType/);
    expect(() => fleetStep(config, { ...FLEET_SCALER_DEFAULTS, stabilizationSeconds: Number.NaN }, initialFleetState(), { now: 0, demand: workedDemand() }, greedy())).toThrow(/stabilizationSeconds/);
  });

  it('make before break: no type scales down while another still waits for ready replicas', () => {
    const s = { ...FLEET_SCALER_DEFAULTS, stabilizationSeconds: 0 };
    const demand = workedDemand();
    const alone = fleetStep(config, s, initialFleetState(), { now: 0, demand }, greedy()).decision.replicas;
    // Far too many L4s now, and one A100 ordered but not ready: the L4s stay until it is.
    const current: Record<string, number> = { ...alone, L4: alone.L4! + 5 };
    const starting = fleetStep(config, s, initialFleetState(), { now: 0, demand, current, ready: { ...current, A100: current.A100! - 1 } }, greedy());
    expect(starting.decision.waitingForReady).toEqual(['A100']);
    expect(starting.decision.replicas.L4).toBe(current.L4);
    expect(starting.decision.message).toMatch(/no scale-down while A100/);
    const readyNow = fleetStep(config, s, initialFleetState(), { now: 0, demand, current, ready: current }, greedy());
    expect(readyNow.decision.waitingForReady).toEqual([]);
    expect(readyNow.decision.replicas).toEqual(alone);
  });
});
