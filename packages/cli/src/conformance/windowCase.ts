/** kind "window": Knative's metric buckets and max window (FORMAT.md). */
import { type BucketWindow, createBucketWindow, createMaxWindow, linearAverage, type MaxWindow, maxOf, recordBucket, recordMax, resizeBucketWindow, weightedAverage, windowSumAt } from '@prescale/core/upstream';
import { same, type Mismatch } from './compare.js';
import { arr, at, type Json, num, obj, str, VectorError } from './fields.js';

export function runWindowCase(c: Json, t0: number): Mismatch[] {
  const config = obj(c.config, 'config');
  const algorithm = str(config.algorithm ?? 'linear', 'config.algorithm');
  const windowSeconds = num(config.windowSeconds, 'config.windowSeconds');
  const granularity = num(config.granularitySeconds ?? 1, 'config.granularitySeconds');
  if (!['linear', 'weighted', 'max'].includes(algorithm)) throw new VectorError(`unknown window algorithm "${algorithm}"`);

  let buckets: BucketWindow | null = algorithm === 'max' ? null : createBucketWindow(windowSeconds, granularity);
  let maxWindow: MaxWindow | null = algorithm === 'max' ? createMaxWindow(windowSeconds, granularity) : null;
  const needBuckets = (op: string): BucketWindow => {
    if (buckets === null) throw new VectorError(`op "${op}" needs a bucket window, not "${algorithm}"`);
    return buckets;
  };
  const mismatches: Mismatch[] = [];
  arr(c.ops, 'ops').forEach((raw, i) => {
    const op = obj(raw, `ops[${i}]`);
    const name = str(op.op, `ops[${i}].op`);
    const t = at(t0, num(op.t, `ops[${i}].t`));
    let actual: number | undefined;
    switch (name) {
      case 'record':
        if (maxWindow !== null) maxWindow = recordMax(maxWindow, t, num(op.value, `ops[${i}].value`));
        else buckets = recordBucket(needBuckets(name), t, num(op.value, `ops[${i}].value`));
        return;
      case 'resize':
        buckets = resizeBucketWindow(needBuckets(name), num(op.windowSeconds, `ops[${i}].windowSeconds`), t);
        return;
      case 'average':
        actual = algorithm === 'weighted' ? weightedAverage(needBuckets(name), t) : linearAverage(needBuckets(name), t);
        break;
      case 'sum':
        actual = windowSumAt(needBuckets(name), t).sum;
        break;
      case 'max':
        if (maxWindow === null) throw new VectorError(`op "max" needs algorithm "max"`);
        actual = maxOf(maxWindow);
        break;
      default:
        throw new VectorError(`unknown op "${name}" at ops[${i}]`);
    }
    const tolerance = op.tolerance === undefined ? undefined : num(op.tolerance, `ops[${i}].tolerance`);
    if (!same(op.expect, actual, tolerance)) mismatches.push({ at: `ops[${i}] ${name}@${String(op.t)}`, expected: op.expect, actual });
  });
  return mismatches;
}
