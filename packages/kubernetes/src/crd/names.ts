/**
 * The names of prescale's custom resource: `autoscaling.prescale.dev/v1alpha1`,
 * kind `PodAutoscaler`, close to AIBrix's `autoscaling.aibrix.ai/v1alpha1` PodAutoscaler
 * (reference/aibrix.md 1).
 * @module
 */
export const GROUP = 'autoscaling.prescale.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = 'PodAutoscaler';
export const PLURAL = 'podautoscalers';
export const SINGULAR = 'podautoscaler';
export const SHORT_NAMES = ['psa'];

/** The field manager, event source and Lease name prefix the operator uses. */
export const CONTROLLER_NAME = 'prescale-operator';
