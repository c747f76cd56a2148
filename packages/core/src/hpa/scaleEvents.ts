/**
 * Storage of the scale events the `behavior` rate limits count (`storeScaleEvent`,
 * horizontal.go; reference B.5.6). Events older than the direction's longest policy
 * period are marked outdated, and the newest event takes the last outdated slot.
 * @module
 */
import type { ResolvedBehavior, ResolvedScalingRules, ScaleEvent } from './types.js';

function longestPeriod(rules: ResolvedScalingRules): number {
  let longest = 0;
  for (const p of rules.policies) longest = Math.max(longest, p.periodSeconds);
  return longest;
}

function add(events: readonly ScaleEvent[], rules: ResolvedScalingRules, change: number, now: number): ScaleEvent[] {
  const cutoff = now - longestPeriod(rules) * 1000;
  const next = events.map((e) => (e.at < cutoff ? { ...e, outdated: true } : e));
  const slot = next.findLastIndex((e) => e.outdated);
  const event = { change, at: now, outdated: false };
  if (slot >= 0) next[slot] = event;
  else next.push(event);
  return next;
}

export function storeScaleEvent(
  events: { scaleUp: readonly ScaleEvent[]; scaleDown: readonly ScaleEvent[] },
  behavior: ResolvedBehavior,
  previous: number,
  next: number,
  now: number,
): { scaleUp: ScaleEvent[]; scaleDown: ScaleEvent[] } {
  if (next > previous) {
    return { scaleUp: add(events.scaleUp, behavior.scaleUp, next - previous, now), scaleDown: events.scaleDown.slice() };
  }
  return { scaleUp: events.scaleUp.slice(), scaleDown: add(events.scaleDown, behavior.scaleDown, previous - next, now) };
}
