/**
 * The scaler state kept in `status.scalerState`, so that a restarted operator or a new
 * leader resumes the windows, panic mode, stabilisation history and forecaster state
 * where the last loop left them instead of starting blind. Core's state is plain JSON
 * (DESIGN.md); it is stored with the fingerprint of the scaler it belongs to, and a
 * state saved for another scaler (the spec changed) is not reused.
 * @module
 */
import type { ScalerState } from '@prescale/core';

export const STATE_FORMAT = 1;

export interface PersistedState {
  format: typeof STATE_FORMAT;
  /** {@link scalerFingerprint} of the scaler that produced the state. */
  scaler: string;
  /** Time of the loop that produced it, ms since the epoch. */
  savedAt: number;
  state: ScalerState;
}

/**
 * The state as persisted: a predictive blend's demand history (up to 12 weeks of bins,
 * and their peaks while it learns bursts) and its fitted forecaster are left out, since they would make every status write heavy
 * and Prometheus keeps the history; the controller reloads it after a restore and the
 * blend fits again. Everything else is kept as is.
 */
export function persistable(state: ScalerState): ScalerState {
  if (state.algorithm !== 'blend') return state;
  const b = state.blend;
  const history = { ...b.history, firstBin: 0, values: [], ...(b.history.peaks !== undefined ? { peaks: [] } : {}) };
  return { algorithm: 'blend', blend: { reactive: b.reactive, history, model: b.model, cache: b.cache } };
}

export function encodeState(scaler: string, savedAt: number, state: ScalerState): string {
  const p: PersistedState = { format: STATE_FORMAT, scaler, savedAt, state: persistable(state) };
  return JSON.stringify(p);
}

/** The saved state if it belongs to `scaler`; null otherwise or when unreadable. */
export function decodeState(text: unknown, scaler: string): PersistedState | null {
  if (typeof text !== 'string' || text === '') return null;
  try {
    const p = JSON.parse(text) as Partial<PersistedState>;
    if (p.format !== STATE_FORMAT || p.scaler !== scaler || typeof p.savedAt !== 'number' || typeof p.state !== 'object' || p.state === null) return null;
    return p as PersistedState;
  } catch {
    return null;
  }
}
