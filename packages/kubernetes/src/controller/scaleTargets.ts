/**
 * Where a PodAutoscaler's replicas live, for any target: the `scale` subresource of any
 * kind that has one, its resource found through API discovery as the HPA does
 * (Kubernetes' `scaleForResourceMappings`; reference/knative-hpa.md B.2), and AIBrix's
 * StormService roles with its semantics (`pkg/controller/podautoscaler/workload_scale.go`
 * at e3e10f9): with `subTargetSelector.roleName`, the role's replicas are
 * `status.roleStatuses[role].replicas` (else the role's `replicas` in the template, else
 * 0) and are set in `spec.template.spec.roles[role].replicas`; in `replica` mode (AIBrix's
 * `autoscaling.aibrix.ai/storm-service-mode: replica`) the StormService's own
 * `spec.replicas` is read and set instead. The role's pods are those labelled
 * `storm-service-name=<name>,role-name=<role>`, only the first of each pod group
 * (`pod-group-index=0`) when the role runs groups of several pods (AIBrix #1704).
 * @module
 */
import type { ScaleTargetRef, SubTargetSelector } from '../crd/spec.js';

/** A target: the reference and, for a StormService role, the selector of the role. */
export type ScaleTarget = ScaleTargetRef & { subTargetSelector?: SubTargetSelector | undefined };

/** group, version and plural of a resource. */
export interface Gvr {
  group: string;
  version: string;
  plural: string;
}

/** The generic API calls the targets need (KubeClient implements them). */
export interface GenericApi {
  /** The plural of `kind` in `apiVersion` (discovery). @throws KubeApiError NotFound when the API has no such kind. */
  plural(apiVersion: string, kind: string): Promise<string>;
  getScale(gvr: Gvr, namespace: string, name: string): Promise<unknown>;
  patchScale(gvr: Gvr, namespace: string, name: string, body: unknown): Promise<unknown>;
  getObject(gvr: Gvr, namespace: string, name: string): Promise<unknown>;
  /** A JSON patch (RFC 6902) of the object. */
  jsonPatchObject(gvr: Gvr, namespace: string, name: string, ops: unknown[]): Promise<unknown>;
}

export interface TargetReading {
  replicas: number;
  selector: string;
  resourceVersion: string;
}

/** AIBrix's StormService (orchestration.aibrix.ai) and the labels of its pods (`pkg/controller/constants/stormservice.go`). */
export const STORM_SERVICE = { apiVersion: 'orchestration.aibrix.ai/v1alpha1', kind: 'StormService', plural: 'stormservices' } as const;
export const STORM_SERVICE_NAME_LABEL = 'storm-service-name';
export const ROLE_NAME_LABEL = 'role-name';
export const POD_GROUP_INDEX_LABEL = 'stormservice.orchestration.aibrix.ai/pod-group-index';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function isStormService(ref: ScaleTargetRef): boolean {
  return ref.kind === STORM_SERVICE.kind && (ref.apiVersion ?? '').startsWith('orchestration.aibrix.ai/');
}

/** A Scale object (autoscaling/v1) as a reading; a StormService without a selector gets its pods' label. */
function scaleReading(scale: unknown, ref: ScaleTargetRef): TargetReading {
  const s = obj(scale);
  const selector = typeof obj(s.status).selector === 'string' ? (obj(s.status).selector as string) : '';
  return {
    replicas: num(obj(s.spec).replicas) ?? 0,
    selector: selector === '' && isStormService(ref) ? `${STORM_SERVICE_NAME_LABEL}=${ref.name}` : selector,
    resourceVersion: typeof obj(s.metadata).resourceVersion === 'string' ? (obj(s.metadata).resourceVersion as string) : '',
  };
}

async function gvrOf(api: GenericApi, ref: ScaleTargetRef): Promise<Gvr> {
  const apiVersion = ref.apiVersion ?? 'apps/v1';
  return { ...splitApiVersion(apiVersion), plural: await api.plural(apiVersion, ref.kind) };
}

