/**
 * The `prescale` binary. The simulator's commands load a program of their own (no
 * Kubernetes or Prometheus client to import); every other command loads the whole one.
 */
const command = process.argv[2] ?? '';
const simulatorOnly = command === 'simulate' || command === 'profile';

(simulatorOnly ? import('./simulatorProgram.js').then((m) => m.simulatorProgram()) : import('./program.js').then((m) => m.program()))
  .then((p) => p.parseAsync(process.argv))
  .catch((error: unknown) => {
    console.error(`prescale: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  });
