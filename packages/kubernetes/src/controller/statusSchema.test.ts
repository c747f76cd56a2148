/**
 * What the controller writes to `status` always validates against the CRD's schema:
 * every integer the CRD declares `int32` (desired and actual scale, the prediction's
 * replicas, the effective bounds, the history's scales, observed generations) is clamped
 * into its range and never NaN, whatever the decision says. Checked on statusFor for any
 * numbers, and end to end with custom forecasters: the largest plausible demand on a tiny
 * capacity per replica (1e11 replicas), and 1e308 requests per second.
 */
import { fc, test as prop } from '@fast-check/vitest';
import type { BlendForecaster, FixedDecision, ForecastResult } from '@prescale/core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { crdValidator, RUNS } from '../testSupport.js';
import { deployment, FakeHistory, kpaSpec, podAutoscaler, TestCluster, waitFor } from '../testing/cluster.js';
import { mergePatch } from '../testing/patch.js';
import { statusFor } from './status.js';

const INT32_MAX = 2 ** 31 - 1;
const PROMETHEUS = 'http://prometheus.monitoring:9090';

/** A PodAutoscaler object around a status, as the API server would validate it. */
const withStatus = (status: unknown) => ({ apiVersion: 'autoscaling.prescale.dev/v1alpha1', kind: 'PodAutoscaler', metadata: { name: 'llm' }, spec: kpaSpec('llm'), status });

/** Any double the arithmetic could produce, the awkward ones included. */
const anyNumber = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e308, -1, 2 ** 31, 2.5), fc.integer({ min: 0, max: 20 }));

describe('status numbers fit the CRD schema', () => {
  const validate = crdValidator();
  prop.prop([anyNumber, anyNumber, anyNumber, anyNumber, anyNumber, fc.constantFrom<'scaled' | 'failed' | 'unchanged'>('scaled', 'failed', 'unchanged')], { numRuns: RUNS })(
    'statusFor: any decision, bounds and generation give a status the API server accepts',
    (desired, current, min, max, generation, result) => {
      const decision: FixedDecision = { scaler: 'fixed', now: 0, currentReplicas: current, desiredReplicas: desired, valid: true, reasons: ['Fixed'], message: 'fixed', detail: {} };
      const update = statusFor({
        now: Date.UTC(2026, 0, 5),
        generation,
        previous: {},
        spec: { scaleTargetRef: { kind: 'Deployment', name: 'llm' } },
        bounds: { minReplicas: min, maxReplicas: max },
        currentReplicas: current,
        decision,
        patch: result === 'failed' ? { result, error: 'boom' } : { result },
        seedNote: null,
        failures: [],
        scaler: { fingerprint: 'f', before: { algorithm: 'fixed' }, state: { algorithm: 'fixed' } },
      });
      const stored = mergePatch({}, JSON.parse(JSON.stringify(update.status))) as Record<string, any>;
      expect(validate(withStatus(stored)), JSON.stringify(validate.errors)).toBe(true);
      for (const v of [stored.desiredScale, stored.actualScale, stored.observedGeneration, stored.scheduledBounds?.effectiveMaxReplicas]) {
        if (v !== undefined) expect(Number.isInteger(v) && v >= 0 && v <= INT32_MAX).toBe(true);
      }
    },
  );
});

describe('an absurd forecast through the operator', () => {
  let k: TestCluster;
  beforeEach(async () => {
    k = await new TestCluster().start();
  });
  afterEach(async () => {
    await k.stop();
  });

  /** A forecaster that forecasts `perSecond` requests per second in every bin. */
  const constant =
    (perSecond: number): BlendForecaster =>
    (request): ForecastResult => {
      const binMs = request.series.binMs;
      const issuedMs = request.atMs ?? 0;
      const bins = Math.max(1, Math.round((request.horizonMs ?? binMs) / binMs));
      const v = perSecond * (binMs / 1000);
      return {
        status: 'ok',
        model: 'auto',
        issuedMs,
        binMs,
        quantile: 0.9,
        history: { state: 'WeeklyPattern', haveMs: 21 * 86_400_000 },
        points: Array.from({ length: bins }, (_, i) => ({ targetMs: issuedMs + i * binMs, horizonMs: (i + 1) * binMs, model: 'scryer', parameters: 'stub', point: v, p50: v, upper: v, samples: 100, recentError: 0 })),
      };
    };

  /** One loop of an auto blend with `forecaster` and `capacityPerReplica`; the stored object. */
  async function loop(forecaster: BlendForecaster, capacityPerReplica: number) {
    k.server.apply(deployment('llm', 1));
    const predictive = { mode: 'auto', history: { endpoint: PROMETHEUS, query: 'sum(rate(r[5m]))', lookbackDays: 21 }, capacityPerReplica };
    k.server.apply(podAutoscaler('llm', kpaSpec('llm', { maxReplicas: 12, predictive })));
    const c = await k.controller({ history: new FakeHistory(), allowedEndpoints: [PROMETHEUS], scalerOptions: { forecaster } });
    await waitFor(() => c.keys().length === 1);
    k.spreadLoad('llm', 1);
    k.metrics.external.requestRate = 1;
    const r = await c.reconcile('default/llm');
    await waitFor(() => k.status('llm')?.prediction !== undefined, 2000, 'status');
    return { r, stored: k.server.get('podautoscalers', 'default', 'llm') };
  }

  test('the largest plausible forecast on a tiny capacity per replica: predictedReplicas is clamped to int32, the scale stays within maxReplicas, the status validates', async () => {
    // 1e9 req/s (core's plausible ceiling) over 0.01 req/s per replica: 1e11 replicas
    // (core caps its own figure too; statusFor clamps whatever it is given, as the property above checks).
    const { r, stored } = await loop(constant(1e9), 0.01);
    expect(r.decision?.desiredReplicas).toBe(12);
    expect(k.replicas('llm')).toBe(12);
    const validate = crdValidator();
    expect(validate(stored), JSON.stringify(validate.errors)).toBe(true);
    expect(k.status('llm')?.prediction).toMatchObject({ predictedReplicas: INT32_MAX, wouldBeReplicas: 12 });
  });

  test('a forecaster returning 1e308 req/s: refused by core as implausible; the status validates', async () => {
    const { r, stored } = await loop(constant(1e308), 1);
    expect(r.decision?.desiredReplicas).toBe(1);
    const validate = crdValidator();
    expect(validate(stored), JSON.stringify(validate.errors)).toBe(true);
  });
});
