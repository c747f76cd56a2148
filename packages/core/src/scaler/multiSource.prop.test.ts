import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { hostileMetric, LONG_TEST_TIMEOUT_MS, RUNS, stepGap, T0, viaJson } from '../testSupport.js';
import { combineProposals, type SourceProposal, usableProposal } from './multiSource.js';
import type { Observation, PodSample } from './observation.js';
import { createScaler, type ScalerState } from './scaler.js';
import type { SourceSpec } from './reactive.js';

const proposal = fc.record({
  source: fc.constantFrom('a', 'b', 'c'),
  value: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 1e6, noNaN: true })),
  desiredReplicas: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 500 }) }, { weight: 1, arbitrary: fc.constant(null) }),
  reasons: fc.constant([] as const),
}) as fc.Arbitrary<SourceProposal>;
const bounds = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 400 })).map(([a, b]) => ({ minReplicas: Math.min(a, b), maxReplicas: Math.max(a, b) }));

test.prop([fc.array(proposal, { maxLength: 8 }), fc.integer({ min: 0, max: 500 }), bounds], { numRuns: RUNS })(
  'the largest usable proposal wins, clamped to the bounds; with none, the current count is held',
  (proposals, current, b) => {
    const r = combineProposals(proposals, current, b);
    const usable = proposals.filter(usableProposal).map((p) => p.desiredReplicas as number);
    const wanted = usable.length === 0 ? current : Math.max(...usable);
    expect(r.desiredReplicas).toBe(Math.min(b.maxReplicas, Math.max(b.minReplicas, wanted)));
    expect(r.valid).toBe(usable.length > 0);
    if (r.winner !== null) expect(proposals[r.winner]!.desiredReplicas).toBe(wanted);
  },
);

test.prop([fc.array(proposal, { minLength: 1, maxLength: 8 }), fc.nat({ max: 7 }), fc.integer({ min: 0, max: 500 }), bounds], { numRuns: RUNS })(
  'a missing source never counts as zero: inserting one anywhere changes nothing',
  (proposals, at, current, b) => {
    const missing: SourceProposal = { source: 'x', value: null, desiredReplicas: null, reasons: ['NoMetrics'] };
    const withMissing = [...proposals.slice(0, at), missing, ...proposals.slice(at)];
    const a = combineProposals(proposals, current, b);
    const m = combineProposals(withMissing, current, b);
    expect(m.desiredReplicas).toBe(a.desiredReplicas);
    expect(m.valid).toBe(a.valid);
  },
);

// The multi scaler steps every source's own scaler: its decision is the largest of what
// each source's scaler alone would decide, and a source with no value is left out.
const sourceSpec = (algorithm: 'kpa' | 'apa', metric: string, targetValue: number): SourceSpec =>
  algorithm === 'kpa'
    ? { algorithm, metric, config: { targetValue, minReplicas: 1, maxReplicas: 50, granularitySeconds: 1 } }
    : { algorithm, metric, config: { targetValue, minReplicas: 1, maxReplicas: 50 } };
const step = fc.record({ gap: stepGap, current: fc.integer({ min: 0, max: 60 }), pods: fc.array(fc.tuple(hostileMetric, hostileMetric, fc.boolean()), { maxLength: 6 }) });

test.prop(
  [fc.constantFrom('kpa' as const, 'apa' as const), fc.constantFrom('kpa' as const, 'apa' as const), fc.double({ min: 0.1, max: 50, noNaN: true }), fc.double({ min: 0.1, max: 50, noNaN: true }), fc.array(step, { minLength: 1, maxLength: 12 })],
  { numRuns: RUNS },
)('several sources decide the largest of their scalers alone; a missing source is left out', (algA, algB, ta, tb, steps) => {
  const a = createScaler(sourceSpec(algA, 'a', ta));
  const b = createScaler(sourceSpec(algB, 'b', tb));
  const multi = createScaler({ algorithm: 'multi', sources: [sourceSpec(algA, 'a', ta), sourceSpec(algB, 'b', tb)] });
  let [sa, sb, sm] = [a.init({ now: T0, readyPods: 1 }), b.init({ now: T0, readyPods: 1 }), multi.init({ now: T0, readyPods: 1 })] as ScalerState[];
  let now = T0;
  for (const s of steps) {
    now += s.gap;
    const pods: PodSample[] = s.pods.map(([va, vb, ready], i) => ({ name: `p${i}`, phase: 'Running', ready, metrics: { a: va, b: vb } }));
    const obs: Observation = { now, currentReplicas: s.current, pods };
    const ra = a.step(sa!, obs);
    const rb = b.step(sb!, obs);
    const rm = multi.step(viaJson(sm!), obs);
    [sa, sb, sm] = [ra.state, rb.state, rm.state];
    const proposals = [ra.decision, rb.decision].filter((d) => d.valid).map((d) => d.desiredReplicas);
    expect(rm.decision.valid).toBe(proposals.length > 0);
    if (proposals.length > 0) expect(rm.decision.desiredReplicas).toBe(Math.max(...proposals));
    else expect(rm.decision.desiredReplicas).toBe(Math.min(50, Math.max(1, s.current)));
    expect(Number.isInteger(rm.decision.desiredReplicas)).toBe(true);
  }
}, LONG_TEST_TIMEOUT_MS);
