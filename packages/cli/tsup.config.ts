import { defineConfig } from 'tsup';

export default defineConfig({
  // operator/ports: the benchmark's operator process loads the ports alone, without the CLI.
  entry: ['src/index.ts', 'src/main.ts', 'src/operator/ports.ts'],
  format: ['esm'],
  // tsconfig.json here is a composite project for `tsc -b`, which must list every file;
  // the declaration bundle starts from the entries alone, so it is built as a plain one.
  dts: { entry: 'src/index.ts', compilerOptions: { composite: false } },
  clean: true,
  sourcemap: true,
  target: 'node20',
});
