import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createScaler } from '../scaler/scaler.js';
import type { PodSample } from '../scaler/observation.js';
import { RUNS, T0 } from '../testSupport.js';
import { apaConfig } from './apaConfig.js';
import { apaInit, apaStep } from './apa.js';
import { guardPendingReplicas } from './pendingReplicas.js';

const ready = (name: string, value: number): PodSample => ({ name, phase: 'Running', ready: true, metrics: { kv: value } });
const starting = (name: string): PodSample => ({ name, phase: 'Pending', ready: false, metrics: {} });

describe('APA under a long cold start (AIBrix #2671)', () => {
  // The cascade of AIBrix's RFC #2670: 2 ready pods at twice the target ask for 4; while
  // the 2 new ones start, the same 2 pods still measure twice the target.
  it('does not scale up a second time for the same demand while the first replicas start', () => {
    const s = createScaler({ algorithm: 'apa', metric: 'kv', config: { targetValue: 0.5, maxReplicas: 32, windowSeconds: 30 } });
    let state = s.init({ now: T0, readyPods: 2 });
    const first = s.step(state, { now: T0 + 10_000, currentReplicas: 2, pods: [ready('a', 1), ready('b', 1)] });
    expect(first.decision.desiredReplicas).toBe(4);
    state = first.state;
    const second = s.step(state, { now: T0 + 20_000, currentReplicas: 4, pods: [ready('a', 1), ready('b', 1), starting('c'), starting('d')] });
    expect(second.decision.desiredReplicas).toBe(4);
    expect(second.decision.reasons[0]).toBe('PendingCapacity');
    expect(second.decision.detail).toMatchObject({ pendingReplicas: 2 });
  });

  it('still adds what the ready pods measure beyond the replicas on the way', () => {
    const s = createScaler({ algorithm: 'apa', metric: 'kv', config: { targetValue: 0.5, maxReplicas: 32, windowSeconds: 1 } });
    const state = s.init({ now: T0, readyPods: 2 });
    // 2 ready pods at 3× the target need 6; 4 are asked for: 2 more.
    const r = s.step(state, { now: T0 + 10_000, currentReplicas: 4, pods: [ready('a', 1.5), ready('b', 1.5), starting('c'), starting('d')] });
    expect(r.decision.desiredReplicas).toBe(6);
  });
});

test.prop([fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 }), fc.double({ min: 0, max: 100, noNaN: true }), fc.integer({ min: 0, max: 500 })], { numRuns: RUNS })(
  'with replicas pending, a scale-up never goes past what the ready pods measure, and never below the count asked for',
  (proposed, current, ratio, readyPods) => {
    const g = guardPendingReplicas(proposed, current, ratio, readyPods);
    if (readyPods < current && proposed > current) {
      expect(g.replicas).toBeGreaterThanOrEqual(current);
      expect(g.replicas).toBeLessThanOrEqual(Math.max(current, Math.ceil(readyPods * ratio)));
      expect(g.replicas).toBeLessThanOrEqual(proposed);
    } else {
      expect(g).toEqual({ replicas: proposed, applied: false });
    }
  },
);

test.prop([fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.double({ min: 0, max: 20, noNaN: true })], { numRuns: RUNS })(
  'the rule never lowers a scale-down or a steady state',
  (current, readyPods, perPod) => {
    const config = apaConfig({ targetValue: 1, maxReplicas: 200, minReplicas: 0, scaleDownCooldownSeconds: 0 });
    const without = apaStep(config, apaInit(config), { now: T0, currentReplicas: current, value: perPod }).decision;
    const withReady = apaStep(config, apaInit(config), { now: T0, currentReplicas: current, value: perPod, readyPods }).decision;
    if (without.desiredReplicas <= current) expect(withReady.desiredReplicas).toBe(without.desiredReplicas);
    else expect(withReady.desiredReplicas).toBeLessThanOrEqual(without.desiredReplicas);
  },
);
