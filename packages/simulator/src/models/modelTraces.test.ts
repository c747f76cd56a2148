/**
 * The many-models recipe (issue 21, item 4) on the public count traces: seeded and
 * repeatable, every fifth model busy, the others idle most of the time with traffic in
 * their source's busiest hours only, at their drawn mean rate, each shifted to its own
 * time of day.
 */
import { fc, test } from '@fast-check/vitest';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUNS } from '../testSupport.js';
import { BUSY_EVERY, deriveModels, MODEL_RECIPE, type ModelSource, readModelSource } from './modelTraces.js';

const DATA = join(process.env.PRESCALE_SHARED!, 'data');
const sources = [readModelSource(join(DATA, 'nasa_http_1995/arrivals_1min.csv')), readModelSource(join(DATA, 'servegen_m_small/arrivals_10min.csv'))];
const SPAN = 21 * 86_400;
const START = Date.UTC(2025, 11, 22);

const realizedRps = (values: readonly (number | null)[], binMs: number) => values.reduce<number>((s, v) => s + (v ?? 0), 0) / ((values.length * binMs) / 1000);

describe('deriveModels on the public traces', () => {
  const models = deriveModels(sources, 10, SPAN, START, 7);

  it('is repeatable for a seed and differs between seeds', () => {
    expect(deriveModels(sources, 10, SPAN, START, 7)).toEqual(models);
    expect(deriveModels(sources, 10, SPAN, START, 8).map((m) => m.shiftBins)).not.toEqual(models.map((m) => m.shiftBins));
  });

  it('alternates the sources, makes every fifth model busy and gives each its own shift', () => {
    expect(models.map((m) => m.source)).toEqual(models.map((_, i) => sources[i % 2]!.name));
    expect(models.map((m) => m.busy)).toEqual(models.map((_, i) => i % BUSY_EVERY === 0));
    expect(new Set(models.map((m) => m.shiftBins)).size).toBe(models.length);
  });

  it('keeps an idle model’s traffic to a minority of the time and each model at its drawn mean rate', () => {
    for (const m of models) {
      expect(m.series.values.length * m.series.binMs).toBeGreaterThanOrEqual(SPAN * 1000);
      const [lo, hi] = m.busy ? MODEL_RECIPE.busyRps : MODEL_RECIPE.idleRps;
      expect(m.meanRps).toBeGreaterThanOrEqual(lo);
      expect(m.meanRps).toBeLessThanOrEqual(hi);
      // Stochastic rounding keeps the mean within a few percent over three weeks.
      expect(Math.abs(realizedRps(m.series.values, m.series.binMs) / m.meanRps - 1)).toBeLessThan(0.05);
      const busyBins = m.series.values.filter((v) => (v ?? 0) > 0).length / m.series.values.length;
      if (m.busy) expect(m.activeShare).toBe(1);
      else expect(busyBins).toBeLessThanOrEqual(m.activeShare + 1e-9);
      if (!m.busy) expect(m.activeShare).toBeLessThan(0.6);
    }
  });

  it('refuses a file that is not a count trace, naming it', () => {
    expect(() => readModelSource(join(DATA, 'sharegpt_lengths_llama2tok/lengths.csv.gz'))).toThrow(/lengths.csv.gz line 1.*count traces/);
  });
});

const tiny: ModelSource = { name: 'tiny', series: { startMs: 0, binMs: 600_000, values: [0, 5, null, 12, 40, 3, 0, 1], utcOffsetMinutes: 0 } };

test.prop([fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 600, max: 86_400 })], { numRuns: RUNS })(
  'any count, seed and span: whole non-negative counts over the whole span, from a source with gaps',
  (count, seed, span) => {
    const models = deriveModels([tiny], count, span, 0, seed);
    expect(models).toHaveLength(count);
    const bins = Math.ceil((span * 1000) / tiny.series.binMs);
    // One assertion per run (an expect per bin made the property slow).
    expect(models.every((m) => m.series.values.length === bins && m.series.values.every((v) => Number.isInteger(v) && v! >= 0))).toBe(true);
  },
);
