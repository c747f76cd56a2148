/**
 * What a trace is called in the report and the terminal: not the file's bare name (the
 * shared traces are all `arrivals_1min.csv` or `requests.csv.gz`) but its folder with
 * it (`nasa_http_1995/arrivals_1min.csv`), and as a title the first heading of the
 * folder's `SOURCE.md` when it has one (shared/data/README.md: every trace folder
 * describes its source there).
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export interface TraceName {
  /** The folder and the file, e.g. `nasa_http_1995/arrivals_1min.csv`. */
  name: string;
  /** The SOURCE.md heading, e.g. `NASA-HTTP (Kennedy Space Center WWW server), July + August 1995`; the name without one. */
  title: string;
}

export function traceName(path: string): TraceName {
  const dir = dirname(resolve(path));
  const name = `${basename(dir)}/${basename(path)}`;
  const source = join(dir, 'SOURCE.md');
  if (!existsSync(source)) return { name, title: name };
  try {
    const heading = /^#\s+(.+?)\s*$/m.exec(readFileSync(source, 'utf8'));
    return { name, title: heading ? heading[1]! : name };
  } catch {
    // An unreadable SOURCE.md only costs the title.
    return { name, title: name };
  }
}
