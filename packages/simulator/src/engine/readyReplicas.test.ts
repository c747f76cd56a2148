import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { RUNS } from '../testSupport.js';
import { ReadyReplicas } from './readyReplicas.js';
import type { Replica } from './replica.js';

type Routed = Pick<Replica, 'id' | 'outstanding' | 'readyIndex'>;

const op = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), outstanding: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('change' as const), pick: fc.nat(), outstanding: fc.integer({ min: 0, max: 4 }) }),
);

test.prop([fc.array(op, { maxLength: 100 })], { numRuns: RUNS })('leastRequest picks the fewest outstanding requests, the lowest id on ties', (ops) => {
  const ready = new ReadyReplicas();
  const inside: Routed[] = [];
  let nextId = 0;
  for (const o of ops) {
    if (o.kind === 'add') {
      // Ids in a shuffled order, as replicas become ready in any order.
      const r: Routed = { id: (nextId++ * 7) % 101, outstanding: o.outstanding, readyIndex: -1 };
      ready.add(r as Replica);
      inside.push(r);
    } else if (inside.length > 0) {
      const r = inside[o.pick % inside.length]!;
      if (o.kind === 'remove') {
        ready.remove(r as Replica);
        inside.splice(inside.indexOf(r), 1);
        expect(r.readyIndex).toBe(-1);
      } else {
        r.outstanding = o.outstanding;
        ready.refresh(r as Replica);
      }
    }
    for (const r of inside) expect(ready.list[r.readyIndex]).toBe(r);
    const best = inside.reduce<Routed | null>((b, r) => (b === null || r.outstanding < b.outstanding || (r.outstanding === b.outstanding && r.id < b.id) ? r : b), null);
    expect(ready.leastRequest()).toBe(best);
  }
});
