/**
 * What the stand-in API server does with a request, by path: list (with
 * `labelSelector`), watch, create, get, replace, patch and delete of the resource types
 * it serves; the `status` subresource (the main resource ignores status, `/status`
 * ignores the rest) and the `scale` subresource of apps/v1 workloads (an
 * `autoscaling/v1` Scale over `spec.replicas`); merge patch and JSON patch, and 415 for
 * strategic merge patch on custom resources, as the real server.
 * @module
 */
import type { ServerResponse } from 'node:http';
import { matchesLabels, parseLabelSelector, selectorString } from '../controller/labelSelector.js';
import { ApiError, isObject } from './apiError.js';
import type { KubeObject, ObjectStore } from './objectStore.js';
import { jsonPatch, type JsonPatchOp, mergePatch } from './patch.js';
import { apiVersionOf, type ResourceType } from './resources.js';
import type { WatchHub } from './watchHub.js';

export interface Routes {
  resources: readonly ResourceType[];
  store: ObjectStore;
  watches: WatchHub;
}

export interface ApiRequest {
  method: string;
  /** Without the query. */
  path: string;
  query: Record<string, string>;
  contentType: string;
  /** Parsed body of writes. */
  body: unknown;
}

/** Serves `req`: answers through `answer`, or keeps `res` open for a watch. Throws ApiError. */
export function route(routes: Routes, req: ApiRequest, res: ServerResponse, answer: (status: number, payload: unknown) => void): void {
  const { method, path, query, contentType, body } = req;
  const { store } = routes;
  const seg = path.split('/').filter(Boolean);
  let group: string;
  let version: string;
  let rest: string[];
  if (seg[0] === 'api') {
    group = '';
    version = seg[1] ?? '';
    rest = seg.slice(2);
  } else if (seg[0] === 'apis') {
    group = seg[1] ?? '';
    version = seg[2] ?? '';
    rest = seg.slice(3);
  } else throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${path})`);
  let namespace: string | null = null;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1] ?? null;
    rest = rest.slice(2);
  }
  const [plural, name, sub] = rest;
  if (plural === undefined && namespace === null && method === 'GET') return answer(200, discovery(routes.resources, group, version, path));
  const r = routes.resources.find((x) => x.group === group && x.version === version && x.plural === plural);
  if (!r) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${path})`);
  const ns = namespace ?? '';

  if (name === undefined) {
    if (method === 'GET') {
      if (query.watch === 'true' || query.watch === '1') return routes.watches.serve(r, namespace, query, res);
      const selector = query.labelSelector ? parseLabelSelector(query.labelSelector) : null;
      const items = [...store.all(r)].filter(
        (o) => (namespace === null || o.metadata?.namespace === namespace) && (selector === null || matchesLabels(selector, o.metadata?.labels)),
      );
      return answer(200, { apiVersion: apiVersionOf(r), kind: `${r.kind}List`, metadata: { resourceVersion: String(store.version) }, items });
    }
    if (method === 'POST') {
      if (!isObject(body)) throw new ApiError(400, 'BadRequest', 'expected an object');
      const o = body as KubeObject;
      if (r.namespaced && o.metadata?.namespace !== undefined && o.metadata.namespace !== ns) {
        throw new ApiError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
      }
      // With a status subresource, a create through the API ignores status.
      const { status: _ignored, ...rest } = o;
      return answer(201, store.create(r, ns, r.status ? (rest as KubeObject) : o));
    }
    throw new ApiError(405, 'MethodNotAllowed', `${method} is not supported on a collection`);
  }

  const existing = store.find(r, ns, name);
  if (sub !== undefined && sub !== 'status' && !(sub === 'scale' && r.scale)) {
    throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${path})`);
  }
  if (sub === 'status' && !r.status) throw new ApiError(404, 'NotFound', `${r.plural} has no status subresource`);
  if (!existing && method !== 'PUT') throw new ApiError(404, 'NotFound', `${r.plural}${r.group ? `.${r.group}` : ''} "${name}" not found`);
  if (method === 'DELETE') return answer(200, store.delete(r, ns, name, existing as KubeObject));

  if (sub === 'scale') {
    const current = existing as KubeObject;
    const scale = scaleOf(current);
    if (method === 'GET') return answer(200, scale);
    let next: unknown;
    if (method === 'PUT') next = body;
    else if (method === 'PATCH') next = applyPatch(r, contentType, scale, body);
    else throw new ApiError(405, 'MethodNotAllowed', `${method} is not supported on scale`);
    if (!isObject(next) || !isObject(next.spec)) throw new ApiError(422, 'Invalid', 'Scale.spec: Required value');
    const replicas = next.spec.replicas;
    if (!Number.isInteger(replicas) || (replicas as number) < 0) {
      throw new ApiError(422, 'Invalid', `Scale.spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`);
    }
    const meta = isObject(next.metadata) ? next.metadata : {};
    const updated = store.update(r, ns, name, {
      ...current,
      metadata: { ...current.metadata, resourceVersion: typeof meta.resourceVersion === 'string' ? meta.resourceVersion : undefined },
      spec: { ...(isObject(current.spec) ? current.spec : {}), replicas },
    } as KubeObject, current);
    return answer(200, scaleOf(updated));
  }

  if (method === 'GET') return answer(200, existing);
  let next: KubeObject;
  if (method === 'PUT') {
    if (!isObject(body)) throw new ApiError(400, 'BadRequest', 'expected an object');
    if (!existing) return answer(201, store.create(r, ns, body as KubeObject));
    next = body as KubeObject;
  } else if (method === 'PATCH') {
    next = applyPatch(r, contentType, existing as KubeObject, body) as KubeObject;
  } else throw new ApiError(405, 'MethodNotAllowed', `${method} is not supported`);
  const current = existing as KubeObject;
  // The status subresource splits writes: /status changes only status, the main
  // resource everything but status.
  if (r.status) {
    if (sub === 'status') next = { ...current, metadata: { ...current.metadata, resourceVersion: next.metadata?.resourceVersion }, status: next.status };
    else next = { ...next, status: current.status } as KubeObject;
    if (next.status === undefined) delete next.status;
  }
  if (method === 'PATCH' && next.metadata?.resourceVersion === current.metadata?.resourceVersion && !patchSetsVersion(body)) {
    // A patch without a resourceVersion of its own applies to the latest version.
    next = { ...next, metadata: { ...next.metadata, resourceVersion: undefined } } as KubeObject;
  }
  return answer(200, store.update(r, ns, name, next, current));
}

function patchSetsVersion(body: unknown): boolean {
  if (Array.isArray(body)) return body.some((op) => isObject(op) && op.path === '/metadata/resourceVersion');
  return isObject(body) && isObject(body.metadata) && body.metadata.resourceVersion !== undefined;
}

function applyPatch(r: ResourceType, contentType: string, target: unknown, body: unknown): unknown {
  switch (contentType) {
    case 'application/merge-patch+json':
      return mergePatch(target, body);
    case 'application/json-patch+json':
      if (!Array.isArray(body)) throw new ApiError(400, 'BadRequest', 'a JSON patch must be an array of operations');
      try {
        return jsonPatch(target, body as JsonPatchOp[]);
      } catch (error) {
        throw new ApiError(422, 'Invalid', `the JSON patch failed: ${(error as Error).message}`);
      }
    case 'application/strategic-merge-patch+json':
      if (r.group !== '' && r.group !== 'apps' && r.group !== 'coordination.k8s.io' && r.group !== 'events.k8s.io') {
        throw new ApiError(415, 'UnsupportedMediaType', 'strategic merge patch is not supported for custom resources');
      }
      return mergePatch(target, body);
    default:
      throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json (got "${contentType}")`);
  }
}

