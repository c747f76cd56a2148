/**
 * The bounded predictive wake-up (issue 21; docs/simulations.md, "Many models"): how
 * long a forecast may keep a scale-to-zero target awake on its own. Before, the blend
 * kept the activation scale for as long as the forecast's upper quantile over the lead
 * time stayed above `zeroBelowRps`: a forecast that expected traffic which did not come
 * billed a replica for the whole expected stretch, and one whose traffic came held the
 * target awake between requests after the reactive scaler had let it go. Measured on
 * 20 models, that cost 0.56× the GPU-hours of `minReplicas: 1` against 0.49× for reactive
 * scale to zero alone. Here a stretch of expected traffic may wake the target once:
 *
 * - `armed`: no predicted wake-up in this stretch yet. When the forecast expects traffic
 *   within the lead time, the target is woken (or, already up with no traffic, kept)
 *   and the phase becomes `woken`.
 * - `woken`: the prediction holds the activation scale until traffic comes (a request
 *   rate above 0, or a reactive scaler that wants replicas) or for the lead time plus
 *   `wakeUpHoldSeconds` after the wake-up, whichever is first; then `spent`.
 * - `spent`: the wake-up was used: the reactive scaler alone takes the target to zero
 *   (after its grace period), and only a request (reactive path) wakes it again until
 *   the forecast stops expecting traffic, which re-arms it (hysteresis: a false wake-up
 *   costs one lead time plus the hold, not the whole stretch, and is not repeated on
 *   every bin of the stretch).
 *
 * Pure; time is an argument and the state is plain JSON.
 * @module
 */

export type WakeUpPhase = 'armed' | 'woken' | 'serving' | 'spent';

/** The wake-up rule's state, kept in the blend's state. */
export interface WakeUpState {
  phase: WakeUpPhase;
  /** When the phase began (`serving`: the last step with traffic), ms since the epoch. */
  sinceMs: number;
}

/** The state before any wake-up (also what a state saved without one reads as). */
export const ARMED: WakeUpState = { phase: 'armed', sinceMs: 0 };

export interface WakeUpInput {
  now: number;
  /** The forecast expects traffic within the wake-up lead time. */
  expected: boolean;
  /** Traffic is there: requests arrived since the last step (or, with no rate observed, the reactive scaler wants replicas). */
  traffic: boolean;
}

export interface WakeUpStep {
  state: WakeUpState;
  /** The prediction holds (or wakes) the activation scale now. */
  hold: boolean;
  /** Why, in words a user reads in the decision. */
  why: string;
}

/** How long the rule holds: a predicted wake-up waiting for its traffic (from its order), and a target whose traffic paused (from its last request). */
export interface WakeUpHolds {
  wokenMs: number;
  idleMs: number;
  /** false: the forecast never wakes a target at zero; it only holds one after traffic. */
  wake: boolean;
}

const PHASES: readonly WakeUpPhase[] = ['armed', 'woken', 'serving', 'spent'];

/** Reads a possibly absent or malformed saved state as a valid one. */
export function wakeUpState(saved: unknown): WakeUpState {
  const s = saved as Partial<WakeUpState> | null | undefined;
  if (s === null || s === undefined || typeof s !== 'object') return ARMED;
  const phase = PHASES.includes(s.phase as WakeUpPhase) ? (s.phase as WakeUpPhase) : 'armed';
  return { phase, sinceMs: typeof s.sinceMs === 'number' && Number.isFinite(s.sinceMs) ? s.sinceMs : 0 };
}

/** One step of the wake-up rule. */
export function wakeUpStep(holds: WakeUpHolds, state: WakeUpState, input: WakeUpInput): WakeUpStep {
  const { now, expected, traffic } = input;
  if (traffic) return { state: { phase: 'serving', sinceMs: now }, hold: expected, why: 'traffic is there' };
  if (!expected) return { state: ARMED, hold: false, why: 'the forecast expects no traffic within the lead time' };
  // A saved time in the future (a clock moved back) counts from now.
  const since = Math.min(state.sinceMs, now);
  const spent = (why: string): WakeUpStep => ({ state: { phase: 'spent', sinceMs: now }, hold: false, why });
  switch (state.phase) {
    case 'serving':
      if (now - since < holds.idleMs) return { state: { phase: 'serving', sinceMs: since }, hold: true, why: 'traffic paused while the forecast expects more: held for a while' };
      return spent('no request for the idle hold although the forecast expects traffic: released until a request or a new stretch of expected traffic');
    case 'woken':
      if (now - since < holds.wokenMs) return { state: { phase: 'woken', sinceMs: since }, hold: true, why: 'woken for traffic the forecast expects; waiting for it' };
      return spent('no traffic followed the predicted wake-up within the lead time and the hold: released until a request or a new stretch of expected traffic');
    case 'spent':
      return { state, hold: false, why: 'released in this stretch of expected traffic: a request wakes the target (reactive path)' };
    case 'armed':
      if (!holds.wake) return { state, hold: false, why: 'predicted wake-ups are off' };
      return { state: { phase: 'woken', sinceMs: now }, hold: true, why: 'the forecast expects traffic within the lead time: woken ahead of it' };
  }
}
