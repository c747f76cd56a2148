/**
 * The scaler state kept in `status.scalerState`, so that a restarted operator or a new
 * leader resumes the windows, panic mode, stabilisation history and forecaster state
 * where the last loop left them instead of starting blind. Core's state is plain JSON
 * (DESIGN.md); it is stored with the fingerprint of the scaler it belongs to, and a
 * state saved for another scaler (the spec changed) is not reused.
 *
 * A predictive blend's demand history (up to 12 weeks of bins, and each bin's peak while
 * the blend learns bursts) is stored compactly
 * (historyCodec.ts: thousandths of a request, delta-coded, deflated, at most
 * {@link MAX_HISTORY_CHARS} characters, oldest bins dropped first) beside its fitted
 * forecaster, so a restart resumes both instead of reloading the history from
 * Prometheus and fitting from scratch. States saved in format 1 (no history) are still
 * read; the controller then reloads the history as before.
 * @module
 */
import type { ScalerState } from '@prescale/core';
import { decodeHistory, decodePeaks, type EncodedHistory, encodeHistory } from './historyCodec.js';

export const STATE_FORMAT = 2;

/** The most characters the encoded demand history may take in `status.scalerState`. */
export const MAX_HISTORY_CHARS = 64 * 1024;

export interface PersistedState {
  /** 2 (1: written before the demand history was kept). */
  format: typeof STATE_FORMAT | 1;
  /** {@link scalerFingerprint} of the scaler that produced the state. */
  scaler: string;
  /** Time of the loop that produced it, ms since the epoch. */
  savedAt: number;
  state: ScalerState;
  /** A predictive blend's demand history, encoded; its `state.blend.history.values` is empty. */
  demand?: EncodedHistory;
}

/**
 * The state as persisted: a blend's history values (and their peaks, while it learns
 * bursts) move to `demand`, encoded; the rest, the fitted forecaster included, as is.
 */
export function persistable(state: ScalerState): { state: ScalerState; demand?: EncodedHistory } {
  if (state.algorithm !== 'blend') return { state };
  const b = state.blend;
  const h = b.history;
  // Peaks of another length than the values count as unknown in core: none are kept then.
  const peaks = h.peaks !== undefined && h.peaks.length === h.values.length ? h.peaks : undefined;
  const demand = encodeHistory(h.firstBin, h.values, MAX_HISTORY_CHARS, peaks);
  const history = { ...h, firstBin: 0, values: [], ...(h.peaks !== undefined ? { peaks: [] } : {}) };
  return { state: { algorithm: 'blend', blend: { ...b, history } }, demand };
}

export function encodeState(scaler: string, savedAt: number, state: ScalerState): string {
  const p: PersistedState = { format: STATE_FORMAT, scaler, savedAt, ...persistable(state) };
  return JSON.stringify(p);
}

/** Puts the encoded history (and peaks) back into the state; null when it does not decode. */
function restoreHistory(p: PersistedState): PersistedState | null {
  if (p.demand === undefined || p.state.algorithm !== 'blend') return p;
  const values = decodeHistory(p.demand);
  const peaks = decodePeaks(p.demand);
  if (values === null || peaks === null) return null;
  const h = p.state.blend.history;
  const history = { ...h, firstBin: p.demand.firstBin, values, ...(peaks !== undefined ? { peaks } : {}) };
  return { ...p, state: { algorithm: 'blend', blend: { ...p.state.blend, history } } };
}

/** True when a restored blend state carries demand history (a format-2 save), so it need not be reloaded. */
export function hasDemandHistory(state: ScalerState): boolean {
  return state.algorithm === 'blend' && state.blend.history.values.length > 0;
}

/** The saved state if it belongs to `scaler`; null otherwise or when unreadable. */
export function decodeState(text: unknown, scaler: string): PersistedState | null {
  if (typeof text !== 'string' || text === '') return null;
  try {
    const p = JSON.parse(text) as Partial<PersistedState>;
    if ((p.format !== STATE_FORMAT && p.format !== 1) || p.scaler !== scaler || typeof p.savedAt !== 'number' || typeof p.state !== 'object' || p.state === null) return null;
    return restoreHistory(p as PersistedState);
  } catch {
    return null;
  }
}
