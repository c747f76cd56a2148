/**
 * The PodAutoscaler CustomResourceDefinition, generated from the zod schemas of spec.ts
 * and status.ts, so the cluster validates exactly what the controller parses. zod's
 * OpenAPI 3.0 output is made structural the way Kubernetes wants it
 * (reference/ecosystem.md 6.3): no `additionalProperties: false`, no JavaScript-sized
 * integer bounds, `format: int32` on integers, conditions as a list map keyed by type;
 * and the rules between fields the server can check, as CEL (celRules.ts).
 * `examples/operator/crd.yaml` is this object; a test keeps the two equal.
 * @module
 */
import { z } from 'zod';
import { addCelRules } from './celRules.js';
import { GROUP, KIND, PLURAL, SHORT_NAMES, SINGULAR, VERSION } from './names.js';
import { PodAutoscalerSpecSchema } from './spec.js';
import { PodAutoscalerStatusSchema } from './status.js';

export type JsonSchema = { [key: string]: unknown };

const JS_INT_LIMIT = Number.MAX_SAFE_INTEGER;

/** Rewrites zod's JSON schema into a Kubernetes structural schema (in place). */
function structural(node: unknown, key = ''): void {
  if (Array.isArray(node)) {
    for (const item of node) structural(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const schema = node as JsonSchema;
  delete schema.$schema;
  if (schema.additionalProperties === false) delete schema.additionalProperties;
  if (schema.type === 'integer') {
    if (schema.maximum === JS_INT_LIMIT) delete schema.maximum;
    if (schema.minimum === -JS_INT_LIMIT) delete schema.minimum;
    schema.format = 'int32';
  }
  if (key === 'conditions' && schema.type === 'array') {
    schema['x-kubernetes-list-type'] = 'map';
    schema['x-kubernetes-list-map-keys'] = ['type'];
  }
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'properties' && v && typeof v === 'object') {
      for (const [name, child] of Object.entries(v as JsonSchema)) structural(child, name);
    } else structural(v, k);
  }
}

/** The OpenAPI v3 schema of a whole PodAutoscaler object. */
export function podAutoscalerOpenApiSchema(): JsonSchema {
  const spec = z.toJSONSchema(PodAutoscalerSpecSchema, { target: 'openapi-3.0', io: 'input' }) as JsonSchema;
  const status = z.toJSONSchema(PodAutoscalerStatusSchema, { target: 'openapi-3.0', io: 'input' }) as JsonSchema;
  structural(spec);
  structural(status);
  addCelRules(spec);
  return {
    type: 'object',
    description: 'Scales a workload on its pods\u2019 metrics with prescale\u2019s KPA, HPA or APA, optionally ahead of forecast load.',
    required: ['spec'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec,
      status,
    },
  };
}

/** The CustomResourceDefinition manifest (apiextensions.k8s.io/v1). */
export function podAutoscalerCrd(): JsonSchema {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${PLURAL}.${GROUP}` },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { kind: KIND, listKind: `${KIND}List`, plural: PLURAL, singular: SINGULAR, shortNames: SHORT_NAMES },
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            { name: 'Min', type: 'integer', jsonPath: '.spec.minReplicas' },
            { name: 'Max', type: 'integer', jsonPath: '.spec.maxReplicas' },
            { name: 'Desired', type: 'integer', jsonPath: '.status.desiredScale' },
            { name: 'Replicas', type: 'integer', jsonPath: '.status.actualScale' },
            { name: 'Strategy', type: 'string', jsonPath: '.spec.scalingStrategy' },
            { name: 'Predictive', type: 'string', jsonPath: '.spec.predictive.mode', priority: 1 },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: { openAPIV3Schema: podAutoscalerOpenApiSchema() },
        },
      ],
    },
  };
}
