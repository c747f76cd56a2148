import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { RUNS } from '../testSupport.js';
import type { Replica } from './replica.js';
import { ReplicaHeap } from './replicaHeap.js';

/** What the heap reads of a replica. */
type Keyed = Pick<Replica, 'id' | 'runEnd' | 'heapIndex'>;

/** Run ends drawn from few values (ties are common) and Infinity (idle replicas). */
const end = fc.oneof(fc.integer({ min: 0, max: 5 }).map((v) => v / 2), fc.constant(Infinity));
const op = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), end }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), end }),
);

test.prop([fc.array(op, { maxLength: 120 })], { numRuns: RUNS })('the top is always the smallest (run end, id) of the replicas in it', (ops) => {
  const heap = new ReplicaHeap();
  const inside: Keyed[] = [];
  let nextId = 0;
  for (const o of ops) {
    if (o.kind === 'insert') {
      const r: Keyed = { id: nextId++, runEnd: o.end, heapIndex: -1 };
      heap.insert(r as Replica);
      inside.push(r);
    } else if (inside.length > 0) {
      const r = inside[o.pick % inside.length]!;
      if (o.kind === 'remove') {
        heap.remove(r as Replica);
        inside.splice(inside.indexOf(r), 1);
      } else {
        r.runEnd = o.end;
        heap.update(r as Replica);
      }
    }
    expect(heap.size).toBe(inside.length);
    const best = inside.reduce<Keyed | null>((b, r) => (b === null || r.runEnd < b.runEnd || (r.runEnd === b.runEnd && r.id < b.id) ? r : b), null);
    expect(heap.topTime()).toBe(best === null ? Infinity : best.runEnd);
    if (best !== null && best.runEnd < Infinity) expect(heap.top().id).toBe(best.id);
  }
});
