/**
 * Test support (not exported): the number of property-test runs and a validator of
 * whole PodAutoscaler objects against the CRD's OpenAPI schema, as the API server
 * applies it: ajv in draft-04 mode (Kubernetes' dialect), with `format: int32` checked
 * for range as kube-openapi does (a status field past 2^31 − 1 is rejected); the count
 * of an error kind in the operator's metrics.
 * @module
 */
import Ajv from 'ajv-draft-04';
import type { ControllerMetrics } from './controller/controllerMetrics.js';
import { podAutoscalerCrd } from './crd/crd.js';

export const RUNS = Math.max(1000, Number(process.env.PRESCALE_FC_RUNS ?? 0));

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Kubernetes' `format: int32` for ajv (the CRD puts it on every integer), checked for range. */
export const int32Format = { type: 'number' as const, validate: (n: number) => Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX };

/** A validator of PodAutoscaler objects (spec and status) against the CRD's schema. */
export function crdValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('int32', int32Format);
  const schema = (podAutoscalerCrd().spec as { versions: Array<{ schema: { openAPIV3Schema: object } }> }).versions[0]?.schema.openAPIV3Schema ?? {};
  return ajv.compile(schema);
}

/** `prescale_errors_total` summed over the series of one kind. */
export async function errorsOfKind(metrics: ControllerMetrics, kind: string): Promise<number> {
  const values = (await metrics.registry.getSingleMetric('prescale_errors_total')?.get())?.values ?? [];
  return values.filter((v) => v.labels.kind === kind).reduce((sum, v) => sum + v.value, 0);
}
