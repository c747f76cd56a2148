/**
 * The HPA's stabilisation windows (horizontal.go; reference B.4 and B.5.3). Each sync
 * stores its unstabilised recommendation; the stabilised count moves toward the new
 * one only as far as every recommendation within the window allows: up to the lowest
 * of the scale-up window, down to the highest of the scale-down window.
 * @module
 */
import type { Recommendation, ResolvedBehavior } from './types.js';

export interface Stabilized {
  replicas: number;
  /** The stored recommendations after this one was recorded. */
  recommendations: Recommendation[];
}

/** Stores `desired`, reusing the last slot that is older than every window (upstream's order). */
function store(recommendations: readonly Recommendation[], oldIndex: number, desired: number, now: number): Recommendation[] {
  const next = recommendations.slice();
  const entry = { replicas: desired, at: now };
  if (oldIndex >= 0) next[oldIndex] = entry;
  else next.push(entry);
  return next;
}

/**
 * Legacy path without `behavior` (`stabilizeRecommendation`): no scale-up
 * stabilisation; scale-down to the highest recommendation of the last
 * `windowSeconds` (default 300).
 */
export function stabilizeLegacy(
  recommendations: readonly Recommendation[],
  now: number,
  desired: number,
  windowSeconds: number,
): Stabilized {
  const cutoff = now - windowSeconds * 1000;
  let max = desired;
  let oldIndex = -1;
  for (let i = 0; i < recommendations.length; i++) {
    const rec = recommendations[i]!;
    if (rec.at < cutoff) oldIndex = i;
    else if (rec.replicas > max) max = rec.replicas;
  }
  return { replicas: max, recommendations: store(recommendations, oldIndex, desired, now) };
}

/** With `behavior` (`stabilizeRecommendationWithBehaviors`). Cutoffs are strict, as upstream. */
export function stabilizeWithBehavior(
  recommendations: readonly Recommendation[],
  now: number,
  current: number,
  desired: number,
  behavior: ResolvedBehavior,
): Stabilized {
  const upCutoff = now - behavior.scaleUp.stabilizationWindowSeconds * 1000;
  const downCutoff = now - behavior.scaleDown.stabilizationWindowSeconds * 1000;
  let up = desired;
  let down = desired;
  let oldIndex = -1;
  for (let i = 0; i < recommendations.length; i++) {
    const rec = recommendations[i]!;
    if (rec.at > upCutoff && rec.replicas < up) up = rec.replicas;
    if (rec.at > downCutoff && rec.replicas > down) down = rec.replicas;
    if (rec.at < upCutoff && rec.at < downCutoff) oldIndex = i;
  }
  let replicas = current;
  if (replicas < up) replicas = up;
  if (replicas > down) replicas = down;
  return { replicas, recommendations: store(recommendations, oldIndex, desired, now) };
}
