/**
 * The two patch formats the stand-in API server applies: JSON merge patch (RFC 7386,
 * `application/merge-patch+json`) and JSON patch (RFC 6902, `application/json-patch+json`;
 * add, remove, replace and test).
 * @module
 */
type Json = unknown;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export interface JsonPatchOp {
  op: string;
  path: string;
  value?: unknown;
}

export class JsonPatchError extends Error {}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function jsonPatch(target: Json, ops: readonly JsonPatchOp[]): Json {
  let doc = structuredClone(target);
  for (const o of ops) {
    const keys = pointer(o.path);
    const last = keys.pop();
    if (last === undefined) {
      if (o.op === 'replace' || o.op === 'add') doc = structuredClone(o.value);
      else throw new JsonPatchError(`unsupported op ${o.op} on the root`);
      continue;
    }
    let parent: unknown = doc;
    for (const k of keys) {
      parent = Array.isArray(parent) ? parent[Number(k)] : isObject(parent) ? parent[k] : undefined;
      if (parent === undefined) throw new JsonPatchError(`path ${o.path} does not exist`);
    }
    if (Array.isArray(parent)) {
      const i = last === '-' ? parent.length : Number(last);
      if (o.op === 'add') parent.splice(i, 0, structuredClone(o.value));
      else if (o.op === 'remove') parent.splice(i, 1);
      else if (o.op === 'replace') parent[i] = structuredClone(o.value);
      else if (o.op === 'test') {
        if (JSON.stringify(parent[i]) !== JSON.stringify(o.value)) throw new JsonPatchError(`test failed at ${o.path}`);
      } else throw new JsonPatchError(`unsupported op ${o.op}`);
    } else if (isObject(parent)) {
      if (o.op === 'add' || o.op === 'replace') {
        if (o.op === 'replace' && !(last in parent)) throw new JsonPatchError(`path ${o.path} does not exist`);
        parent[last] = structuredClone(o.value);
      } else if (o.op === 'remove') {
        if (!(last in parent)) throw new JsonPatchError(`path ${o.path} does not exist`);
        delete parent[last];
      } else if (o.op === 'test') {
        if (JSON.stringify(parent[last]) !== JSON.stringify(o.value)) throw new JsonPatchError(`test failed at ${o.path}`);
      } else throw new JsonPatchError(`unsupported op ${o.op}`);
    } else throw new JsonPatchError(`path ${o.path} does not exist`);
  }
  return doc;
}
