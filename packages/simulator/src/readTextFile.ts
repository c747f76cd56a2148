/**
 * The one reader of the text files prescale takes as input (traces, token lengths):
 * plain UTF-8 or gzipped, told by the gzip magic bytes rather than the file name.
 * @module
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { SimulatorError } from './errors.js';

/**
 * The text of a file, gunzipped first when it starts with gzip's magic bytes (1f 8b).
 * @throws SimulatorError `InvalidTrace` naming the path when the file cannot be read or
 * does not decompress.
 */
export function readTextFile(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new SimulatorError('InvalidTrace', path, path, readProblem(cause), { cause });
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (cause) {
      throw new SimulatorError('InvalidTrace', path, path, `is not a valid gzip file (${(cause as Error).message})`, { cause });
    }
  }
  return bytes.toString('utf8');
}

/**
 * Why a file could not be read, in Node's words without the code and the call:
 * `no such file or directory`, `permission denied`, `illegal operation on a directory`.
 */
export function readProblem(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  return /^E[A-Z]+: (.*?)(, \w+ '.*')?$/s.exec(message)?.[1] ?? message;
}
