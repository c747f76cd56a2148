#!/usr/bin/env node
// The `prescale` command: the built CLI in dist/. In a source checkout, `pnpm build`
// first; say so rather than print a module-resolution stack.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error('prescale: the CLI is not built (dist/main.js is missing): run `pnpm build` at the repository root first');
  process.exit(2);
}
await import(main.href);
