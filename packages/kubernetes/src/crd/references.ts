/**
 * The references a PodAutoscaler spec makes to other objects: the workload it scales
 * (AIBrix's `scaleTargetRef`, reference/aibrix.md 1.1) and a Secret holding an
 * endpoint's credentials. Shared by the single-target strategies (spec.ts) and the
 * optimizer's targets (optimizerSpec.ts).
 * @module
 */
import { z } from 'zod';

export const ScaleTargetRefSchema = z
  .object({
    apiVersion: z.string().min(1).max(253).describe('API version of the target (group/version); default apps/v1.').optional(),
    kind: z
      .string()
      .min(1)
      .max(63)
      .describe('Any kind with a scale subresource, found through API discovery as the HPA does: Deployment, StatefulSet, ReplicaSet, LeaderWorkerSet, RayClusterFleet, a StormService (with subTargetSelector for one role), a custom workload.'),
    name: z.string().min(1).max(253),
  })
  .describe('The workload whose scale subresource is set.');

export const AuthSecretRefSchema = z
  .object({ name: z.string().min(1).describe('Name of a Secret in the PodAutoscaler\u2019s namespace.') })
  .describe(
    'Credentials for the endpoint, from a Secret in the PodAutoscaler\u2019s namespace: key `token` (bearer token) or keys `username` and `password` (basic auth). Never written to status, Events or logs.',
  );

export type ScaleTargetRef = z.infer<typeof ScaleTargetRefSchema>;
export type AuthSecretRef = z.infer<typeof AuthSecretRefSchema>;
