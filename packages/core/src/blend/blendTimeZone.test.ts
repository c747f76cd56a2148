import { describe, expect, it } from 'vitest';
import { isPrescaleError } from '../errors.js';
import { createScaler } from '../scaler/scaler.js';
import { zoneOffsetMinutes } from '../series/timeZone.js';
import { LONG_TEST_TIMEOUT_MS } from '../testSupport.js';
import { predictiveConfig, type PredictiveConfigInput } from './predictiveConfig.js';

const HOUR = 3_600_000;
const ZONE = 'America/New_York';
const START = Date.UTC(2025, 1, 3); // a Monday, five weeks before the US spring change (2025-03-09)
const MONDAY_AFTER = Date.UTC(2025, 2, 10);

/** Hourly request rates (req/s) that follow New York's wall clock: a Monday 09:00 peak, office hours, quiet nights. */
function rates(until: number): { startMs: number; binMs: number; values: number[]; utcOffsetMinutes: number } {
  const values: number[] = [];
  for (let u = START; u < until; u += HOUR) {
    const wall = new Date(u + zoneOffsetMinutes(ZONE, u) * 60_000);
    const hour = wall.getUTCHours();
    values.push(wall.getUTCDay() === 1 && hour === 9 ? 50 : hour >= 8 && hour < 18 ? 10 : 2);
  }
  return { startMs: START, binMs: HOUR, values, utcOffsetMinutes: 0 };
}

describe('the blend in a time zone', () => {
  const predictive: PredictiveConfigInput = { mode: 'auto', model: 'seasonal-naive-weekly', capacityPerReplica: 1, binSeconds: 3600, leadTimeSeconds: 4 * 3600 };
  const peakBin = (extra: Partial<PredictiveConfigInput>): number => {
    const scaler = createScaler({ algorithm: 'blend', reactive: { algorithm: 'fixed', replicas: 1 }, predictive: { ...predictive, ...extra } });
    const now = MONDAY_AFTER + 10 * HOUR; // 06:00 EDT
    const state = scaler.seed(scaler.init({ now, readyPods: 1 }), rates(now));
    const { decision } = scaler.step(state, { now, currentReplicas: 1, pods: [], requestRate: null });
    if (decision.scaler !== 'blend') throw new Error('expected a blend decision');
    const bins = decision.detail.bins;
    expect(bins.length).toBeGreaterThan(3);
    return bins.reduce((a, b) => (b.p50 > a.p50 ? b : a)).startMs;
  };

  it(
    'plans the Monday 09:00 local peak at 09:00 EDT (13:00 UTC) after the change; UTC weeks plan it at 14:00 UTC',
    () => {
      expect(peakBin({ timeZone: ZONE })).toBe(MONDAY_AFTER + 13 * HOUR);
      expect(peakBin({ utcOffsetMinutes: -300 })).toBe(MONDAY_AFTER + 14 * HOUR);
    },
    LONG_TEST_TIMEOUT_MS,
  );

  it('refuses a zone the runtime does not know, naming the field', () => {
    const error = (() => {
      try {
        predictiveConfig({ capacityPerReplica: 1, timeZone: 'Europe/Atlantis' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isPrescaleError(error) && error.field === 'predictive.timeZone' && error.code === 'InvalidConfig').toBe(true);
  });
});
