// Copies the repository's LICENSE and NOTICE into the package being packed (run as
// each package's `prepack` script, in its folder), so every tarball carries them while
// the repository keeps one copy of each. The copies are git-ignored.
import { copyFileSync } from 'node:fs';

for (const name of ['LICENSE', 'NOTICE']) copyFileSync(new URL(`../${name}`, import.meta.url), name);
