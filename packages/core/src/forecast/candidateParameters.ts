/**
 * What a fitted candidate needs to forecast again later (plain JSON, kept in a fit):
 * Scryer's pattern variant, form and level weights; Holt-Winters' smoothing constants;
 * nothing for the baselines.
 * @module
 */

/** Scryer's pattern variants: the same slot over the last k weeks, days, or days of the same kind (weekday or weekend). */
export type ScryerPatternKind = 'weekly' | 'daily' | 'daily-same-kind';
/** The plain pattern, or the pattern corrected by the recent level additively or multiplicatively. */
export type ScryerForm = 'pattern' | 'add' | 'mul';

/** A Scryer candidate as a fit keeps it: its pattern variant, its form and its level weights. */
export interface ScryerParameters {
  pattern: ScryerPatternKind;
  k: number;
  form: ScryerForm;
  /** The fitted level weights β (four; empty for the plain pattern). */
  weights: number[];
}

/** Holt-Winters' smoothing constants: level, trend and (daily) season. */
export interface HoltWintersParameters {
  alpha: number;
  beta: number;
  gamma: number;
}

export interface CandidateParameters {
  scryer?: ScryerParameters;
  holtWinters?: HoltWintersParameters;
}