/** A role of a StormService: its index in the template, replicas and pods. */
function role(ss: unknown, target: ScaleTarget & { subTargetSelector: SubTargetSelector }): TargetReading & { index: number } {
  const o = obj(ss);
  const name = target.subTargetSelector.roleName;
  const roles = (obj(obj(obj(o.spec).template).spec).roles as unknown[] | undefined) ?? [];
  const index = roles.findIndex((r) => obj(r).name === name);
  if (index < 0) throw new Error(`role "${name}" not found in StormService ${target.name}`);
  const spec = obj(roles[index]);
  const status = ((obj(o.status).roleStatuses as unknown[] | undefined) ?? []).map(obj).find((r) => r.name === name);
  const replicas = target.subTargetSelector.mode === 'replica' ? (num(obj(o.spec).replicas) ?? 0) : (num(status?.replicas) ?? num(spec.replicas) ?? 0);
  const groupSize = num(spec.podGroupSize) ?? 1;
  const selector = [`${STORM_SERVICE_NAME_LABEL}=${String(obj(o.metadata).name ?? target.name)}`, `${ROLE_NAME_LABEL}=${name}`, ...(groupSize > 1 ? [`${POD_GROUP_INDEX_LABEL}=0`] : [])].join(',');
  const resourceVersion = typeof obj(o.metadata).resourceVersion === 'string' ? (obj(o.metadata).resourceVersion as string) : '';
  return { index, replicas, selector, resourceVersion };
}

const STORM_GVR: Gvr = { ...splitApiVersion(STORM_SERVICE.apiVersion), plural: STORM_SERVICE.plural };

/** Reads the target's replicas and pod selector. */
export async function readTarget(api: GenericApi, namespace: string, target: ScaleTarget): Promise<TargetReading> {
  const sub = target.subTargetSelector;
  if (sub && isStormService(target)) {
    const { index: _i, ...reading } = role(await api.getObject({ ...STORM_GVR, ...splitApiVersion(target.apiVersion ?? STORM_SERVICE.apiVersion) }, namespace, target.name), { ...target, subTargetSelector: sub });
    return reading;
  }
  return scaleReading(await api.getScale(await gvrOf(api, target), namespace, target.name), target);
}

/**
 * Sets the target's replicas: a merge patch of its `scale` (conditional on
 * `resourceVersion` when given), or, for a StormService role, a JSON patch that first
 * tests the object's version and the role's name, so a concurrent change fails with 409
 * or 422 instead of scaling the wrong role.
 */
export async function patchTarget(api: GenericApi, namespace: string, target: ScaleTarget, replicas: number, resourceVersion?: string): Promise<TargetReading> {
  const sub = target.subTargetSelector;
  if (sub && isStormService(target)) {
    const gvr = { ...STORM_GVR, ...splitApiVersion(target.apiVersion ?? STORM_SERVICE.apiVersion) };
    const current = role(await api.getObject(gvr, namespace, target.name), { ...target, subTargetSelector: sub });
    const test = [{ op: 'test', path: '/metadata/resourceVersion', value: resourceVersion ?? current.resourceVersion }];
    const ops =
      sub.mode === 'replica'
        ? [...test, { op: 'add', path: '/spec/replicas', value: replicas }]
        : [...test, { op: 'test', path: `/spec/template/spec/roles/${current.index}/name`, value: sub.roleName }, { op: 'add', path: `/spec/template/spec/roles/${current.index}/replicas`, value: replicas }];
    const { index: _i, ...reading } = role(await api.jsonPatchObject(gvr, namespace, target.name, ops), { ...target, subTargetSelector: sub });
    return { ...reading, replicas };
  }
  const body = { ...(resourceVersion ? { metadata: { resourceVersion } } : {}), spec: { replicas } };
  const reading = scaleReading(await api.patchScale(await gvrOf(api, target), namespace, target.name, body), target);
  return { ...reading, replicas: reading.replicas || replicas };
}
