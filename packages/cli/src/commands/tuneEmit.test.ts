import { fc, test } from '@fast-check/vitest';
import { createScaler, DEFAULT_LOOP_SECONDS, type ScalerSpec } from '@prescale/core';
import { panicWindowSeconds } from '@prescale/core/upstream';
import { resolveBounds, toOperatorScalerSpec, validateSpec } from '@prescale/kubernetes';
import { latinHypercube, prepareComparison, Random, specFor, TUNABLE_SCALERS, tuneSpace } from '@prescale/simulator';
import { expect } from 'vitest';
import { podAutoscalerFor } from '@prescale/kubernetes';
import { EMIT_TARGET } from './tuneOutput.js';

// A small comparison: only its scaler context (targets, capacity, lead time) matters here.
const prepared = prepareComparison({ workload: { pattern: 'slight_fluctuation', durationSeconds: 1800 }, coldStartSeconds: 120, scalers: ['kpa'] });

/** Every number of a spec, by path, for a tolerant comparison. */
function numbers(x: unknown, path = '', out: Record<string, number> = {}): Record<string, number> {
  if (typeof x === 'number') out[path] = x;
  else if (Array.isArray(x)) x.forEach((v, i) => numbers(v, `${path}[${i}]`, out));
  else if (x !== null && typeof x === 'object') for (const [k, v] of Object.entries(x)) numbers(v, `${path}.${k}`, out);
  return out;
}

test.prop([fc.constantFrom(...TUNABLE_SCALERS), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean()], { numRuns: Math.max(1000, Number(process.env.PRESCALE_FC_RUNS ?? 0)) })(
  'every configuration tune can find (or the defaults) becomes a PodAutoscaler the CRD accepts and the operator reads back to the same core scaler',
  (scaler, seed, defaults) => {
    const point = defaults ? null : latinHypercube(tuneSpace(scaler), 1, new Random(seed))[0]!;
    const spec = specFor(prepared, scaler, point);
    const manifest = podAutoscalerFor(spec, { ...EMIT_TARGET, name: `my-model-${scaler}` });
    const checked = validateSpec(manifest.spec, DEFAULT_LOOP_SECONDS.kpa);
    expect(checked).toMatchObject({ ok: true });
    if (!checked.ok || checked.spec.scalingStrategy === 'Optimizer') throw new Error('expected a valid single-target spec');
    const back: ScalerSpec = toOperatorScalerSpec(checked.spec, resolveBounds(checked.spec, 0), DEFAULT_LOOP_SECONDS.kpa);
    expect(() => createScaler(back)).not.toThrow();
    // The KPA's panic window in force, whole seconds, is what must survive.
    const panic = (x: ScalerSpec) => {
      const kpa = x.algorithm === 'blend' ? x.reactive : x;
      return kpa.algorithm === 'kpa' ? panicWindowSeconds(kpa.config.stableWindowSeconds ?? 60, kpa.config.panicWindowPercentage ?? 10) : null;
    };
    expect(panic(back)).toBe(panic(spec));
    const want = numbers(spec);
    const got = numbers(back);
    for (const [path, v] of Object.entries(want)) {
      // The forecaster's time zone has no PodAutoscaler field (UTC there).
      if (path.endsWith('utcOffsetMinutes') || path.endsWith('panicWindowPercentage')) continue;
      expect(got[path], path).toBeCloseTo(v, 5);
    }
  },
);
