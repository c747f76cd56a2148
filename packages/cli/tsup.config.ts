import { defineConfig } from 'tsup';

export default defineConfig({
  // operator/ports: the benchmark's operator process loads the ports alone, without the CLI.
  entry: ['src/index.ts', 'src/main.ts', 'src/operator/ports.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'node20',
});
