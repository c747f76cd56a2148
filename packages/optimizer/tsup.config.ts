import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  // tsconfig.json here is a composite project for `tsc -b`, which must list every file;
  // the declaration bundle starts from the entries alone, so it is built as a plain one.
  dts: { compilerOptions: { composite: false } },
  clean: true,
  sourcemap: true,
  target: 'node20',
});
