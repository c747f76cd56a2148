/**
 * The stand-in's storage, as etcd under the API server: the objects of each resource
 * type, one global increasing `resourceVersion` (etcd's revision), the resourceVersion
 * precondition of updates (409 Conflict), `metadata.generation` counting spec changes,
 * and the bounded history of changes that watches replay; versions older than the
 * history are gone (compacted).
 * @module
 */
import { ApiError } from './apiError.js';
import { apiVersionOf, resourceKey, type ResourceType } from './resources.js';

export type KubeObject = Record<string, unknown> & {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown> & {
    name?: string | undefined;
    namespace?: string | undefined;
    resourceVersion?: string | undefined;
    labels?: Record<string, string> | undefined;
  };
};

/** A stored change, as a watch delivers it. */
export interface WatchEvent {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** {@link resourceKey} of the object's type. */
  resource: string;
  object: KubeObject;
}

/** `object` as stored: its type's apiVersion and kind, its name and namespace, and the server's metadata. */
function stamp(r: ResourceType, namespace: string, name: string, object: KubeObject, server: Record<string, unknown>): KubeObject {
  return {
    ...object,
    apiVersion: apiVersionOf(r),
    kind: r.kind,
    metadata: { ...(object.metadata ?? {}), name, ...(r.namespaced ? { namespace } : {}), ...server },
  };
}

export class ObjectStore {
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: WatchEvent[] = [];
  private rv = 1;
  /** Events at or below this version are gone (compacted). */
  private compactedRv = 0;
  private uidCounter = 0;

  /**
   * @param historyLimit changes kept for watches to replay
   * @param onChange called after every stored change
   */
  constructor(
    resources: readonly ResourceType[],
    private readonly historyLimit: number,
    private readonly onChange: (event: WatchEvent, resource: ResourceType) => void,
  ) {
    for (const r of resources) this.objects.set(resourceKey(r), new Map());
  }

  /** The latest resourceVersion. */
  get version(): number {
    return this.rv;
  }

  /** The newest version whose changes are gone. */
  get compactedVersion(): number {
    return this.compactedRv;
  }

  /** The stored objects of a type (not copies). */
  all(r: ResourceType): Iterable<KubeObject> {
    return this.of(r).values();
  }

  /** The stored object (not a copy), or undefined. */
  find(r: ResourceType, namespace: string, name: string): KubeObject | undefined {
    return this.of(r).get(this.key(r, namespace, name));
  }

  /** The changes after version `rv`, oldest first. */
  since(rv: number): WatchEvent[] {
    return this.history.filter((e) => e.rv > rv);
  }

  /** Forgets the history: a watch from any older resourceVersion gets 410 Gone. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history.length = 0;
  }

  create(r: ResourceType, namespace: string, object: KubeObject): KubeObject {
    const map = this.of(r);
    const name = object.metadata?.name;
    if (!name) throw new ApiError(422, 'Invalid', 'metadata.name: Required value');
    if (map.has(this.key(r, namespace, name))) throw new ApiError(409, 'AlreadyExists', `${r.plural} "${name}" already exists`);
    const problem = r.validate?.(object);
    if (problem) throw new ApiError(422, 'Invalid', `${r.kind} "${name}" is invalid: ${problem}`);
    const rv = this.nextRv();
    const stored = stamp(r, namespace, name, object, {
      uid: `uid-${++this.uidCounter}`,
      resourceVersion: String(rv),
      generation: 1,
      creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    map.set(this.key(r, namespace, name), stored);
    this.record('ADDED', r, stored, rv);
    return stored;
  }

  /** Stores `next` over `existing`, checking the resourceVersion precondition. */
  update(r: ResourceType, namespace: string, name: string, next: KubeObject, existing: KubeObject): KubeObject {
    const expected = next.metadata?.resourceVersion;
    if (expected !== undefined && expected !== '' && expected !== existing.metadata?.resourceVersion) {
      throw new ApiError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${r.plural}${r.group ? `.${r.group}` : ''} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    const problem = r.validate?.(next);
    if (problem) throw new ApiError(422, 'Invalid', `${r.kind} "${name}" is invalid: ${problem}`);
    const specChanged = JSON.stringify(next.spec) !== JSON.stringify(existing.spec);
    const rv = this.nextRv();
    const generation = Number(existing.metadata?.generation ?? 1) + (specChanged ? 1 : 0);
    const stored = stamp(r, namespace, name, next, {
      uid: existing.metadata?.uid,
      creationTimestamp: existing.metadata?.creationTimestamp,
      resourceVersion: String(rv),
      generation,
    });
    this.of(r).set(this.key(r, namespace, name), stored);
    this.record('MODIFIED', r, stored, rv);
    return stored;
  }

  delete(r: ResourceType, namespace: string, name: string, existing: KubeObject): KubeObject {
    this.of(r).delete(this.key(r, namespace, name));
    const rv = this.nextRv();
    const gone = { ...existing, metadata: { ...existing.metadata, resourceVersion: String(rv) } };
    this.record('DELETED', r, gone, rv);
    return gone;
  }

  private of(r: ResourceType): Map<string, KubeObject> {
    return this.objects.get(resourceKey(r)) as Map<string, KubeObject>;
  }

  private key(r: ResourceType, namespace: string, name: string): string {
    return r.namespaced ? `${namespace}/${name}` : name;
  }

  private nextRv(): number {
    this.rv += 1;
    return this.rv;
  }

  private record(type: WatchEvent['type'], r: ResourceType, object: KubeObject, rv: number): void {
    const event: WatchEvent = { rv, type, resource: resourceKey(r), object };
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.splice(0, this.history.length - this.historyLimit);
      this.compactedRv = dropped[dropped.length - 1]?.rv ?? this.compactedRv;
    }
    this.onChange(event, r);
  }
}