/** The APIResourceList of a group version (API discovery), with the scale and status subresources. */
function discovery(resources: readonly ResourceType[], group: string, version: string, path: string): unknown {
  const served = resources.filter((r) => r.group === group && r.version === version);
  if (served.length === 0) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${path})`);
  const verbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: served.flatMap((r) => [
      { name: r.plural, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs },
      ...(r.scale ? [{ name: `${r.plural}/scale`, singularName: '', namespaced: r.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }] : []),
      ...(r.status ? [{ name: `${r.plural}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] }] : []),
    ]),
  };
}

/** The autoscaling/v1 Scale of a workload: apps/v1's, or a custom resource's (`status.selector` as its labelSelectorPath). */
function scaleOf(o: KubeObject): KubeObject {
  const spec = isObject(o.spec) ? o.spec : {};
  const status = isObject(o.status) ? o.status : {};
  const selector = isObject(spec.selector) && isObject(spec.selector.matchLabels) ? (spec.selector.matchLabels as Record<string, string>) : {};
  const statusSelector = typeof status.selector === 'string' ? status.selector : null;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: {
      name: o.metadata?.name,
      namespace: o.metadata?.namespace,
      uid: o.metadata?.uid,
      resourceVersion: o.metadata?.resourceVersion,
      creationTimestamp: o.metadata?.creationTimestamp,
    },
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 1 },
    status: { replicas: typeof status.replicas === 'number' ? status.replicas : 0, selector: statusSelector ?? selectorString(selector) },
  };
}
