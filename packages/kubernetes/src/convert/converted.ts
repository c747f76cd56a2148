/**
 * What `prescale convert` makes of one AIBrix manifest (aibrix.ts, aibrixOptimizer.ts).
 * @module
 */

export interface Converted {
  /** The prescale PodAutoscaler, or null when the input was not an AIBrix PodAutoscaler. */
  manifest: Record<string, unknown> | null;
  /** What changes meaning, or was skipped, one sentence each. */
  notes: string[];
  /** What could not be carried over, one sentence each: the conversion is partial. */
  lost: string[];
  /** The result passes prescale's validation (null when nothing was converted). */
  valid: boolean | null;
}
