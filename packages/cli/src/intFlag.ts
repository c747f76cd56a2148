/** The parser of a flag that takes an integer (`--seed`, `--min-replicas`). */
import { UsageError } from './usageError.js';

/** Parses an integer flag; anything else is an error naming the flag. */
export const intFlag =
  (flag: string) =>
  (text: string): number => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isInteger(n)) throw new UsageError(flag, `must be an integer (got "${text}")`);
    return n;
  };
