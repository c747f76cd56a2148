/**
 * The scale actions a run took and how often their direction reversed (an increase after
 * a decrease or the reverse): the flapping the report counts. Shared by the single-type
 * and the fleet run.
 * @module
 */

export interface ScaleActions {
  actions: number;
  directionChanges: number;
  /** Sign of the last action that changed the count; 0 before any. */
  lastDirection: number;
}

export function noScaleActions(): ScaleActions {
  return { actions: 0, directionChanges: 0, lastDirection: 0 };
}

/** Counts one action whose net change has sign `direction`; an action with no net change keeps the last direction. */
export function countScaleAction(s: ScaleActions, direction: number): void {
  s.actions++;
  if (direction === 0) return;
  if (s.lastDirection !== 0 && direction !== s.lastDirection) s.directionChanges++;
  s.lastDirection = direction;
}
