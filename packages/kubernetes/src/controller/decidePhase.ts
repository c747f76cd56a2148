/**
 * The decide phase of a loop: the scaler state restored (kept in memory, else from
 * `status.scalerState` when it belongs to this scaler, else fresh), a predictive
 * scaler's demand history loaded into it once after a start (a restored state brings
 * its own), and
 * `scaler.step` on the observation. Plain data in and out; the controller keeps what
 * it returns.
 * @module
 */
import { isServing, type Scaler, type ScalerDecision, type ScalerState } from '@prescale/core';
import { redactUrl } from './allowList.js';
import type { EndpointTarget } from './endpointAccess.js';
import { errorText, failed, type Stopped } from './loopErrors.js';
import { type SourceFailure, sourceFailure } from './metricFailures.js';
import { type EndpointAuth, type HistoryLoader, type MetricFailureKind, MetricSourceError } from './metricsPort.js';
import { decodeState, hasDemandHistory } from './persistedState.js';
import type { Reading } from './readPhase.js';

/** Days of history loaded for a predictive scaler when the spec does not say. */
export const DEFAULT_LOOKBACK_DAYS = 28;
/** Delay before a failed history load is tried again. */
export const SEED_RETRY_MS = 5 * 60_000;

/** How far loading a predictive scaler's demand history has got. */
export interface SeedProgress {
  /** The history still has to be loaded (after a start or a restore). */
  readonly pending: boolean;
  /** Not before this time (ms since the epoch), after a failed load. */
  readonly retryAt: number;
  /** What the last attempt said, for `status.prediction.message` (no response body, no credential). */
  readonly note: string | null;
  /** The last attempt's failure, while a retry is pending. */
  readonly failure: SourceFailure | null;
}

export const SEED_PENDING: SeedProgress = { pending: true, retryAt: 0, note: null, failure: null };

/** Seeding is done: the history came back with the saved state. */
function resumedSeed(state: ScalerState): SeedProgress {
  const bins = state.algorithm === 'blend' ? state.blend.history.values.filter((v) => v !== null).length : 0;
  return { pending: false, retryAt: 0, note: `resumed ${bins} bins of demand history from status.scalerState`, failure: null };
}

export interface DecidePorts {
  history: HistoryLoader | undefined;
  /** The endpoint gate (allow-list, credentials) for the history's endpoint. */
  open: (target: EndpointTarget) => Promise<EndpointAuth | undefined>;
  /** Counts a failed history load. */
  historyFailed: (kind: MetricFailureKind) => void;
}

export interface DecideRequest {
  reading: Reading;
  /** The state the controller kept from its last loop of this object, if any. */
  kept: { fingerprint: string; state: ScalerState } | null;
  seed: SeedProgress;
  /** `status.scalerState` as read. */
  saved: unknown;
  now: number;
}

/**
 * The step's state and decision, and the state it stepped from (restored and seeded),
 * which stays in force when the decision cannot be carried out; or why the loop stops;
 * and always where seeding stands.
 */
export type Decided = { seed: SeedProgress } & ({ ok: true; before: ScalerState; state: ScalerState; decision: ScalerDecision } | Stopped);

/**
 * Loads the demand history into the state once after a start, or after a restore
 * from a state saved without it (persistedState.ts); a failed load is retried after
 * 5 minutes, and the scaler meanwhile learns from the request rate.
 */
async function seedHistory(
  ports: DecidePorts,
  scaler: Scaler,
  state: ScalerState,
  seed: SeedProgress,
  demand: NonNullable<Reading['demand']>,
  now: number,
): Promise<{ state: ScalerState; seed: SeedProgress }> {
  // The blend's own step: its forecast bin, or finer while it learns the peaks within a bin.
  const stepMs = scaler.demandStepMs;
  if (stepMs === null || !seed.pending || now < seed.retryAt) return { state, seed };
  if (!ports.history) return { state, seed: { pending: false, retryAt: 0, note: 'no history loader: learning the demand history from the request rate only', failure: null } };
  const to = Math.floor(now / stepMs) * stepMs;
  const from = to - (demand.lookbackDays ?? DEFAULT_LOOKBACK_DAYS) * 86_400_000;
  try {
    const auth = await ports.open(demand);
    const rates = await ports.history.load({ endpoint: demand.endpoint, query: demand.query, from, to, stepMs, ...(auth ? { auth } : {}) });
    let seeded: ScalerState;
    try {
      seeded = scaler.seed(state, rates);
    } catch (error) {
      // Core's errors name the field and the value, never a response body.
      throw new MetricSourceError('BadResponse', `the history does not fit the scaler: ${errorText(error)}`, { cause: error });
    }
    const bins = rates.values.filter((v) => v !== null).length;
    return { state: seeded, seed: { pending: false, retryAt: 0, note: `loaded ${bins} bins of demand history from ${redactUrl(demand.endpoint)}`, failure: null } };
  } catch (error) {
    const failure = sourceFailure('predictive.history', error);
    ports.historyFailed(failure.kind);
    return { state, seed: { pending: true, retryAt: now + SEED_RETRY_MS, note: `history load failed, retrying in 5 min: ${failure.message}`, failure } };
  }
}

export async function decide(ports: DecidePorts, request: DecideRequest): Promise<Decided> {
  const { reading, now } = request;
  const { scaler, fingerprint, observation } = reading;
  let seed = request.seed;
  let state = request.kept?.fingerprint === fingerprint ? request.kept.state : null;
  if (!state) {
    // Restored from status or new. A predictive scaler resumes the demand history saved
    // with its state (format 2); one saved without it, or a new one, reloads it.
    const restored = decodeState(request.saved, fingerprint)?.state ?? null;
    state = restored ?? scaler.init({ now, readyPods: observation.pods.filter(isServing).length });
    seed = restored !== null && hasDemandHistory(restored) ? resumedSeed(restored) : SEED_PENDING;
  }
  if (reading.demand) ({ state, seed } = await seedHistory(ports, scaler, state, seed, reading.demand, now));
  try {
    const step = scaler.step(state, observation);
    return { ok: true, seed, before: state, state: step.state, decision: step.decision };
  } catch (error) {
    return { ...failed('FailedDecision', error), seed };
  }
}
