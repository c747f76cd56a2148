/**
 * What validateSpec.ts (and validateOptimizer.ts) report about a spec: the field, as a
 * dotted path from `spec`, and what is wrong; and the target apiVersion rule both use.
 * @module
 */

/** A spec problem: the dotted path of the field (from `spec`) and what is wrong. */
export interface SpecError {
  field: string;
  message: string;
}

/** `group/version`, or a core version: any API the target's kind lives in (found through discovery). */
export const API_VERSION_PATTERN = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;
