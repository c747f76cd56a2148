import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { RUNS } from '../testSupport.js';
import { BlockClasses, blocksFor } from './blockClasses.js';

/** Blocks a sequence of `kv` KV tokens holds. */
const held = (kv: number) => Math.ceil(kv / 16);

test.prop([fc.integer({ min: 0, max: 2 ** 31 - 16 })], { numRuns: RUNS })('blocksFor is ⌈tokens / 16⌉', (tokens) => {
  expect(blocksFor(tokens)).toBe(Math.ceil(tokens / 16));
});

test.prop(
  [fc.array(fc.integer({ min: 1, max: 4000 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 200 })],
  { numRuns: RUNS },
)('added and stepsThatFit count the blocks the sequences grow into, step by step', (kvs, steps, free, limit) => {
  const classes = new BlockClasses();
  // A sequence with kv tokens now, at step `steps`: kvBase = kv − steps.
  for (const kv of kvs) classes.add(kv - steps);
  const growth = (n: number) => kvs.reduce((s, kv) => s + held(kv + n) - held(kv), 0);
  for (const n of [0, 1, 7, 8, 9, 15, 16, 25, 33, 47]) expect(classes.added(steps, n, kvs.length)).toBe(growth(n));
  let fit = 0;
  while (fit < limit && growth(fit + 1) <= free) fit++;
  expect(classes.stepsThatFit(free, kvs.length, steps, limit)).toBe(fit);
});
