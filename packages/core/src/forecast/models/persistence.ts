/**
 * Persistence (naive) baseline, reference predictive.md §9.2.1: the forecast for any
 * horizon is the last observed bin, ŷ(t + h) = y(t). At 5–15 minute horizons this is
 * what a reactive scaler effectively does, minus its lag, and it is hard to beat. A
 * gap is skipped back over, at most one day.
 * @module
 */
import type { EngineContext, ModelEngine } from '../modelEngine.js';

export function createPersistenceEngine(ctx: EngineContext): ModelEngine {
  const { prep } = ctx;
  return {
    model: 'persistence',
    candidates: ['last observed bin'],
    needMs: prep.binMs,
    forecast(t, _history, out) {
      let v = Number.NaN;
      for (let i = t - 1; i >= 0 && i >= t - prep.dayBins; i--) {
        const x = i < prep.n ? prep.values[i]! : Number.NaN;
        if (x === x) {
          v = x;
          break;
        }
      }
      out[0] = v;
    },
  };
}
