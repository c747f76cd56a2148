/**
 * The predictive policies' settings (models/modelPolicies.ts): the wake-up plans for a
 * cold start's p90 (a warm start's with a forecast-sized pool), the forecast quantile is
 * the policies' own, and what a caller gives wins.
 */
import { describe, expect, it } from 'vitest';
import { POLICY, POLICY_QUANTILE, policyOverride } from './modelPolicies.js';

const leads = { warmLeadSeconds: 130, prewarmSeconds: 400, wakeLeadSeconds: 463, warmWakeLeadSeconds: 120 };

describe('policyOverride', () => {
  it('gives the reactive policies nothing', () => {
    expect(policyOverride(POLICY.min1, leads, {})).toBeUndefined();
    expect(policyOverride(POLICY['zero+pool'], leads, {})).toBeUndefined();
  });

  it('wakes the predictive policies one p90 start ahead and plans them for the policies’ quantile', () => {
    expect(policyOverride(POLICY['zero-predictive'], leads, {})).toEqual({ config: { settings: { quantile: POLICY_QUANTILE }, wakeUpLeadSeconds: 463 } });
    expect(policyOverride(POLICY['zero-predictive+pool'], leads, {})).toEqual({
      config: { settings: { quantile: POLICY_QUANTILE }, wakeUpLeadSeconds: 120, leadTimeSeconds: 130, prewarmSeconds: 400 },
    });
  });

  it('lets the caller’s predictive settings win', () => {
    const given = { settings: { quantile: 0.9 }, wakeUpLeadSeconds: 500, wakeUpWaitsPerGpuHour: 20 };
    expect(policyOverride(POLICY['zero-predictive'], leads, given)).toEqual({ config: given });
  });
});
